// Sessions, like `bw unlock`: the unlocked keyring is sealed under a random
// token secret and kept in a file in a private runtime folder. The file alone
// opens nothing; the token (held by the shell, in SCHUILNAAM_SESSION) is the key.
import fs from 'node:fs';
import path from 'node:path';
import { associatedData, AuthenticationFailure, open, seal } from '../crypto/aead.js';
import { Keyring } from '../crypto/keyring.js';
import type { RandomSource } from '../crypto/random.js';
import { newSessionToken, parseSessionToken, vaultTag } from '../crypto/session-token.js';
import { wipe } from '../crypto/sodium.js';
import { AccessError, IoError } from '../errors.js';
import { CRYPTO_FORMAT } from './deps.js';
import type { Role } from './roles.js';

const SUFFIX = '.session';

interface SessionFile {
  v: 1;
  vault: string;
  user: string;
  role: Role;
  expires: string;
  box: string;
}

export interface OpenedSession {
  user: string;
  role: Role;
  keyring: Keyring;
  /** The user's Ed25519 seed, to sign audit entries, and the organisation key (absent for a vault before users and roles). */
  signSeed: Uint8Array | undefined;
  orgSign: Uint8Array | undefined;
  expires: Date;
}

const SEED_BYTES = 32;

function sessionAd(id: string, vaultId: string, f: Pick<SessionFile, 'user' | 'role' | 'expires'>): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'session', id, vaultId, f.user, f.role, f.expires);
}

/** Creates the folder 0700 and refuses one that someone else owns or can read. */
export function ensurePrivateDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new IoError(`cannot create the session folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const st = fs.lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isDirectory() || st.uid !== uid) {
    throw new AccessError(`the session folder ${dir} is not a private folder of yours`, 'remove it or set XDG_RUNTIME_DIR');
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

function sessionPath(dir: string, id: string): string {
  return path.join(dir, id + SUFFIX);
}

function readSessionFile(file: string): SessionFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SessionFile;
    // Stryker disable next-line BlockStatement: equivalent, an empty catch block also makes the function return undefined
  } catch {
    return undefined;
  }
}

export function createSession(
  dir: string,
  s: { vaultId: string; user: string; role: Role; keyring: Keyring; signer?: { seed: Uint8Array; orgSign: Uint8Array }; ttlMs: number; now: Date; random: RandomSource },
): { token: string; expires: Date } {
  ensurePrivateDir(dir);
  pruneExpired(dir, s.now);
  const { token, parsed } = newSessionToken(s.random);
  const expires = new Date(s.now.getTime() + s.ttlMs);
  const header = { user: s.user, role: s.role, expires: expires.toISOString() };
  // The keyring, then the signing seed and the organisation key: the keyring's length is in its own header.
  const ring = s.keyring.encode();
  const encoded = new Uint8Array(ring.length + (s.signer ? 2 * SEED_BYTES : 0));
  encoded.set(ring, 0);
  if (s.signer) {
    encoded.set(s.signer.seed, ring.length);
    encoded.set(s.signer.orgSign, ring.length + SEED_BYTES);
  }
  wipe(ring);
  const box = seal(parsed.secret, encoded, sessionAd(parsed.id, s.vaultId, header), s.random);
  wipe(encoded, parsed.secret);
  const file: SessionFile = { v: 1, vault: vaultTag(s.vaultId), ...header, box: Buffer.from(box).toString('base64') };
  const fd = fs.openSync(sessionPath(dir, parsed.id), 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, JSON.stringify(file));
  } finally {
    fs.closeSync(fd);
  }
  return { token, expires };
}

const UNLOCK_HINT = 'run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" for a new session';

export function openSession(dir: string, token: string, vaultId: string, now: Date): OpenedSession {
  const parsed = parseSessionToken(token);
  if (!parsed) throw new AccessError('SCHUILNAAM_SESSION does not hold a valid session token', UNLOCK_HINT);
  const file = sessionPath(dir, parsed.id);
  const f = readSessionFile(file);
  if (!f) throw new AccessError('the session has ended: it was locked, it expired, or its passphrase was changed', UNLOCK_HINT);
  if (f.vault !== vaultTag(vaultId)) {
    throw new AccessError('the session in SCHUILNAAM_SESSION belongs to another vault', UNLOCK_HINT);
  }
  // A file edited by hand (a field removed, a number where text belongs) is
  // refused like any other edit, not left to crash further on.
  if ([f.user, f.role, f.expires, f.box].some((v) => typeof v !== 'string')) {
    throw new AccessError('the session token does not match its session file', UNLOCK_HINT);
  }
  const expires = new Date(f.expires);
  if (!(expires.getTime() > now.getTime())) {
    fs.rmSync(file, { force: true });
    throw new AccessError('the session has expired', UNLOCK_HINT);
  }
  try {
    const encoded = open(parsed.secret, Buffer.from(f.box, 'base64'), sessionAd(parsed.id, vaultId, f));
    const ringLength = Keyring.encodedLength(encoded);
    const keyring = Keyring.decode(encoded.subarray(0, ringLength));
    const rest = encoded.subarray(ringLength);
    if (rest.length !== 0 && rest.length !== 2 * SEED_BYTES) throw new AuthenticationFailure();
    const signSeed = rest.length > 0 ? rest.slice(0, SEED_BYTES) : undefined;
    const orgSign = rest.length > 0 ? rest.slice(SEED_BYTES) : undefined;
    wipe(encoded);
    return { user: f.user, role: f.role, keyring, signSeed, orgSign, expires };
  } catch (e) {
    if (e instanceof AuthenticationFailure) {
      throw new AccessError('the session token does not match its session file', UNLOCK_HINT);
    }
    throw e;
  } finally {
    wipe(parsed.secret);
  }
}

/** Ends the session of `token` (if given) and every session of the vault. Returns how many ended. */
export function endSessions(dir: string, vaultId: string | undefined, token: string | undefined): number {
  let ended = 0;
  const parsed = token ? parseSessionToken(token) : undefined;
  if (parsed) {
    const file = sessionPath(dir, parsed.id);
    if (fs.existsSync(file)) {
      fs.rmSync(file, { force: true });
      ended++;
    }
  }
  if (vaultId === undefined) return ended;
  const tag = vaultTag(vaultId);
  for (const name of listSessionFiles(dir)) {
    const file = path.join(dir, name);
    if (readSessionFile(file)?.vault === tag) {
      fs.rmSync(file, { force: true });
      ended++;
    }
  }
  return ended;
}

/**
 * Ends every session of one user of this vault in the runtime folder (after
 * `passwd`: a session opened with the old passphrase must not outlive it).
 * Other users' sessions stay. Returns how many ended.
 */
export function endUserSessions(dir: string, vaultId: string, user: string): number {
  const tag = vaultTag(vaultId);
  let ended = 0;
  for (const name of listSessionFiles(dir)) {
    const file = path.join(dir, name);
    const f = readSessionFile(file);
    if (f?.vault === tag && f.user === user) {
      fs.rmSync(file, { force: true });
      ended++;
    }
  }
  return ended;
}

function listSessionFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => n.endsWith(SUFFIX));
  } catch {
    return [];
  }
}

function pruneExpired(dir: string, now: Date): void {
  for (const name of listSessionFiles(dir)) {
    const file = path.join(dir, name);
    const f = readSessionFile(file);
    if (!f || !(new Date(f.expires).getTime() > now.getTime())) fs.rmSync(file, { force: true });
  }
}
