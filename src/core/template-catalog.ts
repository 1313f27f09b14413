// The manifest of built-in templates (templates/index.json). The shape is
// checked strictly, because `template list` and `render NAME` trust it and a
// typo in a shipped manifest should fail a test, not a caseworker's render.

import { UsageError } from '../errors.js';
import { checkSetKey } from './template.js';

export type TemplateLanguage = 'nl' | 'en';
export type TemplateKind = 'letter' | 'report' | 'email';

export interface CatalogEntry {
  name: string;
  language: TemplateLanguage;
  kind: TemplateKind;
  /** Relative to the templates folder, with "/" separators. */
  file: string;
  description: string;
  /** The --set keys the template uses, each with what to give. */
  values: Record<string, string>;
  /** The same template in the other language, if there is one. */
  translation?: string;
}

const FIELDS = new Set(['name', 'language', 'kind', 'file', 'description', 'values', 'translation']);
const LANGUAGES: readonly string[] = ['nl', 'en'];
const KINDS: readonly string[] = ['letter', 'report', 'email'];
const ENTRY_NAME = /^[a-z][a-z0-9-]*$/u;
// Stays inside the templates folder: no absolute paths, no "..", no backslashes.
const FILE = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:md|txt|html)$/u;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function entryProblems(raw: unknown): string[] {
  if (!isRecord(raw)) return ['not an object'];
  const problems: string[] = [];
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) problems.push(`unknown field "${key}"`);
  if (typeof raw.name !== 'string' || !ENTRY_NAME.test(raw.name)) problems.push('"name" must be lower-case letters, digits and "-"');
  if (typeof raw.language !== 'string' || !LANGUAGES.includes(raw.language)) problems.push(`"language" must be one of ${LANGUAGES.join(', ')}`);
  if (typeof raw.kind !== 'string' || !KINDS.includes(raw.kind)) problems.push(`"kind" must be one of ${KINDS.join(', ')}`);
  if (typeof raw.file !== 'string' || !FILE.test(raw.file) || raw.file.split('/').some((s) => s.startsWith('.'))) {
    problems.push('"file" must be a relative .md, .txt or .html path inside the templates folder');
  }
  if (!nonEmpty(raw.description)) problems.push('"description" must be a non-empty string');
  if (raw.translation !== undefined && (typeof raw.translation !== 'string' || !ENTRY_NAME.test(raw.translation))) {
    problems.push('"translation" must be the name of another entry');
  }
  if (!isRecord(raw.values)) problems.push('"values" must be an object of --set key to description');
  else {
    for (const [key, what] of Object.entries(raw.values)) {
      try {
        checkSetKey(key);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        problems.push(`value "${key}" is not a usable --set key`);
      }
      if (!nonEmpty(what)) problems.push(`value "${key}" needs a description`);
    }
  }
  return problems;
}

/** Checks the manifest's shape and cross-references; throws one UsageError listing every problem. */
export function parseCatalog(json: unknown): CatalogEntry[] {
  if (!Array.isArray(json)) throw new UsageError('template catalog: expected a JSON array of templates');
  const problems: string[] = [];
  json.forEach((raw, i) => {
    const label = isRecord(raw) && typeof raw.name === 'string' ? `entry ${i + 1} (${raw.name})` : `entry ${i + 1}`;
    for (const p of entryProblems(raw)) problems.push(`${label}: ${p}`);
  });
  if (problems.length === 0) {
    const entries = json as CatalogEntry[];
    const byName = new Map<string, CatalogEntry>();
    for (const e of entries) {
      if (byName.has(e.name)) problems.push(`"${e.name}" is listed twice`);
      byName.set(e.name, e);
    }
    for (const e of entries) {
      if (e.translation === undefined) continue;
      const other = byName.get(e.translation);
      if (!other) problems.push(`${e.name}: translation "${e.translation}" is not in the catalog`);
      else if (other.language === e.language) problems.push(`${e.name}: translation "${e.translation}" has the same language`);
      else if (other.kind !== e.kind) problems.push(`${e.name}: translation "${e.translation}" is a different kind`);
    }
  }
  if (problems.length > 0) throw new UsageError(`template catalog: ${problems.join('; ')}`);
  // Copies, so a caller cannot change the shared parse result by accident.
  return (json as CatalogEntry[]).map((e) => ({ ...e, values: { ...e.values } }));
}

/** The entry called `name`; a UsageError listing the names there are otherwise. */
export function catalogEntry(entries: readonly CatalogEntry[], name: string): CatalogEntry {
  const found = entries.find((e) => e.name === name);
  if (found) return found;
  throw new UsageError(
    `no built-in template called "${name}"`,
    `built-in templates: ${entries.map((e) => e.name).join(', ')} (see \`schuilnaam template list\`), or give a path to a .md, .txt, .html or .docx file`,
  );
}
