// Finding a template: a built-in one by name (templates/index.json), or a
// file the organisation keeps (.md, .txt, .html, .docx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogEntry, parseCatalog, type CatalogEntry, type TemplateLanguage } from '../core/template-catalog.js';
import { UsageError } from '../errors.js';

export type TemplateType = 'md' | 'txt' | 'html' | 'docx';

export interface TemplateSource {
  /** What the user called it: a built-in name, or the path as given. */
  name: string;
  builtin: boolean;
  /** For the register: the built-in name, or the file's absolute path. */
  ref: string;
  type: TemplateType;
  language: TemplateLanguage;
  /** The text of a .md, .txt or .html template. */
  text?: string;
  /** The bytes of a .docx template. */
  bytes?: Uint8Array;
}

const TYPES: Record<string, TemplateType> = { '.md': 'md', '.markdown': 'md', '.txt': 'txt', '.text': 'txt', '.html': 'html', '.htm': 'html', '.docx': 'docx' };

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export function templateTypeOf(file: string): TemplateType | undefined {
  return TYPES[path.extname(file).toLowerCase()];
}

let catalog: CatalogEntry[] | undefined;

export function builtinTemplates(): CatalogEntry[] {
  if (!catalog) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, 'index.json'), 'utf8'));
    } catch (e) {
      throw new Error(`the built-in templates cannot be read: ${(e as Error).message}`);
    }
    catalog = parseCatalog(json);
  }
  return catalog;
}

export function builtinText(entry: CatalogEntry): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, ...entry.file.split('/')), 'utf8');
}

/** A name without a folder or a known extension is a built-in template; anything else is a file. */
function looksLikeFile(arg: string): boolean {
  return arg.includes('/') || arg.includes(path.sep) || templateTypeOf(arg) !== undefined;
}

export function loadTemplate(arg: string, language?: TemplateLanguage): TemplateSource {
  if (!looksLikeFile(arg)) {
    const entry = catalogEntry(builtinTemplates(), arg);
    if (language && language !== entry.language) {
      const other = entry.translation ? ` (in ${language}: "${entry.translation}")` : '';
      throw new UsageError(`template "${arg}" is in ${entry.language === 'nl' ? 'Dutch' : 'English'}, not ${language}${other}`);
    }
    return { name: arg, builtin: true, ref: arg, type: 'md', language: entry.language, text: builtinText(entry) };
  }
  const type = templateTypeOf(arg);
  if (!type) throw new UsageError(`cannot use ${path.basename(arg)} as a template`, 'templates are .md, .txt, .html or .docx files, or a built-in name ("schuilnaam template list")');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(arg);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read template ${arg}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`);
  }
  const base: TemplateSource = { name: arg, builtin: false, ref: path.resolve(arg), type, language: language ?? 'nl' };
  if (type === 'docx') return { ...base, bytes };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD')) throw new UsageError(`template ${arg} is not UTF-8 text`, 'save it as UTF-8');
  return { ...base, text };
}
