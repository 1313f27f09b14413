import { formatDuration, parseDuration } from '../../core/duration.js';
import { UsageError } from '../../errors.js';
import { kdfProfile } from '../../crypto/kdf.js';
import { VaultFile } from '../../vault/vault.js';
import type { Ctx } from '../context.js';
import { askNewPassphrase, askPassphrase, openUnlocked } from '../credentials.js';
import { emit } from '../output.js';

const MAX_TTL_MS = 12 * 3_600_000;

export function ttlOption(text: unknown): number {
  const ms = parseDuration(String(text ?? '15m'));
  if (ms === undefined) throw new UsageError(`invalid --ttl "${String(text)}"`, 'use a duration such as 90s, 15m or 2h');
  if (ms > MAX_TTL_MS) throw new UsageError('--ttl may be at most 12h');
  return ms;
}

export async function unlock(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const ttlMs = ttlOption(opts.ttl);
  // unlock always asks for the passphrase: a session cannot extend itself.
  const vault = await openUnlocked(ctx, { allowSession: false });
  try {
    const { token, expires } = vault.createSession(ctx.runtimeDir, ttlMs);
    for (const n of vault.notices) ctx.term.warn(n);
    emit(ctx, { session: token, expires: expires.toISOString(), user: vault.user, role: vault.role }, (d) => d.session);
    // For a person at a terminal (stdout is usually captured by $(…)): how long it lasts.
    if (!ctx.json && ctx.term.stderrIsTTY) {
      ctx.term.note(`session for ${vault.user}, valid for ${formatDuration(ttlMs)} (until ${expires.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' })})`);
    }
  } finally {
    vault.close();
  }
}

export async function lock(ctx: Ctx): Promise<void> {
  const token = ctx.env.SCHUILNAAM_SESSION;
  let vaultFile: VaultFile | undefined;
  try {
    vaultFile = await VaultFile.open(ctx.vaultPath, ctx.deps);
  } catch (e) {
    // Without a readable vault we can still end the session the token names.
    if (!token) throw e;
  }
  try {
    const { endSessions } = await import('../../vault/session.js');
    const ended = vaultFile ? vaultFile.endSessions(ctx.runtimeDir, token) : endSessions(ctx.runtimeDir, undefined, token);
    emit(ctx, { ended }, (d) => (d.ended === 0 ? 'no open session' : `ended ${d.ended} session${d.ended === 1 ? '' : 's'}`));
  } finally {
    vaultFile?.close();
  }
}

export async function passwd(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const file = await VaultFile.open(ctx.vaultPath, ctx.deps);
  let vault;
  try {
    const user = file.userFor(ctx.globals.user ?? ctx.env.SCHUILNAAM_USER);
    const current = await askPassphrase(ctx, user);
    try {
      vault = file.unlockWithPassphrase(current, user);
    } finally {
      current.fill(0);
    }
  } catch (e) {
    file.close();
    throw e;
  }
  try {
    const next = await askNewPassphrase(ctx, opts.newPassphraseFile as string | undefined, 'new passphrase');
    try {
      const kdf = vault.changePassphrase(next, opts.kdf === undefined ? ctx.deps.kdfProfile : kdfProfile(String(opts.kdf)));
      // A passphrase is changed because the old one may be known: sessions
      // unlocked with it end too, unless told to keep them.
      const keep = Boolean(opts.keepSessions);
      const ended = keep ? 0 : vault.endOwnSessions(ctx.runtimeDir);
      emit(ctx, { user: vault.user, changed: true, kdf, sessions_ended: ended, sessions_kept: keep }, (d) =>
        `passphrase changed for ${d.user}; ${keep ? 'open sessions were kept (--keep-sessions)' : d.sessions_ended === 0 ? 'no open sessions to end' : `ended ${d.sessions_ended} open session${d.sessions_ended === 1 ? '' : 's'}`}`,
      );
    } finally {
      next.fill(0);
    }
  } finally {
    vault.close();
  }
}
