import fs from 'node:fs';
import path from 'node:path';
import { checkSetKey } from '../../core/template.js';
import { ExitCode, SchuilnaamError, UsageError } from '../../errors.js';
import type { TemplateSource } from '../../formats/templates.js';
import { outputFormatOf, type OutputFormat } from '../../formats/write-document.js';
import type { DocumentRecord } from '../../vault/documents.js';
import type { GateFinding, Rendered, Renderer } from '../../vault/renderer.js';
import type { Vault } from '../../vault/vault.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit } from '../output.js';
import { checkNotThere, sha256, writeRegistered } from '../write-output.js';

export function formatOf(file: string): OutputFormat {
  const f = outputFormatOf(file);
  if (!f) throw new UsageError(`cannot render to ${path.basename(file)}`, 'the output file must end in .pdf, .docx, .html, .md or .txt');
  return f;
}

function batchFormat(value: string): OutputFormat {
  const f = outputFormatOf(`x.${value.replace(/^\./u, '')}`);
  if (!f) throw new UsageError(`invalid --format "${value}"`, 'use pdf, docx, html, md or txt');
  return f;
}

export interface RenderOptions {
  mode: 'single' | 'reissue' | 'batch';
  template: string | undefined;
  reference: string;
  worker: string | undefined;
  out: string | undefined;
  values: Record<string, string>;
  force: boolean;
  language: 'nl' | 'en' | undefined;
  reissue: string | undefined;
  batch: string | undefined;
  outDir: string | undefined;
  format: OutputFormat | undefined;
}

/** `--set KEY=VALUE`, repeatable (commander collects them). */
export function collectSet(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid --set "${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`, 'write --set KEY=VALUE, e.g. --set locatie="Politiebureau Centrum"');
    const key = s.slice(0, eq).trim();
    checkSetKey(key);
    out[key] = s.slice(eq + 1);
  }
  return out;
}

/** --data FILE.json: one object of names to text (numbers are taken as text). */
export function readData(file: string): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read --data ${file}: ${code === 'ENOENT' ? 'no such file' : e instanceof SyntaxError ? `not valid JSON (${e.message})` : (e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`--data ${file} must hold one JSON object of names to text`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) {
    checkSetKey(k);
    if (typeof v !== 'string' && typeof v !== 'number') throw new UsageError(`--data ${file}: "${k}" must be text, not ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`);
    out[k] = String(v);
  }
  return out;
}

export function renderOptions(args: string[], opts: Record<string, unknown>): RenderOptions {
  const str = (v: unknown) => (v === undefined ? undefined : String(v));
  const language = str(opts.lang);
  if (language !== undefined && language !== 'nl' && language !== 'en') throw new UsageError(`invalid --lang "${language}"`, 'use nl or en');
  const format = str(opts.format);
  const o: RenderOptions = {
    mode: opts.reissue !== undefined ? 'reissue' : opts.batch !== undefined ? 'batch' : 'single',
    template: args[0],
    reference: String(opts.case ?? ''),
    worker: str(opts.worker),
    out: str(opts.out),
    // --data first: a --set on the command line wins over the file.
    values: { ...(opts.data !== undefined ? readData(String(opts.data)) : {}), ...parseSets((opts.set as string[] | undefined) ?? []) },
    force: Boolean(opts.force),
    language: language as RenderOptions['language'],
    reissue: str(opts.reissue),
    batch: str(opts.batch),
    outDir: str(opts.outDir),
    format: format === undefined ? undefined : batchFormat(format),
  };
  if (o.mode === 'reissue') {
    if (o.template !== undefined || opts.case !== undefined || opts.worker !== undefined || o.batch !== undefined) {
      throw new UsageError('--reissue takes only the document id (and --out, --force)', 'the case, worker, template and values are those of the original document');
    }
    return o;
  }
  if (o.template === undefined) throw new UsageError('missing template', 'give a built-in name ("schuilnaam template list") or a .md, .txt, .html or .docx file');
  if (o.mode === 'batch') {
    if (o.outDir === undefined) throw new UsageError('--batch needs --out-dir DIR');
    if (o.out !== undefined || opts.case !== undefined || opts.worker !== undefined) throw new UsageError('--batch takes the case and worker of each document from the CSV file, and writes to --out-dir');
    return o;
  }
  if (!o.reference) throw new UsageError('missing --case REF');
  if (o.out === undefined) throw new UsageError('missing --out FILE', 'the extension decides the format: .pdf, .docx, .html, .md or .txt');
  if (o.format !== undefined) throw new UsageError('--format is for --batch; a single document takes its format from --out');
  formatOf(o.out);
  return o;
}

/** One finding of the leak gate, for stderr. */
export function describe(f: GateFinding): string {
  const at = [f.location, f.line !== null ? `line ${f.line}` : null].filter(Boolean).join(', ');
  return `${f.kind} "${f.text}" (${at})${f.former ? ', a former worker' : ''}, from ${f.source}`;
}

export function gateJson(f: GateFinding) {
  return { kind: f.kind, confidence: f.confidence, text: f.text, location: f.location, line: f.line, column: f.column, worker: f.worker, ...(f.former ? { former: true } : {}), source: f.source };
}

export async function makeRenderer(v: Vault): Promise<Renderer> {
  const { Scanner } = await import('../../vault/scanner.js');
  const { Renderer } = await import('../../vault/renderer.js');
  return new Renderer(v.cases, v.pseudonyms, v.teams, new Scanner(v.scanIndex), () => new Date(v.ctx.now()), v.ctx.notices);
}

