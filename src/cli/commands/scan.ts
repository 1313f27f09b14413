import fs from 'node:fs';
import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { ExitCode, SchuilnaamError, UsageError } from '../../errors.js';
import type { Finding, Scanner } from '../../vault/scanner.js';
import type { ReaderNote } from '../../formats/notes.js';
import type { TextSegment } from '../../formats/segments.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit } from '../output.js';

export interface ScanOptions {
  paths: string[];
  stdin: boolean;
  /** What the document on stdin is called (its extension decides the reader). */
  stdinName?: string;
  strict: boolean;
}

export function scanOptions(args: string[], opts: Record<string, unknown>): ScanOptions {
  const o: ScanOptions = {
    paths: args,
    stdin: Boolean(opts.stdin) || opts.stdinName !== undefined,
    strict: Boolean(opts.strict),
    ...(typeof opts.stdinName === 'string' ? { stdinName: opts.stdinName } : {}),
  };
  if (o.paths.length === 0 && !o.stdin) throw new UsageError('nothing to scan', 'give one or more files or folders, or --stdin');
  if (o.stdin && opts.passphraseFile === '-') throw new UsageError('--stdin and --passphrase-file - cannot both read standard input');
  return o;
}

/** Files to scan: named files as they are; folders walked for the types the scanner reads. */
export function expandPaths(paths: string[], scannable: readonly string[]): { files: string[]; skipped: string[] } {
  const files: string[] = [];
  const skipped: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) (scannable.includes(path.extname(e.name).toLowerCase()) ? files : skipped).push(p);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      files.push(p); // reported as unreadable by the reader, with its reason
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, skipped };
}

interface FileResult {
  file: string;
  findings: Finding[];
  omitted?: number;
  /** Parts that could not be checked (a PDF page without text, an image attachment). */
  notes?: ReaderNote[];
  /** Parts that were checked but hold something to know about (PDF text outside the visible page). */
  notices?: ReaderNote[];
  error?: string;
}

function fails(f: Finding, strict: boolean): boolean {
  return strict || f.confidence === 'high';
}

function human(results: FileResult[], skipped: string[], strict: boolean, s: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.error) {
      lines.push(`${r.file}: ${s.red('not scanned')}: ${r.error}`);
      continue;
    }
    for (const f of r.findings) {
      const where = [r.file, f.line, f.column].filter((x) => x !== null).join(':');
      const conf = f.confidence === 'high' ? s.red('high') : s.yellow('low');
      const loc = f.location === 'body' ? '' : ` in ${f.location}`;
      lines.push(`${where}: ${conf} ${f.kind}${loc}: "${f.text}"${f.worker ? ` (${f.former ? `a former worker, ${f.worker}` : f.worker})` : ''}`);
      if (f.context) {
        lines.push(`    ${f.context.before}${s.inverse(f.context.match)}${f.context.after}`);
        // Without colour, carets under the match do the highlighting.
        if (s.level === 0) lines.push(`    ${' '.repeat(f.context.before.length)}${'^'.repeat(Math.max(1, f.context.match.length))}`);
      }
    }
  }
  for (const r of results) for (const n of r.notes ?? []) lines.push(`${r.file}: ${s.yellow('not checked')} (${n.location}): ${n.note}`);
  for (const r of results) for (const n of r.notices ?? []) lines.push(`${r.file}: ${s.yellow('notice')} (${n.location}): ${n.note}`);
  for (const r of results) if (r.omitted) lines.push(`${r.file}: ${r.omitted} more finding${r.omitted === 1 ? '' : 's'} not listed (low confidence first)`);
  const scanned = results.filter((r) => !r.error);
  const failing = scanned.filter((r) => r.findings.some((f) => fails(f, strict))).length;
  const low = scanned.reduce((n, r) => n + r.findings.filter((f) => f.confidence === 'low').length, 0);
  const unreadable = results.length - scanned.length;
  const summary =
    unreadable > 0
      ? `${s.red('not all files could be checked')}: ${unreadable} of ${results.length} not scanned` + (failing > 0 ? `; leaks found in ${failing}` : '')
      : failing === 0
      ? `${s.green('clean')}: ${scanned.length} file${scanned.length === 1 ? '' : 's'} scanned, no ${strict ? '' : 'high-confidence '}findings`
      : `${s.red('leaks found')} in ${failing} of ${scanned.length} file${scanned.length === 1 ? '' : 's'}`;
  lines.push(
    summary +
      (low > 0 && !strict ? ` (${low} low-confidence finding${low === 1 ? '' : 's'}: a surname or first name alone; --strict fails on those too)` : '') +
      (skipped.length > 0 ? `; ${skipped.length} file${skipped.length === 1 ? '' : 's'} of other types skipped` : ''),
  );
  return lines;
}

