// Passphrase -> key-encryption key with Argon2id. Parameters and salt are
// stored with each keyslot so they can be raised later without a format change.
import { IntegrityError, UsageError } from '../errors.js';
import { sodium } from './sodium.js';
import type { RandomSource } from './random.js';

export interface KdfParams {
  alg: 'argon2id13';
  opslimit: number;
  memlimit: number; // bytes
  salt: Uint8Array; // 16 bytes
}

const MiB = 1024 * 1024;

/**
 * Named cost profiles. `moderate` (libsodium's MODERATE, ~1 s here) is the
 * shipped default. `owasp-floor` (19 MiB, 2 passes) is the lowest this tool
 * will ever create; test suites select it through SCHUILNAAM_KDF_PROFILE.
 */
export const KDF_PROFILES = {
  'owasp-floor': { opslimit: 2, memlimit: 19 * MiB },
  moderate: { opslimit: 3, memlimit: 256 * MiB },
  sensitive: { opslimit: 4, memlimit: 1024 * MiB },
} as const;

export type KdfProfile = keyof typeof KDF_PROFILES;
export const DEFAULT_KDF_PROFILE: KdfProfile = 'moderate';

export const KDF_FLOOR = KDF_PROFILES['owasp-floor'];
const KDF_CEILING = { opslimit: 20, memlimit: 4096 * MiB };

export function isKdfProfile(name: string): name is KdfProfile {
  return Object.hasOwn(KDF_PROFILES, name);
}

export function kdfProfile(name: string | undefined): KdfProfile {
  if (name === undefined || name === '') return DEFAULT_KDF_PROFILE;
  if (!isKdfProfile(name)) {
    throw new UsageError(
      `unknown key-derivation profile "${name}"`,
      `use one of: ${Object.keys(KDF_PROFILES).join(', ')}`,
    );
  }
  return name;
}

/** Fresh parameters for a profile; never weaker than `atLeast` (a passphrase change keeps a keyslot's strength). */
export function newKdfParams(profile: KdfProfile, random: RandomSource, atLeast?: Pick<KdfParams, 'opslimit' | 'memlimit'>): KdfParams {
  const p = KDF_PROFILES[profile];
  return {
    alg: 'argon2id13',
    opslimit: Math.max(p.opslimit, atLeast?.opslimit ?? 0),
    memlimit: Math.max(p.memlimit, atLeast?.memlimit ?? 0),
    salt: random(16),
  };
}

/** Refuse stored parameters that are malformed or absurd (a tampered keyslot could ask for 1 TB). */
export function checkKdfParams(p: KdfParams, where: string): void {
  const ok =
    p.alg === 'argon2id13' &&
    Number.isInteger(p.opslimit) &&
    Number.isInteger(p.memlimit) &&
    p.opslimit >= 1 &&
    p.opslimit <= KDF_CEILING.opslimit &&
    p.memlimit >= 8192 &&
    p.memlimit <= KDF_CEILING.memlimit &&
    p.salt.length === 16;
  if (!ok) throw new IntegrityError(`${where} has invalid key-derivation parameters`);
}

export function isBelowFloor(p: Pick<KdfParams, 'opslimit' | 'memlimit'>): boolean {
  return p.memlimit < KDF_FLOOR.memlimit || p.opslimit < KDF_FLOOR.opslimit;
}

export function deriveKek(passphrase: Uint8Array, p: KdfParams): Uint8Array {
  const s = sodium();
  return s.crypto_pwhash(32, passphrase, p.salt, p.opslimit, p.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
}

export function encodeKdfParams(p: KdfParams): string {
  return JSON.stringify({
    alg: p.alg,
    opslimit: p.opslimit,
    memlimit: p.memlimit,
    salt: Buffer.from(p.salt).toString('base64'),
  });
}

export function decodeKdfParams(text: string, where: string): KdfParams {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new IntegrityError(`${where} has unreadable key-derivation parameters`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new IntegrityError(`${where} has unreadable key-derivation parameters`);
  }
  const r = raw as Record<string, unknown>;
  const p: KdfParams = {
    alg: r.alg as 'argon2id13',
    opslimit: r.opslimit as number,
    memlimit: r.memlimit as number,
    salt: typeof r.salt === 'string' ? new Uint8Array(Buffer.from(r.salt, 'base64')) : new Uint8Array(),
  };
  checkKdfParams(p, where);
  return p;
}
