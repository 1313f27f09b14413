import fs from 'node:fs';
import path from 'node:path';
import { ExitCode, UsageError } from '../../errors.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit } from '../output.js';
import { sha256, writeRegistered } from '../write-output.js';
import { escapeHtml } from '../../core/template.js';
import type { TextSegment } from '../../formats/segments.js';

const TEXT_TYPES = ['.txt', '.text', '.md', '.markdown'];
const HTML_TYPES = ['.html', '.htm'];
const WORD_TYPES = ['.docx'];
const MAIL_TYPES = ['.eml'];

export interface RedactOptions {
  input: string;
  reference: string;
  out: string;
  force: boolean;
}

export function redactOptions(args: string[], opts: Record<string, unknown>): RedactOptions {
  const o = { input: args[0]!, reference: String(opts.case ?? ''), out: String(opts.out ?? ''), force: Boolean(opts.force) };
  const kind = (f: string) => {
    const ext = path.extname(f).toLowerCase();
    return TEXT_TYPES.includes(ext) ? 'text' : HTML_TYPES.includes(ext) ? 'html' : WORD_TYPES.includes(ext) ? 'docx' : MAIL_TYPES.includes(ext) ? 'eml' : undefined;
  };
  for (const f of [o.input, o.out]) {
    if (!kind(f)) {
      throw new UsageError(`cannot redact ${path.basename(f)}: only .txt, .md, .html, .docx and .eml files`, 'for a PDF, redact the Word or text file it was made from; scan any file with "schuilnaam scan"');
    }
  }
  if (kind(o.input) !== kind(o.out)) throw new UsageError('--out must be the same kind of file as the input');
  if (path.resolve(o.input) === path.resolve(o.out)) throw new UsageError('--out must be a new file, not the input');
  if (fs.existsSync(o.out) && !o.force) throw new UsageError(`${o.out} already exists`, 'pass --force to replace it');
  return o;
}

export async function redact(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number> {
  const o = redactOptions(args, opts);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(o.input);
  } catch (e) {
    throw new UsageError(`cannot read ${o.input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const ext = path.extname(o.input).toLowerCase();
  const html = HTML_TYPES.includes(ext);
  const word = WORD_TYPES.includes(ext);
  const mail = MAIL_TYPES.includes(ext);
  const { decodeText } = await import('../../formats/decode-text.js');
  const { decodeHtml, htmlToSegments } = await import('../../formats/read-html.js');
  const { readBytes } = await import('../../formats/read-file.js');
  const outcome = await withVault(ctx, async (v) => {
    const { Scanner } = await import('../../vault/scanner.js');
    const scanner = new Scanner(v.scanIndex);
    const redactor = v.redactor();
    let output: { bytes: Uint8Array; replaced: number; low_left: number };
    let check: TextSegment[];
    let dropped: string[] = [];
    if (word) {
      output = await redactor.redactDocx(bytes, path.basename(o.input), o.reference, scanner);
      check = await readBytes('docx', output.bytes, path.basename(o.out));
    } else if (mail) {
      const r = await redactor.redactEml(bytes, path.basename(o.input), o.reference, scanner);
      output = r;
      dropped = r.dropped;
      check = await readBytes('eml', output.bytes, path.basename(o.out));
    } else {
      const source = html ? decodeHtml(bytes) : decodeText(bytes);
      const segmentsOf = async (t: string): Promise<TextSegment[]> => (html ? htmlToSegments(t) : [{ location: 'body', text: t }]);
      const r = await redactor.redactSource(source, await segmentsOf(source), o.reference, scanner, html ? escapeHtml : (t) => t);
      output = { bytes: Buffer.from(r.text, 'utf8'), replaced: r.replaced, low_left: r.low_left };
      check = await segmentsOf(r.text);
    }
    // The redacted copy must pass the same gate as any other document, metadata included.
    const leftover = (await scanner.scan(check)).findings.filter((f) => f.confidence === 'high');
    if (leftover.length > 0) return { r: output, leftover, document: null, dropped };
    // Registered like a rendered letter, so a rotation lists it too; on disk only once registered.
    const record = {
      case: v.cases.show(o.reference).reference,
      worker: null,
      template: path.resolve(o.input),
      builtin: false,
      language: 'nl' as const,
      format: path.extname(o.out).slice(1).toLowerCase(),
      path: path.resolve(o.out),
      sha256: sha256(output.bytes),
      values: {},
      pseudonyms: [...redactor.used.values()],
    };
    const written = writeRegistered(v.documents, [{ file: o.out, bytes: output.bytes, doc: { kind: 'redact', record, pseudonymIds: [...redactor.used.keys()] } }]);
    for (const n of written.notes) ctx.term.warn(n);
    const [document] = written.ids;
    return { r: output, leftover, document, dropped };
  });
  if (outcome.leftover.length > 0) {
    for (const f of outcome.leftover) ctx.term.error(`after redaction, ${f.location}${f.line ? ` line ${f.line}` : ''}: ${f.kind} "${f.text}" is still there`);
    ctx.term.hint('nothing was written; redact these by hand');
    return ExitCode.no;
  }
  emit(ctx, { document: outcome.document, path: o.out, replaced: outcome.r.replaced, low_left: outcome.r.low_left, ...(mail ? { dropped_headers: outcome.dropped } : {}) }, (d) => [
    `redacted ${d.replaced} finding${d.replaced === 1 ? '' : 's'} -> ${d.path} (scanned again: clean; registered as ${d.document})`,
    ...(d.dropped_headers && d.dropped_headers.length > 0 ? [`headers left out of the copy: ${d.dropped_headers.join(', ')}`] : []),
    ...(d.low_left > 0 ? [`${d.low_left} low-confidence finding${d.low_left === 1 ? '' : 's'} left as they were (a surname or first name alone); check them with "schuilnaam scan --strict"`] : []),
  ]);
  return ExitCode.ok;
}
