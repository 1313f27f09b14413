// Keyed hashes that bind the vault's rows: one per row (summed per table by
// the store's triggers) and one MAC over every table's sum and the audit
// log's head. Without the key, a row cannot be added, removed, altered or put
// back to an older version without a sum or the seal ceasing to match.
import { sodium } from './sodium.js';

export interface IntegrityHasher {
  /** Keyed BLAKE2b-256 of one row: its table and its canonical text (ASCII: types and hex, see store/migrations.ts). */
  row(table: string, text: string): Uint8Array;
  /** Keyed BLAKE2b-256 of the seal's canonical bytes. */
  seal(message: Uint8Array): Uint8Array;
}

const prefixes = new Map<string, Buffer>();

/** The domain of one table's row hashes: "schuilnaam␟1␟row␟<table>␟". */
function prefixOf(table: string): Buffer {
  let p = prefixes.get(table);
  // Stryker disable next-line ConditionalExpression: equivalent when always true, the cache only saves an allocation
  if (!p) {
    // Stryker disable next-line StringLiteral: an empty encoding name means UTF-8 to Node; the known-answer test pins the domain string
    p = Buffer.from(`schuilnaam\u001f1\u001frow\u001f${table}\u001f`, 'utf8');
    prefixes.set(table, p);
  }
  return p;
}

export function integrityHasher(key: Uint8Array): IntegrityHasher {
  const k = Uint8Array.from(key);
  return {
    row: (table, text) => {
      const prefix = prefixOf(table);
      const buf = Buffer.allocUnsafe(prefix.length + text.length);
      prefix.copy(buf, 0);
      // Stryker disable next-line StringLiteral: equivalent, row texts are ASCII (types and hex), the same bytes in any encoding
      buf.write(text, prefix.length, 'latin1');
      return sodium().crypto_generichash(32, buf, k);
    },
    seal: (message) => sodium().crypto_generichash(32, message, k),
  };
}
