// Each user's own key pairs (issue #9): X25519 to receive compartment keys
// sealed to them (libsodium crypto_box_seal, as Bitwarden grants an
// organisation key and 1Password a vault key), Ed25519 to sign grants, public
// keys and audit entries. The private halves live only inside the user's
// keyslot, sealed under their passphrase-derived key.
import { AuthenticationFailure } from './aead.js';
import { base32, groupsOfFour } from './base32.js';
import type { RandomSource } from './random.js';
import { systemRandom } from './random.js';
import { sodium, wipe } from './sodium.js';

export const BOX_PUBLIC_BYTES = 32;
export const SIGN_PUBLIC_BYTES = 32;
export const SIGNATURE_BYTES = 64;
const SEED_BYTES = 32;
const CONTEXT_BYTES = 32;

export interface UserPublicKeys {
  /** X25519: what others seal keys to. */
  box: Uint8Array;
  /** Ed25519: what checks this user's signatures. */
  sign: Uint8Array;
}

export interface UserSecretKeys {
  /** X25519 secret scalar (32 bytes). */
  box: Uint8Array;
  /** Ed25519 seed (32 bytes); the signing key is derived from it when needed. */
  sign: Uint8Array;
}

export interface UserKeys {
  public: UserPublicKeys;
  secret: UserSecretKeys;
}

/** New key pairs from 64 random bytes (injected, so tests are repeatable). */
export function generateUserKeys(random: RandomSource = systemRandom): UserKeys {
  const secret = { box: random(SEED_BYTES), sign: random(SEED_BYTES) };
  return { public: publicKeysOf(secret), secret };
}

export function publicKeysOf(secret: UserSecretKeys): UserPublicKeys {
  const s = sodium();
  const pair = s.crypto_sign_seed_keypair(secret.sign);
  wipe(pair.privateKey);
  return { box: s.crypto_scalarmult_base(secret.box), sign: pair.publicKey };
}

/**
 * Seals `plaintext` so only the holder of the X25519 secret for `recipient`
 * opens it. crypto_box_seal has no associated data, so a hash of the context
 * (what the box is for and whose it is) travels inside: a box copied to
 * another grant opens but is refused.
 */
export function sealTo(recipient: Uint8Array, plaintext: Uint8Array, context: Uint8Array): Uint8Array {
  const s = sodium();
  const inner = new Uint8Array(CONTEXT_BYTES + plaintext.length);
  inner.set(s.crypto_generichash(CONTEXT_BYTES, context, null), 0);
  inner.set(plaintext, CONTEXT_BYTES);
  try {
    return s.crypto_box_seal(inner, recipient);
  } finally {
    wipe(inner);
  }
}

/** Opens a box from sealTo; AuthenticationFailure for a wrong key, a damaged box or another context. */
export function openSealed(keys: { public: Uint8Array; secret: Uint8Array }, box: Uint8Array, context: Uint8Array): Uint8Array {
  const s = sodium();
  let inner: Uint8Array;
  try {
    inner = s.crypto_box_seal_open(box, keys.public, keys.secret);
  } catch {
    throw new AuthenticationFailure();
  }
  const expected = s.crypto_generichash(CONTEXT_BYTES, context, null);
  if (inner.length < CONTEXT_BYTES || !s.memcmp(inner.subarray(0, CONTEXT_BYTES), expected)) {
    wipe(inner);
    throw new AuthenticationFailure();
  }
  const out = inner.slice(CONTEXT_BYTES);
  wipe(inner);
  return out;
}

/** The Ed25519 public key of a seed (the organisation key's, for one). */
export function signPublicKey(seed: Uint8Array): Uint8Array {
  const pair = sodium().crypto_sign_seed_keypair(seed);
  wipe(pair.privateKey);
  return pair.publicKey;
}

export function signDetached(seed: Uint8Array, message: Uint8Array): Uint8Array {
  const s = sodium();
  const pair = s.crypto_sign_seed_keypair(seed);
  try {
    return s.crypto_sign_detached(message, pair.privateKey);
  } finally {
    wipe(pair.privateKey);
  }
}

/** False for a wrong key, an altered message or a signature of the wrong size. */
export function verifyDetached(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== SIGN_PUBLIC_BYTES) return false;
  try {
    return sodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * A short fingerprint of a user's public keys to compare by phone or in
 * person ("k7qm-2xwe-p9fa-hd3r"): 80 bits of BLAKE2b over both keys.
 */
export function fingerprint(keys: UserPublicKeys): string {
  const both = new Uint8Array(keys.box.length + keys.sign.length);
  both.set(keys.box, 0);
  both.set(keys.sign, keys.box.length);
  return groupsOfFour(base32(sodium().crypto_generichash(10, both, null)));
}
