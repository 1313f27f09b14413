import type { ChalkInstance } from 'chalk';
import { UsageError } from '../../errors.js';
import type { HistoryEntry, PseudonymView } from '../../vault/pseudonyms.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit, fields, table } from '../output.js';

/** The `pseudonym get --json` shape from CLI.md (plus id, style, issued). */
function publicView(p: PseudonymView & { issued?: boolean }) {
  return {
    pseudonym: p.pseudonym,
    formal: p.formal,
    worker: p.worker,
    case: p.case,
    scope: p.scope,
    status: p.status,
    style: p.style,
    id: p.id,
    issued_at: p.issued_at,
    ...(p.issued === undefined ? {} : { issued: p.issued }),
  };
}

function statusText(s: ChalkInstance, status: string): string {
  return status === 'active' ? s.green(status) : status === 'compromised' ? s.red(status) : s.dim(status);
}

export async function get(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const p = await withVault(ctx, (v) =>
    v.pseudonyms.get(String(opts.case), v.ctx.workerOrOwn(opts.worker as string | undefined), { scope: opts.scope as string | undefined, style: opts.style as string | undefined }),
  );
  emit(ctx, publicView(p), (d) => d.pseudonym);
}

export async function resolve(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const p = await withVault(ctx, (v) => v.resolve(args[0]!, String(opts.reason ?? '')));
  emit(ctx, { pseudonym: p.pseudonym, worker: p.worker, status: p.status, case: p.case, scope: p.scope, id: p.id, name: p.person?.name ?? null, team: p.person?.team ?? null }, (d, s) =>
    fields(
      [
        ['pseudonym', d.pseudonym],
        ['worker', d.worker],
        ['name', d.name ?? s.dim('(offboarded: identity destroyed)')],
        ['team', d.team],
        ['status', statusText(s, d.status)],
        ['case', d.case ?? (d.scope === 'worker' ? 'all cases of the worker' : null)],
      ],
      s,
    ),
  );
}

export async function list(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  if ((opts.case === undefined) === (opts.worker === undefined)) throw new UsageError('give exactly one of --case REF or --worker ID');
  const rows = await withVault(ctx, (v) => v.pseudonyms.list({ case: opts.case as string | undefined, worker: opts.worker as string | undefined }));
  emit(ctx, rows.map(publicView), (ps, s) =>
    ps.length === 0
      ? 'no pseudonyms yet'
      : table(
          ['PSEUDONYM', 'FORMAL', 'WORKER', 'CASE', 'STATUS', 'ISSUED'],
          ps.map((p) => [p.pseudonym, p.formal, p.worker, p.case ?? '(all cases)', statusText(s, p.status), p.issued_at.slice(0, 10)]),
          s,
        ),
  );
}

export async function history(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const rows = await withVault(ctx, (v) => v.pseudonyms.history(String(opts.worker)));
  emit(
    ctx,
    rows.map((h: HistoryEntry) => ({ ...publicView(h), ended_at: h.ended_at, reason: h.reason, replaced_by: h.replaced_by, compromise: h.compromise })),
    (hs, s) =>
      hs.length === 0
        ? 'no pseudonyms yet'
        : hs.flatMap((h) => [
            `${s.bold(h.pseudonym)}  ${statusText(s, h.status)}  ${h.case ?? '(all cases)'}`,
            `  issued ${h.issued_at}` +
              (h.ended_at ? `, ${h.status} ${h.ended_at}${h.reason ? ` (${h.reason})` : ''}` : '') +
              (h.replaced_by ? ` → ${h.replaced_by}` : ''),
          ]),
  );
}
