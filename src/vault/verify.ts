// `verify`: decrypt and check every record this user's keys can open, and run
// SQLite's own integrity check. Collects problems instead of stopping at the first.
import { decodeKdfParams, isBelowFloor } from '../crypto/kdf.js';
import { SchuilnaamError } from '../errors.js';
import type { VaultContext } from './context.js';
import type { Workers } from './workers.js';
import type { AuditLog } from './audit.js';
import type { Cases } from './cases.js';
import type { Documents } from './documents.js';
import type { Pseudonyms } from './pseudonyms.js';

import type { Integrity } from './integrity.js';

export interface VerifyParts {
  integrity: Integrity;
  workers: Workers;
  cases: Cases;
  pseudonyms: Pseudonyms;
  audit: AuditLog;
  documents: Documents;
}

/** What offboarding destroys: the data key, every identity column and both blind indexes. */
const OFFBOARD_SHREDDED = ['data_key', 'first_name', 'prefix', 'last_name', 'initials', 'email', 'phone', 'employee_no', 'bi_email', 'bi_employee_no'] as const;

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  checked: { workers: number; keyslots: number; cases: number; pseudonyms: number; documents: number; audit_entries: number };
}

export function verifyVault(ctx: VaultContext, parts: VerifyParts): VerifyReport {
  const problems: string[] = [];
  try {
    return checkAll(ctx, parts, problems);
  } catch (e) {
    // Damage that stops the walk (e.g. unreadable pages) is itself the finding.
    if (!(e instanceof SchuilnaamError)) throw e;
    problems.push(e.message);
    return { ok: false, problems, checked: { workers: 0, keyslots: 0, cases: 0, pseudonyms: 0, documents: 0, audit_entries: 0 } };
  }
}

function checkAll(ctx: VaultContext, parts: VerifyParts, problems: string[]): VerifyReport {
  const { workers } = parts;
  const store = ctx.store;
  try {
    problems.push(...store.integrityCheck().map((p) => `sqlite: ${p}`));
  } catch (e) {
    if (!(e instanceof SchuilnaamError)) throw e;
    problems.push(e.message);
  }

  // Rows added, removed, altered or rolled back without the key, in any table.
  try {
    problems.push(...parts.integrity.problems().map((p) => p.problem));
  } catch (e) {
    if (!(e instanceof SchuilnaamError)) throw e;
    problems.push(e.message);
  }

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
  const expectedGuards = new Map<string, number>();
  for (const row of store.iterateWorkers()) {
    count++;
    if (row.status === 'offboarded') {
      const left = OFFBOARD_SHREDDED.filter((c) => row[c] !== null);
      if (left.length > 0) {
        problems.push(`worker ${row.id}: offboarded, but identity data is still present (${left.join(', ')})`);
      }
      continue;
    }
    if (!ctx.keyring.has('identity')) continue;
    try {
      const w = workers.decrypt(row)!;
      if (ctx.keyring.has('scan')) {
        for (const d of workers.guardDigests(w).all) {
          const hex = Buffer.from(d).toString('hex');
          expectedGuards.set(hex, (expectedGuards.get(hex) ?? 0) + 1);
        }
      }
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
  if (ctx.keyring.has('identity') && ctx.keyring.has('scan')) {
    const stored = store.guardCounts();
    const same = stored.size === expectedGuards.size && [...expectedGuards].every(([d, n]) => stored.get(d) === n);
    if (!same) problems.push('name guards do not match the workers: pseudonyms may not be kept unlike every real name');
  }

  // Case-facing records: every sealed field must open where it is.
  let cases = 0;
  let pseudonyms = 0;
  let documents = 0;
  if (ctx.keyring.has('casefacing')) {
    const collect = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        if (e instanceof SchuilnaamError) problems.push(e.message);
        else throw e;
      }
    };
    for (const row of ctx.cases.iterateCases()) {
      cases++;
      collect(() => parts.cases.view(row));
    }
    for (const row of ctx.cases.iteratePseudonyms()) {
      pseudonyms++;
      collect(() => parts.pseudonyms.view(row));
    }
    for (const row of ctx.documents.list()) {
      documents++;
      collect(() => {
        const problem = parts.documents.check(row);
        if (problem) problems.push(problem);
      });
    }
    // A document whose run stopped between registering and completing it: its file may be out there.
    collect(() => problems.push(...parts.documents.pendingProblems()));
    for (const id of ctx.cases.activeResemblingWorkers()) {
      problems.push(`pseudonym ${id} resembles a real worker's surname; rotate it`);
    }
  }
  let auditEntries = 0;
  if (ctx.keyring.has('audit')) {
    const audit = parts.audit.verify();
    auditEntries = audit.entries;
    problems.push(...audit.problems);
  }
  return {
    ok: problems.length === 0,
    problems,
    checked: { workers: count, keyslots: slots.length, cases, pseudonyms, documents, audit_entries: auditEntries },
  };
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
