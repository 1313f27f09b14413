import { UsageError } from '../../errors.js';
import type { RotateResult, RotateTarget } from '../../vault/rotation.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit } from '../output.js';
import { requireOne } from './cases.js';

export interface RotateCliOptions {
  target: RotateTarget;
  reason: string;
  how?: string;
  leakedAt?: string;
  dryRun: boolean;
  yes: boolean;
}

export function rotateOptions(opts: Record<string, unknown>): RotateCliOptions {
  const which = requireOne(opts, ['pseudonym', 'worker', 'case']);
  const value = String(opts[which]);
  const target = (which === 'pseudonym' ? { pseudonym: value } : which === 'worker' ? { worker: value } : { case: value }) as RotateTarget;
  if (typeof opts.reason !== 'string' || opts.reason.trim() === '') throw new UsageError('--reason is required', 'say what leaked, how and where');
  return { target, reason: opts.reason, how: opts.how as string | undefined, leakedAt: opts.leakedAt as string | undefined, dryRun: Boolean(opts.dryRun), yes: Boolean(opts.yes) };
}

function human(r: RotateResult): string[] {
  const lines: string[] = [];
  const verb = r.dry_run ? 'would rotate' : 'rotated';
  if (r.rotated.length === 0) lines.push(`no active pseudonyms to rotate${r.compromise ? `; compromise ${r.compromise} recorded` : ''}`);
  else {
    lines.push(`${verb} ${r.rotated.length} pseudonym${r.rotated.length === 1 ? '' : 's'}${r.compromise ? ` (compromise ${r.compromise})` : ''}:`);
    for (const e of r.rotated) lines.push(`  ${e.old} → ${e.new ?? '(new name on rotation)'}  ${e.worker}  ${e.case ?? '(all cases of the worker)'}`);
  }
  lines.push(`cases affected: ${r.cases.length === 0 ? 'none' : r.cases.join(', ')}`);
  lines.push(
    r.documents.length === 0
      ? 'documents already issued with an old name: none registered'
      : `documents already issued with an old name:\n${r.documents.map((d) => `  ${d.id}  ${d.case}  ${d.template}  ${d.path}${d.state === 'pending' ? '  (pending: its run was interrupted; the file may be out there)' : ''}`).join('\n')}`,
  );
  if (r.dry_run) lines.push('dry run: nothing was changed');
  return lines;
}

export async function rotate(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const o = rotateOptions(opts);
  const result = await withVault(ctx, async (v) => {
    if (!o.dryRun && !o.yes) {
      const impact = v.rotation.rotate(o.target, { ...o, dryRun: true });
      if (!ctx.term.stdinIsTTY) throw new UsageError('rotation needs confirmation: pass --yes (or --dry-run to see the impact)');
      ctx.term.note(human(impact).slice(0, -1).join('\n'));
      if (!(await ctx.term.confirm('Record the compromise and rotate these pseudonyms?'))) throw new UsageError('cancelled; nothing was changed');
    }
    return v.rotation.rotate(o.target, o);
  });
  emit(ctx, result, human);
}
