// `verify`: decrypt and check every record this user's keys can open, and run
// SQLite's own integrity check. Collects problems instead of stopping at the first.
import { decodeKdfParams, isBelowFloor } from '../crypto/kdf.js';
import { SchuilnaamError } from '../errors.js';
import type { VaultContext } from './context.js';
import type { Workers } from './workers.js';

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  checked: { workers: number; keyslots: number };
}

export function verifyVault(ctx: VaultContext, workers: Workers): VerifyReport {
  const problems: string[] = [];
  const store = ctx.store;
  problems.push(...store.integrityCheck().map((p) => `sqlite: ${p}`));

  const slots = store.listKeyslots();
  for (const s of slots) {
    try {
      const p = decodeKdfParams(s.kdf, `keyslot of user "${s.user}"`);
      if (isBelowFloor(p)) problems.push(`keyslot of user "${s.user}": key derivation is weaker than the minimum (19 MiB, 2 passes)`);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }

  let count = 0;
  for (const row of store.iterateWorkers()) {
    count++;
    if (row.status === 'offboarded') {
      if (row.data_key !== null || row.first_name !== null || row.bi_email !== null) {
        problems.push(`worker ${row.id}: offboarded, but identity data is still present`);
      }
      continue;
    }
    if (!ctx.keyring.has('identity')) continue;
    try {
      const w = workers.decrypt(row)!;
      const expected = workers.blindIndexesOf(w);
      if (!sameBytes(expected.email, row.bi_email)) problems.push(`worker ${row.id}: e-mail blind index does not match the record`);
      if (!sameBytes(expected.employeeNo, row.bi_employee_no)) {
        problems.push(`worker ${row.id}: personnel-number blind index does not match the record`);
      }
    } catch (e) {
      if (e instanceof SchuilnaamError) problems.push(e.message);
      else throw e;
    }
  }
  return { ok: problems.length === 0, problems, checked: { workers: count, keyslots: slots.length } };
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
