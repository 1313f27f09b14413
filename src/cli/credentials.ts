// Passphrases come from a hidden prompt or --passphrase-file (`-` = first line
// of stdin). Never from a flag value or an environment variable.
import fs from 'node:fs';
import { AccessError, UsageError } from '../errors.js';
import { Vault, VaultFile } from '../vault/vault.js';
import type { Ctx } from './context.js';

export const MIN_PASSPHRASE_LENGTH = 12;

const NO_PASSPHRASE_HINT =
  'pass --passphrase-file PATH (or --passphrase-file - to read it from stdin), or run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" first';

function firstLine(text: string): string {
  const nl = text.search(/\r?\n/u);
  return nl === -1 ? text : text.slice(0, nl);
}

/** Reads a passphrase from a file or stdin (`-`), as bytes. */
export async function readPassphraseFile(ctx: Ctx, file: string, what = 'passphrase'): Promise<Buffer> {
  let text: string;
  if (file === '-') {
    text = await ctx.term.readStdin();
  } else {
    try {
      const st = fs.statSync(file);
      if ((st.mode & 0o077) !== 0) ctx.term.warn(`${what} file ${file} can be read by other users; run "chmod 600 ${file}"`);
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read the ${what} file ${file}${code === 'ENOENT' ? ': no such file' : code ? `: ${code}` : ''}`);
    }
  }
  const line = firstLine(text);
  if (line === '') throw new UsageError(`the ${what} file ${file === '-' ? '(stdin)' : file} is empty`);
  return Buffer.from(line, 'utf8');
}

/** The passphrase for an existing keyslot: --passphrase-file, else a hidden prompt on a TTY, else exit 3. */
export async function askPassphrase(ctx: Ctx, user: string): Promise<Buffer> {
  if (ctx.globals.passphraseFile) return readPassphraseFile(ctx, ctx.globals.passphraseFile);
  if (!ctx.term.stdinIsTTY) throw new AccessError('no passphrase: stdin is not a terminal and no --passphrase-file was given', NO_PASSPHRASE_HINT);
  return Buffer.from(await ctx.term.promptSecret(`Passphrase for ${user}:`), 'utf8');
}

/** A new passphrase: from a file, or asked twice on a TTY. Enforces a minimum length. */
export async function askNewPassphrase(ctx: Ctx, file: string | undefined, label: string): Promise<Buffer> {
  let pass: Buffer;
  if (file) {
    pass = await readPassphraseFile(ctx, file, 'new passphrase');
  } else {
    if (!ctx.term.stdinIsTTY) {
      throw new AccessError(`no ${label}: stdin is not a terminal and no passphrase file was given`, NO_PASSPHRASE_HINT.split(', or run')[0]);
    }
    const first = await ctx.term.promptSecret(`Choose a ${label}:`);
    const second = await ctx.term.promptSecret(`Type it again:`);
    if (first !== second) throw new UsageError('the two passphrases differ', 'nothing was changed; try again');
    pass = Buffer.from(first, 'utf8');
  }
  if ([...pass.toString('utf8')].length < MIN_PASSPHRASE_LENGTH) {
    pass.fill(0);
    throw new UsageError(`the ${label} is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`, 'a sentence of four or five words is long and easy to remember');
  }
  return pass;
}

/**
 * Opens and unlocks the vault for a command: --passphrase-file wins, then a
 * session from SCHUILNAAM_SESSION, then a hidden prompt on a TTY.
 */
export async function openUnlocked(ctx: Ctx, options: { allowSession?: boolean } = {}): Promise<Vault> {
  const file = await VaultFile.open(ctx.vaultPath, ctx.deps);
  try {
    const user = ctx.globals.user ?? ctx.env.SCHUILNAAM_USER;
    const token = ctx.env.SCHUILNAAM_SESSION;
    if (!ctx.globals.passphraseFile && token && options.allowSession !== false) {
      return file.unlockWithSession(ctx.runtimeDir, token, user);
    }
    const passphrase = await askPassphrase(ctx, file.userFor(user));
    try {
      return file.unlockWithPassphrase(passphrase, user);
    } finally {
      passphrase.fill(0);
    }
  } catch (e) {
    file.close();
    throw e;
  }
}

/** Opens the vault, runs fn, prints any notices as warnings, and always closes. */
export async function withVault<T>(ctx: Ctx, fn: (vault: Vault) => T | Promise<T>): Promise<T> {
  const vault = await openUnlocked(ctx);
  try {
    const result = await fn(vault);
    for (const n of vault.notices) ctx.term.warn(n);
    return result;
  } finally {
    vault.close();
  }
}
