import fs from 'node:fs';
import type { ChalkInstance } from 'chalk';
import { WORKER_FIELDS, type WorkerInput } from '../../core/worker-fields.js';
import { UsageError } from '../../errors.js';
import type { WorkerDetail, WorkerView } from '../../vault/workers.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit, fields, table } from '../output.js';

const FLAG_OF: Record<(typeof WORKER_FIELDS)[number], string> = {
  first_name: 'firstName',
  prefix: 'prefix',
  last_name: 'lastName',
  initials: 'initials',
  email: 'email',
  phone: 'phone',
  employee_no: 'employeeNo',
  team: 'team',
};

/** argv options -> the fields a worker command was given (absent flags stay undefined). */
export function workerInput(opts: Record<string, unknown>): WorkerInput {
  const input: WorkerInput = {};
  for (const f of WORKER_FIELDS) {
    const v = opts[FLAG_OF[f]];
    if (typeof v === 'string') input[f] = v;
  }
  return input;
}

export function displayName(w: Pick<WorkerView, 'first_name' | 'prefix' | 'last_name'>): string {
  return [w.first_name, w.prefix, w.last_name].filter(Boolean).join(' ');
}

export async function add(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const input = workerInput(opts);
  const id = await withVault(ctx, (v) => v.workers.add(input));
  emit(ctx, { id }, (d) => d.id);
}

export async function importCsv(ctx: Ctx, args: string[]): Promise<void> {
  const file = args[0]!;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const { parseWorkerCsv } = await import('../../formats/worker-csv.js');
  const rows = parseWorkerCsv(text);
  const ids = await withVault(ctx, (v) => v.workers.import(rows));
  emit(ctx, { imported: ids.length, ids }, (d) => [`imported ${d.imported} worker${d.imported === 1 ? '' : 's'}`, ...d.ids]);
}

function status(s: ChalkInstance, status: WorkerView['status']): string {
  return status === 'active' ? status : s.dim(status);
}

export async function list(ctx: Ctx): Promise<void> {
  const workers = await withVault(ctx, (v) => v.workers.list());
  emit(ctx, workers, (ws, s) =>
    ws.length === 0
      ? 'no workers yet; add one with "schuilnaam worker add" or "schuilnaam worker import"'
      : table(
          ['ID', 'NAME', 'INITIALS', 'TEAM', 'EMAIL', 'STATUS'],
          ws.map((w) => [w.id, displayName(w) || '-', w.initials ?? '-', w.team ?? '-', w.email ?? '-', status(s, w.status)]),
          s,
        ),
  );
}

function detail(d: WorkerDetail, s: ChalkInstance): string[] {
  return fields(
    [
      ['id', d.id],
      ['name', displayName(d) || null],
      ['first name', d.first_name],
      ['prefix', d.prefix],
      ['last name', d.last_name],
      ['initials', d.initials],
      ['e-mail', d.email],
      ['phone', d.phone],
      ['personnel no', d.employee_no],
      ['team', d.team],
      ['status', status(s, d.status)],
      ['added', d.created_at],
      ['changed', d.updated_at],
      ...(d.offboarded_at ? ([['offboarded', d.offboarded_at]] as [string, string][]) : []),
    ],
    s,
  );
}

export async function show(ctx: Ctx, args: string[]): Promise<void> {
  const w = await withVault(ctx, (v) => v.workers.show(args[0]!));
  emit(ctx, w, detail);
}

export async function update(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const input = workerInput(opts);
  if (Object.keys(input).length === 0) throw new UsageError('nothing to change', 'give at least one field, e.g. --email or --team');
  const w = await withVault(ctx, (v) => v.workers.update(args[0]!, input));
  emit(ctx, w, detail);
}

export async function offboard(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const id = args[0]!;
  const w = await withVault(ctx, async (v) => {
    v.workers.checkOffboardable(id);
    if (!opts.yes) {
      if (!ctx.term.stdinIsTTY) {
        throw new UsageError('offboarding cannot be undone; confirm it with --yes', `run "schuilnaam worker offboard ${id} --yes"`);
      }
      const ok = await ctx.term.confirm(`Offboard ${id}? Their identity is destroyed for good.`);
      if (!ok) throw new UsageError('cancelled; nothing was changed');
    }
    return v.workers.offboard(id, { forget: Boolean(opts.forget) });
  });
  emit(ctx, w, (d) =>
    opts.forget
      ? `offboarded ${d.id}: identity destroyed; letters are no longer checked for this worker's name`
      : `offboarded ${d.id}: identity destroyed; letters are still checked for this former worker's name (keyed hashes only)`,
  );
}