export function record(t: TemplateSource, worker: string, format: OutputFormat, out: string, r: Rendered, values: Record<string, string>): DocumentRecord {
  return {
    case: r.reference,
    worker,
    template: t.ref,
    builtin: t.builtin,
    language: t.language,
    format,
    path: path.resolve(out),
    sha256: sha256(r.bytes),
    values,
    pseudonyms: [r.pseudonym.name],
  };
}

/** Reports what the gate stopped; nothing has been written. */
function blocked(ctx: Ctx, out: string, findings: GateFinding[]): number {
  if (ctx.json) ctx.term.out(JSON.stringify({ document: null, path: null, clean: false, findings: findings.map(gateJson) }, null, 2));
  ctx.term.error(`the leak gate stopped ${path.basename(out)}: ${findings.length} finding${findings.length === 1 ? '' : 's'} that must not reach the family`);
  for (const f of findings) ctx.term.note(`  ${describe(f)}`);
  ctx.term.hint('nothing was written; take the name out of the template or the value and render again');
  return ExitCode.no;
}

export async function render(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number> {
  const o = renderOptions(args, opts);
  if (o.mode === 'batch') return (await import('./render-batch.js')).batch(ctx, o);
  if (o.mode === 'reissue') return reissue(ctx, o);
  const out = o.out!;
  const format = formatOf(out);
  checkNotThere(out, o.force);
  const outDir = path.dirname(path.resolve(out));
  if (!fs.existsSync(outDir)) throw new UsageError(`cannot write ${out}: the folder ${outDir} does not exist`, 'create it first');
  const { loadTemplate } = await import('../../formats/templates.js');
  const template = loadTemplate(o.template!, o.language);
  return withVault(ctx, async (v) => {
    const renderer = await makeRenderer(v);
    const worker = v.ctx.workerOrOwn(o.worker);
    const r = await renderer.render({ template, reference: o.reference, worker, values: o.values, format, outName: path.basename(out) });
    if (r.blocked.length > 0) return blocked(ctx, out, r.blocked);
    const written = writeRegistered(v.documents, [{ file: out, bytes: r.bytes, doc: { kind: 'render', record: record(template, worker, format, out, r, o.values), pseudonymIds: [r.pseudonym.id] } }]);
    for (const n of written.notes) ctx.term.warn(n);
    const [id] = written.ids;
    emit(ctx, { document: id, path: out, pseudonyms: [r.pseudonym.name], case: r.reference, worker, format, sha256: sha256(r.bytes) }, (d) => [
      `rendered ${d.document} -> ${d.path} (${d.pseudonyms.join(', ')}; leak gate: clean)`,
      ...(r.low > 0 ? [`${r.low} low-confidence finding${r.low === 1 ? '' : 's'} (a surname or first name alone) did not stop it; check with "schuilnaam scan --strict ${d.path}"`] : []),
    ]);
    return ExitCode.ok;
  });
}

async function reissue(ctx: Ctx, o: RenderOptions): Promise<number> {
  const { loadTemplate } = await import('../../formats/templates.js');
  return withVault(ctx, async (v) => {
    const doc = v.documents.get(o.reissue!);
    if (doc.kind !== 'render') throw new UsageError(`${doc.id} was redacted, not rendered`, 'redact the original draft again with "schuilnaam redact"');
    const worker = doc.worker;
    if (!worker) throw new UsageError(`${doc.id} has no worker to render for`);
    const out = o.out ?? doc.path;
    const format = formatOf(out);
    if (fs.existsSync(out) && !o.force) {
      // Replacing the original is the point of a reissue, but only when it is still the file we wrote.
      if (path.resolve(out) !== doc.path) throw new UsageError(`${out} already exists`, 'pass --force to replace it');
      if (sha256(fs.readFileSync(out)) !== doc.sha256) throw new UsageError(`${out} has changed since ${doc.id} was rendered`, 'pass --force to replace it anyway, or --out NEW-FILE');
    }
    let template: TemplateSource;
    try {
      template = loadTemplate(doc.template, doc.language);
    } catch (e) {
      if (e instanceof SchuilnaamError && !doc.builtin) throw new UsageError(`the template of ${doc.id} cannot be read: ${e.message}`, `put ${doc.template} back, or render a new letter`);
      throw e;
    }
    const renderer = await makeRenderer(v);
    const r = await renderer.render({ template, reference: doc.case, worker, values: doc.values, format, outName: path.basename(out) });
    if (r.blocked.length > 0) return blocked(ctx, out, r.blocked);
    const written = writeRegistered(v.documents, [
      { file: out, bytes: r.bytes, doc: { kind: 'render', record: record(template, worker, format, out, r, doc.values), pseudonymIds: [r.pseudonym.id], reissueOf: doc.id } },
    ]);
    for (const n of written.notes) ctx.term.warn(n);
    const [id] = written.ids;
    emit(ctx, { document: id, path: out, pseudonyms: [r.pseudonym.name], reissue_of: doc.id, previous: doc.pseudonyms }, (d) => [
      `reissued ${d.reissue_of} as ${d.document} -> ${d.path} (${d.previous.join(', ')} -> ${d.pseudonyms.join(', ')}; leak gate: clean)`,
    ]);
    return ExitCode.ok;
  });
}
