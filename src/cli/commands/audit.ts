import { ExitCode, UsageError } from '../../errors.js';
import { parseHead } from '../../vault/audit.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit, table } from '../output.js';

export async function verify(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<number> {
  const head = typeof opts.head === 'string' ? parseHead(opts.head) : undefined;
  const report = await withVault(ctx, (v) => v.audit.verify(head));
  emit(ctx, report, (r, s) => [
    r.ok ? `${s.green('ok')}: ${r.entries} audit entries, chain and MACs intact` : `${s.red('audit log broken')}: ${r.problems.join('; ')}`,
    r.head ? `chain head: ${r.head.seq}:${r.head.hash}` : 'the log is empty',
    ...(r.ok && r.head && !head ? ['keep the chain head elsewhere; "audit verify --head SEQ:HASH" later proves nothing was cut off the end'] : []),
  ]);
  return report.ok ? ExitCode.ok : ExitCode.no;
}

export async function log(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  let since: string | undefined;
  if (typeof opts.since === 'string') {
    const d = new Date(opts.since);
    if (Number.isNaN(d.getTime())) throw new UsageError(`invalid --since "${opts.since}"`, 'use a date such as 2026-11-01 or 2026-11-01T09:00:00Z');
    since = d.toISOString();
  }
  const entries = await withVault(ctx, (v) => v.audit.entries(since));
  emit(ctx, entries, (es, s) =>
    es.length === 0
      ? 'no audit entries'
      : table(
          ['SEQ', 'AT', 'ACTOR', 'ACTION', 'SUBJECT', 'DETAILS'],
          es.map((e) => [
            String(e.seq),
            e.at.replace('T', ' ').slice(0, 19),
            e.actor,
            e.action,
            e.subject,
            [Object.entries(e.details).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' '), e.reason ? `reason="${e.reason}"` : '']
              .filter(Boolean)
              .join(' '),
          ]),
          s,
        ),
  );
}
