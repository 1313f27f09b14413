import fs from 'node:fs';
import path from 'node:path';
import { ExitCode, UsageError } from '../../errors.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit } from '../output.js';

const TEXT_TYPES = ['.txt', '.text', '.md', '.markdown'];

export interface RedactOptions {
  input: string;
  reference: string;
  out: string;
  force: boolean;
}

export function redactOptions(args: string[], opts: Record<string, unknown>): RedactOptions {
  const o = { input: args[0]!, reference: String(opts.case ?? ''), out: String(opts.out ?? ''), force: Boolean(opts.force) };
  for (const f of [o.input, o.out]) {
    if (!TEXT_TYPES.includes(path.extname(f).toLowerCase())) {
      throw new UsageError(`cannot redact ${path.basename(f)}: only .txt and .md files for now`, 'Word, HTML and e-mail redaction are planned; scan those with "schuilnaam scan"');
    }
  }
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
  const { decodeText } = await import('../../formats/decode-text.js');
  const text = decodeText(bytes);
  const outcome = await withVault(ctx, async (v) => {
    const { Scanner } = await import('../../vault/scanner.js');
    const scanner = new Scanner(v.scanIndex);
    const r = await v.redactor().redactText(text, o.reference, scanner);
    // The redacted text must pass the same gate as any other document.
    const check = await scanner.scan([{ location: 'body', text: r.text }]);
    return { r, leftover: check.findings.filter((f) => f.confidence === 'high') };
  });
  if (outcome.leftover.length > 0) {
    for (const f of outcome.leftover) ctx.term.error(`after redaction, line ${f.line}: ${f.kind} "${f.text}" is still there`);
    ctx.term.hint('nothing was written; redact these by hand');
    return ExitCode.no;
  }
  // Written under a temporary name and renamed, so a failure leaves no partial file.
  const tmp = path.join(path.dirname(path.resolve(o.out)), `.${path.basename(o.out)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, outcome.r.text, { mode: 0o644 });
    fs.renameSync(tmp, o.out);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${o.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  emit(ctx, { path: o.out, replaced: outcome.r.replaced, low_left: outcome.r.low_left }, (d) => [
    `redacted ${d.replaced} finding${d.replaced === 1 ? '' : 's'} -> ${d.path} (scanned again: clean)`,
    ...(d.low_left > 0 ? [`${d.low_left} low-confidence finding${d.low_left === 1 ? '' : 's'} left as they were (a surname or first name alone); check them with "schuilnaam scan --strict"`] : []),
  ]);
  return ExitCode.ok;
}
