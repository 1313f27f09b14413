// Keyed BLAKE2b over a normalised value: equal inputs give equal indexes, so
// exact lookups and uniqueness work without storing the value. The domain
// keeps an e-mail index from ever matching a personnel-number index.
import { sodium } from './sodium.js';

const encoder = new TextEncoder();

export function blindIndex(key: Uint8Array, domain: string, normalisedValue: string): Uint8Array {
  return sodium().crypto_generichash(32, encoder.encode(`${domain}\u001f${normalisedValue}`), key);
}

/** A key for one purpose derived from a compartment key, so one key is never used for two jobs. */
export function deriveSubkey(key: Uint8Array, purpose: string): Uint8Array {
  return sodium().crypto_generichash(32, encoder.encode(`schuilnaam-subkey\u001f${purpose}`), key);
}
