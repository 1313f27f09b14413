// A session token is an id (names the session file) plus a 32-byte secret
// that is the only key able to open the keyring stored in that file.
import { createHash } from 'node:crypto';
import type { RandomSource } from './random.js';

const PREFIX = 'sns1_';

export interface SessionToken {
  id: string; // hex, names the session file
  secret: Uint8Array;
}

export function newSessionToken(random: RandomSource): { token: string; parsed: SessionToken } {
  const id = random(16);
  const secret = random(32);
  const raw = new Uint8Array(48);
  raw.set(id, 0);
  raw.set(secret, 16);
  const token = PREFIX + Buffer.from(raw).toString('base64url');
  return { token, parsed: { id: Buffer.from(id).toString('hex'), secret } };
}

export function parseSessionToken(token: string): SessionToken | undefined {
  const t = token.trim();
  if (!t.startsWith(PREFIX) || !/^[A-Za-z0-9_-]{64}$/u.test(t.slice(PREFIX.length))) return undefined;
  const raw = Buffer.from(t.slice(PREFIX.length), 'base64url');
  // Stryker disable next-line ConditionalExpression: equivalent, 64 base64url characters (checked above) always decode to 48 bytes; kept as a second guard
  if (raw.length !== 48) return undefined;
  return { id: raw.subarray(0, 16).toString('hex'), secret: new Uint8Array(raw.subarray(16)) };
}

/** Public, non-secret tag that ties session files to a vault without naming its path. */
export function vaultTag(vaultId: string): string {
  return createHash('sha256').update(`schuilnaam-session\u001f${vaultId}`).digest('hex').slice(0, 32);
}
