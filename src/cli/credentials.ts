// Passphrases come from a hidden prompt or --passphrase-file (`-` = first line
// of stdin). Never from a flag value or an environment variable.
import fs from 'node:fs';
import { AccessError, UsageError } from '../errors.js';
import { Vault, VaultFile } from '../vault/vault.js';
import type { Ctx } from './context.js';

export const MIN_PASSPHRASE_LENGTH = 12;

const NO_PASSPHRASE_HINT =
  'pass --passphrase-file PATH (or --passphrase-file - to read it from stdin), or run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" first';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Nothing but white space (Unicode White_Space) or invisible zero-width
 * characters: such a "passphrase" is a mistake (an empty first line, a stray
 * indent), never a secret.
 */
export function isBlankPassphrase(text: string): boolean {
  return /^[\p{White_Space}\u180E\u200B\u200C\u200D\u2060\uFEFF]*$/u.test(text);
}

/**
 * The passphrase in the bytes of a passphrase file or of stdin: the first
 * line (ended by \n or \r\n), without a leading UTF-8 byte order mark (Notepad
 * writes one), as the UTF-8 bytes it holds. Invalid UTF-8 is refused rather
 * than decoded with U+FFFD: otherwise every binary key file, and a Latin-1
 * file with "é", would open with other bytes that decode the same way.
 */
export function passphraseFromBytes(bytes: Uint8Array, source: string, what = 'passphrase'): Buffer {
  let line = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nl = line.indexOf(0x0a);
  if (nl !== -1) line = line.subarray(0, nl > 0 && line[nl - 1] === 0x0d ? nl - 1 : nl);
  if (line.subarray(0, 3).equals(UTF8_BOM)) line = line.subarray(3);
  if (line.length === 0) throw new UsageError(`the ${what} file ${source} is empty`, 'the first line of the file is the passphrase');
  let text: string;
  try {
    text = strictUtf8.decode(line);
  } catch {
    throw new UsageError(
      `the ${what} file ${source} is not valid UTF-8`,
      'save it as UTF-8 text (in Notepad: "Save as", encoding UTF-8); the first line is the passphrase, so a binary key file cannot be one',
    );
  }
  if (isBlankPassphrase(text)) throw new UsageError(`the ${what} in ${source} is only white space`, 'the first line of the file is the passphrase');
  return Buffer.from(line);
}

/** Reads a passphrase from a file or stdin (`-`), as bytes. */
export async function readPassphraseFile(ctx: Ctx, file: string, what = 'passphrase'): Promise<Buffer> {
  let bytes: Buffer;
  if (file === '-') {
    bytes = await ctx.term.readStdinBytes();
  } else {
    try {
      const st = fs.statSync(file);
      if ((st.mode & 0o077) !== 0) ctx.term.warn(`${what} file ${file} can be read by other users; run "chmod 600 ${file}"`);
      bytes = fs.readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read the ${what} file ${file}${code === 'ENOENT' ? ': no such file' : code ? `: ${code}` : ''}`);
    }
  }
  try {
    return passphraseFromBytes(bytes, file === '-' ? '(stdin)' : file, what);
  } finally {
    bytes.fill(0);
  }
}

/** A passphrase typed at the hidden prompt; an empty or blank one is refused before any key derivation. */
async function promptPassphrase(ctx: Ctx, message: string, what: string, hint: string): Promise<Buffer> {
  const typed = await ctx.term.promptSecret(message);
  if (isBlankPassphrase(typed)) throw new UsageError(`the ${what} typed is ${typed === '' ? 'empty' : 'only white space'}`, hint);
  return Buffer.from(typed, 'utf8');
}

/** The passphrase for an existing keyslot: --passphrase-file, else a hidden prompt on a TTY, else exit 3. */
export async function askPassphrase(ctx: Ctx, user: string): Promise<Buffer> {
  if (ctx.globals.passphraseFile) return readPassphraseFile(ctx, ctx.globals.passphraseFile);
  if (!ctx.term.stdinIsTTY) throw new AccessError('no passphrase: stdin is not a terminal and no --passphrase-file was given', NO_PASSPHRASE_HINT);
  return promptPassphrase(ctx, `Passphrase for ${user}:`, 'passphrase', 'nothing was done; run the command again and type the passphrase');
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
    const first = await promptPassphrase(ctx, `Choose a ${label}:`, label, 'nothing was changed; a sentence of four or five words is long and easy to remember');
    const second = await ctx.term.promptSecret(`Type it again:`);
    const same = first.equals(Buffer.from(second, 'utf8'));
    if (!same) {
      first.fill(0);
      throw new UsageError('the two passphrases differ', 'nothing was changed; try again');
    }
    pass = first;
  }
  if ([...pass.toString('utf8').normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
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
