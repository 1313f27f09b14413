import { UsageError } from '../../errors.js';
import type { CaseView } from '../../vault/cases.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit, fields, table } from '../output.js';
import type { ChalkInstance } from 'chalk';

export function caseAddOptions(args: string[], opts: Record<string, unknown>): { reference: string; team?: string; risk: string } {
  return { reference: args[0]!, team: opts.team as string | undefined, risk: String(opts.risk ?? 'normal') };
}

function detail(c: CaseView, s: ChalkInstance): string[] {
  return fields(
    [
      ['case', c.reference],
      ['team', c.team],
      ['risk', c.risk === 'high' ? s.red('high') : c.risk],
      ['workers', c.workers.join(', ') || null],
      ['added', c.created_at],
    ],
    s,
  );
}

export async function add(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const o = caseAddOptions(args, opts);
  const c = await withVault(ctx, (v) => v.cases.add(o.reference, o.team, o.risk));
  emit(ctx, c, (d) => `added case ${d.reference}`);
}

export async function update(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const c = await withVault(ctx, (v) => v.cases.update(args[0]!, { team: opts.team as string | undefined, risk: opts.risk as string | undefined }));
  emit(ctx, c, (d, s) => [`updated case ${d.reference}`, ...detail(d, s)]);
}

export async function assign(ctx: Ctx, args: string[]): Promise<void> {
  const [reference, worker] = args as [string, string];
  const c = await withVault(ctx, (v) => v.cases.assign(reference, worker));
  emit(ctx, c, (d) => `assigned ${worker} to case ${d.reference}`);
}

export async function show(ctx: Ctx, args: string[]): Promise<void> {
  const c = await withVault(ctx, (v) => v.cases.show(args[0]!));
  emit(ctx, c, detail);
}

export async function list(ctx: Ctx): Promise<void> {
  const cs = await withVault(ctx, (v) => v.cases.list());
  emit(ctx, cs, (rows, s) =>
    rows.length === 0
      ? 'no cases yet; add one with "schuilnaam case add REF"'
      : table(['CASE', 'TEAM', 'RISK', 'WORKERS'], rows.map((c) => [c.reference, c.team ?? '-', c.risk, String(c.workers.length)]), s),
  );
}

export function requireOne(opts: Record<string, unknown>, names: string[]): string {
  const given = names.filter((n) => opts[n] !== undefined);
  if (given.length !== 1) throw new UsageError(`give exactly one of ${names.map((n) => `--${n}`).join(', ')}`);
  return given[0]!;
}
