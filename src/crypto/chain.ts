// Hash chain and MAC for the audit log: each entry's hash covers the previous
// hash and the entry's canonical bytes; the MAC (audit key) covers the hash.
import { sodium } from './sodium.js';

export const GENESIS = new Uint8Array(32);

export function chainHash(prev: Uint8Array, entry: Uint8Array): Uint8Array {
  const buf = new Uint8Array(prev.length + entry.length);
  buf.set(prev, 0);
  buf.set(entry, prev.length);
  return sodium().crypto_generichash(32, buf, null);
}

export function chainMac(key: Uint8Array, hash: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, hash, key);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium().memcmp(a, b);
}
