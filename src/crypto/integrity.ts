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

const prefixes = new Map<string, Buffer>();

function prefixOf(table: string): Buffer {
  let p = prefixes.get(table);
  if (!p) {
    const name = encoder.encode(`schuilnaam\u001f1\u001frow\u001f${table}`);
    p = Buffer.alloc(5 + name.length);
    p[0] = 0x54;
    p.writeUInt32BE(name.length, 1);
    p.set(name, 5);
    prefixes.set(table, p);
  }
  return p;
}

/** The table name and each value, typed and length-prefixed, in one buffer (sized first, written once). */
export function encodeRow(table: string, values: readonly unknown[]): Buffer {
  const prefix = prefixOf(table);
  let size = prefix.length;
  for (const v of values) {
    size += 5;
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') size += Buffer.byteLength(v, 'utf8');
    else if (typeof v === 'number' || typeof v === 'bigint') size += String(v).length;
    else if (v instanceof Uint8Array) size += v.length;
    else throw new TypeError(`cannot hash a value of type ${typeof v}`);
  }
  const out = Buffer.allocUnsafe(size);
  prefix.copy(out, 0);
  let at = prefix.length;
  for (const v of values) {
    if (v === null || v === undefined) {
      out[at] = 0;
      out.writeUInt32BE(0, at + 1);
      at += 5;
    } else if (typeof v === 'string') {
      out[at] = 2;
      const n = out.write(v, at + 5, 'utf8');
      out.writeUInt32BE(n, at + 1);
      at += 5 + n;
    } else if (v instanceof Uint8Array) {
      out[at] = 3;
      out.writeUInt32BE(v.length, at + 1);
      out.set(v, at + 5);
      at += 5 + v.length;
    } else {
      const text = String(v);
      out[at] = 1;
      out.writeUInt32BE(text.length, at + 1);
      out.write(text, at + 5, 'latin1');
      at += 5 + text.length;
    }
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
