// Keyed hashes that bind the vault's rows: one per row (summed per table by
// the store's triggers) and one MAC over every table's sum and the audit
// log's head. Without the key, a row cannot be added, removed, altered or put
// back to an older version without a sum or the seal ceasing to match.
import { sodium } from './sodium.js';

const encoder = new TextEncoder();

export interface IntegrityHasher {
  /** Keyed BLAKE2b-256 of one row: the table name and each value, typed and length-prefixed. */
  row(table: string, values: readonly unknown[]): Uint8Array;
  /** Keyed BLAKE2b-256 of the seal's canonical bytes. */
  seal(message: Uint8Array): Uint8Array;
}

function encodeRow(table: string, values: readonly unknown[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (tag: number, bytes: Uint8Array) => {
    const head = new Uint8Array(5);
    head[0] = tag;
    new DataView(head.buffer).setUint32(1, bytes.length);
    parts.push(head, bytes);
    size += 5 + bytes.length;
  };
  push(0x54, encoder.encode(`schuilnaam\u001f1\u001frow\u001f${table}`));
  for (const v of values) {
    if (v === null || v === undefined) push(0, new Uint8Array(0));
    else if (typeof v === 'number' || typeof v === 'bigint') push(1, encoder.encode(String(v)));
    else if (typeof v === 'string') push(2, encoder.encode(v));
    else if (v instanceof Uint8Array) push(3, v);
    else throw new TypeError(`cannot hash a value of type ${typeof v}`);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function integrityHasher(key: Uint8Array): IntegrityHasher {
  const k = Uint8Array.from(key);
  return {
    row: (table, values) => sodium().crypto_generichash(32, encodeRow(table, values), k),
    seal: (message) => sodium().crypto_generichash(32, message, k),
  };
}
