import { AccessError, UsageError } from '../../errors.js';
import { VaultFile } from '../../vault/vault.js';
import { endUserSessions } from '../../vault/session.js';
import type { UserView } from '../../vault/user-admin.js';
import type { Ctx } from '../context.js';
import { askNewPassphrase, readPassphraseFile, withVault } from '../credentials.js';
import { emit, fields, table } from '../output.js';
import { progressBar } from '../progress.js';

function localTime(iso: string): string {
  return new Date(iso).toLocaleString('nl-NL', { dateStyle: 'medium', timeStyle: 'short' });
}

export async function add(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const name = args[0]!;
  const req = { name, role: String(opts.role), ...(typeof opts.worker === 'string' ? { worker: opts.worker } : {}) };
  const added = await withVault(ctx, (v) => v.users.add(req));
  emit(ctx, { user: added.user, role: added.role, enrolment_code: added.enrolment_code, expires: added.expires }, (d) => [
    `enrolment code for ${d.user} (${d.role}), valid once until ${localTime(d.expires)}:`,
    '',
    `  ${d.enrolment_code}`,
    '',
    `give it to ${d.user} in person or by phone, never in the same message as the vault's location; ${d.user} runs:`,
    `  schuilnaam user join ${d.user}`,
  ]);
}

/** The code from --code-file (first line), else a hidden prompt on a terminal. */
async function askCode(ctx: Ctx, name: string, file: string | undefined): Promise<string> {
  if (file) {
    const bytes = await readPassphraseFile(ctx, file, 'enrolment code');
    try {
      return bytes.toString('utf8');
    } finally {
      bytes.fill(0);
    }
  }
  if (!ctx.term.stdinIsTTY) {
    throw new AccessError('no enrolment code: stdin is not a terminal and no --code-file was given', 'pass --code-file PATH (or --code-file - to read it from stdin)');
  }
  const typed = await ctx.term.promptSecret(`Enrolment code for ${name}:`);
  if (typed.trim() === '') throw new UsageError('no enrolment code was typed', 'nothing was done; run the command again and type the code');
  return typed;
}

export async function join(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const name = args[0]!;
  const codeFile = typeof opts.codeFile === 'string' ? opts.codeFile : undefined;
  const newFile = typeof opts.newPassphraseFile === 'string' ? opts.newPassphraseFile : undefined;
  if (codeFile === '-' && newFile === '-') throw new UsageError('--code-file and --new-passphrase-file cannot both read stdin', 'put one of them in a file');
  const file = await VaultFile.open(ctx.vaultPath, ctx.deps);
  try {
    const code = await askCode(ctx, name, codeFile);
    const passphrase = await askNewPassphrase(ctx, newFile, 'passphrase');
    try {
      const joined = file.join(name, code, passphrase);
      emit(ctx, { user: joined.user, role: joined.role, joined: true }, (d) => `joined as ${d.user} (${d.role}); unlock with "schuilnaam unlock --user ${d.user}"`);
    } finally {
      passphrase.fill(0);
    }
  } finally {
    file.close();
  }
}

export async function list(ctx: Ctx): Promise<void> {
  const users = await withVault(ctx, (v) => v.users.list());
  emit(ctx, { users }, (d, s) =>
    table(
      ['USER', 'ROLE', 'WORKER', 'STATUS', 'FINGERPRINT'],
      d.users.map((u: UserView) => [u.user, u.role, u.worker ?? '-', u.status === 'pending' || u.status === 'expired' ? `${u.status} (code until ${localTime(u.expires!)})` : u.status, u.fingerprint ?? '-']),
      s,
    ),
  );
}

export async function remove(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const name = args[0]!;
  const bar = await stepBar(ctx);
  const { r, vaultId } = await withVault(ctx, async (v) => {
    v.users.checkRemovable(name);
    if (!opts.yes) {
      if (!ctx.term.stdinIsTTY) throw new UsageError('removing a user cannot be undone; confirm it with --yes', `run "schuilnaam user remove ${name} --yes"`);
      if (!(await ctx.term.confirm(`Remove user ${name} and replace every key she held?`))) throw new UsageError('cancelled; nothing was changed');
    }
    try {
      return { r: v.users.remove(name, bar?.update), vaultId: v.ctx.vaultId };
    } finally {
      bar?.stop();
    }
  });
  // Her sessions on this machine go at once; everyone else's hold replaced keys and must unlock again.
  const ended = r.rotated ? endUserSessions(ctx.runtimeDir, vaultId, name) : 0;
  const out = {
    user: r.user,
    role: r.role,
    removed: true,
    keys_replaced: r.rotated ? Object.keys(r.rotated.epochs) : [],
    records_resealed: r.rotated?.records ?? 0,
    enrolments_withdrawn: r.rotated?.withdrawn ?? [],
    sessions_ended: ended,
  };
  emit(ctx, out, (d) => {
    if (r.was === 'pending') return `withdrew the enrolment of ${d.user} (${d.role}); the code opens nothing now`;
    const lines = [
      `${r.was === 'removed' ? 'finished removing' : 'removed'} ${d.user} (${d.role}): replaced the ${d.keys_replaced.join(', ')} keys and sealed ${d.records_resealed} records again`,
      'sessions opened before this hold the old keys: unlock again',
    ];
    if (d.enrolments_withdrawn.length > 0) lines.push(`enrolment codes not used yet were withdrawn (they held the old keys): add ${d.enrolments_withdrawn.join(', ')} again`);
    return lines;
  });
}

/** One bar per table the removal seals again, started afresh at each new table. */
async function stepBar(ctx: Ctx): Promise<{ update: (step: string, done: number, total: number) => void; stop: () => void } | undefined> {
  const bar = await progressBar(ctx, 're-sealing {step} [{bar}] {value}/{total}');
  if (!bar) return undefined;
  let step = '';
  return {
    update: (s, done, total) => {
      if (s !== step) {
        if (step !== '') bar.stop();
        step = s;
        bar.start(total, done, { step: s });
      } else bar.update(done + 1, { step: s });
    },
    stop: () => {
      if (step !== '') bar.stop();
    },
  };
}

export async function whoami(ctx: Ctx): Promise<void> {
  const me = await withVault(ctx, (v) => v.users.whoami());
  emit(ctx, me, (d, s) =>
    fields(
      [
        ['user', d.user],
        ['role', d.role],
        ['worker', d.worker],
        ['fingerprint', d.fingerprint],
        ['session', d.session_expires ? `until ${localTime(d.session_expires)}` : 'none (unlocked with the passphrase)'],
      ],
      s,
    ),
  );
}
