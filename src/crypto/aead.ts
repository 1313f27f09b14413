// XChaCha20-Poly1305 with associated data. A box is nonce || ciphertext+tag.
// Callers pass associated data naming where the box lives (table, column,
// row id, format version) so a box moved anywhere else fails to open.
import { sodium } from './sodium.js';
import type { RandomSource } from './random.js';
import { systemRandom } from './random.js';

const NONCE = 24;
const TAG = 16;
const encoder = new TextEncoder();

/** Thrown when a box does not authenticate; the vault layer names the record. */
export class AuthenticationFailure extends Error {
  constructor() {
    super('ciphertext failed authentication');
    this.name = 'AuthenticationFailure';
  }
}

export function associatedData(...parts: (string | number)[]): Uint8Array {
  return encoder.encode(parts.join('\u001f'));
}

export function seal(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array, random: RandomSource = systemRandom): Uint8Array {
  const nonce = random(NONCE);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const box = new Uint8Array(NONCE + ct.length);
  box.set(nonce, 0);
  box.set(ct, NONCE);
  return box;
}

export function open(key: Uint8Array, box: Uint8Array, ad: Uint8Array): Uint8Array {
  // Stryker disable next-line ArithmeticOperator: equivalent, a box of 8-39 bytes fails inside libsodium instead and is turned into the same AuthenticationFailure
  if (box.length < NONCE + TAG) throw new AuthenticationFailure();
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(NONCE), ad, box.subarray(0, NONCE), key);
  } catch {
    throw new AuthenticationFailure();
  }
}

// Text is padded to 32-byte blocks before sealing so a ciphertext's length
// does not tell a short name from a long one.
const PAD_BLOCK = 32;

export function sealText(key: Uint8Array, text: string, ad: Uint8Array, random?: RandomSource): Uint8Array {
  return seal(key, sodium().pad(encoder.encode(text), PAD_BLOCK), ad, random);
}

export function openText(key: Uint8Array, box: Uint8Array, ad: Uint8Array): string {
  const padded = open(key, box, ad);
  let bytes: Uint8Array;
  try {
    bytes = sodium().unpad(padded, PAD_BLOCK);
  } catch {
    throw new AuthenticationFailure();
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AuthenticationFailure();
  }
}