export async function scan(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<number> {
  const o = scanOptions(args, { ...opts, passphraseFile: ctx.globals.passphraseFile });
  const { readSegments, readStdinSegments, SCANNABLE_EXTENSIONS } = await import('../../formats/read-file.js');
  const { isNoteSegment, readerNotes, readerNotices } = await import('../../formats/notes.js');
  /** Scans one file's segments; a file with nothing but notes could not be checked at all. */
  const scanFile = async (scanner: Scanner, file: string, segments: TextSegment[]): Promise<FileResult> => {
    const notes = readerNotes(segments);
    const notices = readerNotices(segments);
    // Nothing but metadata could be read (a scanned PDF): the document itself was not checked.
    const content = segments.filter((seg) => !isNoteSegment(seg) && !seg.location.startsWith('metadata:'));
    if (notes.length > 0 && content.length === 0) return { file, findings: [], error: notes.map((n) => n.note).join('; ') };
    return { file, ...(await scanner.scan(segments)), ...(notes.length > 0 ? { notes } : {}), ...(notices.length > 0 ? { notices } : {}) };
  };
  const { files, skipped } = expandPaths(o.paths, SCANNABLE_EXTENSIONS);
  // A gate that looked at nothing must not pass: an empty or mistyped folder is an error.
  if (files.length === 0 && !o.stdin) {
    throw new UsageError(`no files to scan in ${o.paths.join(', ')}`, `scannable types: ${SCANNABLE_EXTENSIONS.join(', ')}`);
  }
  const results = await withVault(ctx, async (v) => {
    const { Scanner } = await import('../../vault/scanner.js');
    const scanner = new Scanner(v.scanIndex);
    const out: FileResult[] = [];
    if (o.stdin) out.push(await scanFile(scanner, o.stdinName ?? '(stdin)', await readStdinSegments(ctx.term.io.stdin, o.stdinName)));
    for (const file of files) {
      try {
        out.push(await scanFile(scanner, file, await readSegments(file)));
      } catch (e) {
        if (!(e instanceof SchuilnaamError) || e.exitCode !== ExitCode.usage) throw e;
        out.push({ file, findings: [], error: e.message });
      }
    }
    return out;
  });
  // Findings past the per-file cap are counted, not listed; with --strict any of them fails.
  const clean = results.every((r) => !r.error && !r.findings.some((f) => fails(f, o.strict)) && !(o.strict && r.omitted));
  emit(
    ctx,
    {
      clean,
      files: results.map((r) => ({
        file: r.file,
        ...(r.error ? { error: r.error } : {}),
        findings: r.findings.map(({ context: _context, span: _span, ...f }) => f),
        ...(r.omitted ? { omitted: r.omitted } : {}),
        ...(r.notes ? { not_checked: r.notes } : {}),
        ...(r.notices ? { notices: r.notices } : {}),
      })),
      ...(skipped.length > 0 ? { skipped } : {}),
    },
    () => human(results, skipped, o.strict, ctx.term.style),
  );
  if (results.some((r) => r.error)) {
    ctx.term.error(`${results.filter((r) => r.error).length} file(s) could not be scanned`, 'a file that cannot be read is never reported clean');
    return ExitCode.usage;
  }
  return clean ? ExitCode.ok : ExitCode.no;
}
