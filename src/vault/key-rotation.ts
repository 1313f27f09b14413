// Replacing compartment keys after a user is removed (issue #9). The removed
// user may have kept her keys (a keyslot copy, a session file): every
// compartment she held gets a new key epoch, every record under it is sealed
// again (or its keyed index computed again), and the remaining users get
// grants of the new keys. One write transaction: interrupted, it leaves the
// vault as it was, and running `user remove` again finishes it.
//
// Two things keep their old key, because they cannot be rewritten: audit
// entries (their hash covers the MAC's input and the sealed reason) and the
// leak forms of offboarded workers (keyed hashes whose names were erased).
// Those old keys stay granted, as retired keys, to the roles that need them.
import { blindIndex, deriveSubkey } from '../crypto/blind-index.js';
import { integrityHasher } from '../crypto/integrity.js';
import { COMPARTMENTS, Keyring, type Compartment } from '../crypto/keyring.js';
import { wipe } from '../crypto/sodium.js';
import { faultPoint } from '../fault.js';
import { signPublicKey } from '../crypto/user-keys.js';
import { IDENTITY_FIELDS, type WorkerRecord } from '../core/worker-fields.js';
import { caseReferenceKey, teamKey } from '../core/case-fields.js';
import { formalSurnameKeys, pseudonymKey } from '../core/pseudonym-gen.js';
import { RekeyStore, type Cell } from '../store/rekey.js';
import { UserStore } from '../store/users.js';
import { AuditLog } from './audit.js';
import { VaultContext } from './context.js';
import { addOrgGeneration } from './org-key.js';
import { RIGHTS } from './rights.js';
import { ROLE_COMPARTMENTS } from './roles.js';
import { ScanIndex } from './scan-index.js';
import { openField, sealField, sealKey } from './sealing.js';
import { checkedUser, recordOf, resignSignedFrom } from './users.js';
import { makeGrant, signUserRecord } from './user-records.js';
import { Workers } from './workers.js';

export type Progress = (step: string, done: number, total: number) => void;

/** Which retired keys each role keeps: what it needs to check or read what can never be re-sealed. */
const RETIRED_FOR: Partial<Record<Compartment, (role: string) => boolean>> = {
  audit: () => true, // every role verifies the audit chain
  scan: () => true, // every role scans; offboarded workers' forms keep their key
  casefacing: (role) => (RIGHTS['audit.read'].roles as readonly string[]).includes(role), // sealed reasons in old audit entries
};

export interface RotationResult {
  epochs: Partial<Record<Compartment, number>>;
  records: number;
  grants: number;
  withdrawn: string[];
}

/**
 * Gives each compartment of `rotate` a new key and re-seals everything under
 * it. `ctx` is an administrator's (she holds every key). Call inside a write
 * transaction; returns the new context's audit log for the caller's entry.
 */
export function rotateKeys(ctx: VaultContext, rotate: readonly Compartment[], removed: readonly string[], progress: Progress = () => {}): RotationResult {
  const store = ctx.store;
  const rekey = new RekeyStore(store);
  const users = new UserStore(store);
  const old = ctx.keyring;
  const epochs: Partial<Record<Compartment, number>> = {};
  const fresh: [Compartment, Uint8Array][] = [];
  const lastEpoch = new Map<number, number>();
  for (const e of users.epochs()) lastEpoch.set(e.compartment, Math.max(lastEpoch.get(e.compartment) ?? 0, e.epoch));
  for (const c of rotate) {
    epochs[c] = (lastEpoch.get(COMPARTMENTS[c]) ?? 1) + 1;
    fresh.push([c, ctx.random(32)]);
  }
  // The new keyring: new keys where rotated, the others as they were, and
  // every old key kept as retired (only those RETIRED_FOR names are granted).
  const ring = Keyring.of([...old.compartments().filter((c) => !rotate.includes(c)).map((c): [Compartment, Uint8Array] => [c, old.get(c)!]), ...fresh]);
  for (const c of ring.compartments()) ring.setEpoch(c, rotate.includes(c) ? epochs[c]! : old.epochOf(c));
  for (const [c, e, k] of old.retiredKeys()) ring.addRetired(c, e, k);
  for (const c of rotate) ring.addRetired(c, old.epochOf(c), old.get(c)!);
  for (const [, k] of fresh) wipe(k);

  const next = new VaultContext(store, ring, ctx.vaultId, ctx.user, ctx.role, () => new Date(ctx.now()), ctx.random);
  next.signSeed = ctx.signSeed;
  next.orgSign = ctx.orgSign;
  next.worker = ctx.worker;
  const R = new Set(rotate);
  let records = 0;

  // Organisation key first: the user records re-signed below are checked against it.
  if (R.has('org')) {
    addOrgGeneration(store, ctx.vaultId, old.get('org')!, ring.get('org')!);
    next.orgSign = signPublicKey(ring.get('org')!);
    // Every record is checked before any is signed again: an enrolment-signed one is checked through its administrator's.
    const rows = users.users();
    for (const row of rows) checkedUser(store, ctx.vaultId, row.name, ctx.orgSign!);
    for (const row of rows) users.putUser({ ...row, signed_by: 'org', sig: signUserRecord(ctx.vaultId, recordOf(row), ring.get('org')!) });
    resignSignedFrom(store, ctx.vaultId, ring.get('org')!);
  }

  const oldWorkers = new Workers(ctx, new AuditLog(ctx), () => 0, new ScanIndex(ctx));
  const newScan = new ScanIndex(next);
  const newWorkers = new Workers(next, new AuditLog(next), () => 0, newScan);
  const reseal = (c: Compartment, box: Cell, table: string, column: string, rowId: string): Uint8Array | null => {
    if (box === null) return null;
    const text = openField(old.get(c)!, box as Uint8Array, { table, column, rowId });
    return sealField(ring.get(c)!, text, { table, column, rowId }, ctx.random);
  };

  // Workers: identity under a new data key each, the team, the blind indexes.
  const active = new Map<string, WorkerRecord>();
  const workerRows = store.workers();
  workerRows.forEach((row, i) => {
    progress('workers', i, workerRows.length);
    const values: Record<string, Cell> = {};
    if (row.status === 'active') {
      const w = oldWorkers.decrypt(row)!;
      active.set(row.id, w);
      if (R.has('identity')) {
        const dataKey = ctx.random(32);
        try {
          for (const f of IDENTITY_FIELDS) values[f] = sealField(dataKey, w[f], { table: 'workers', column: f, rowId: row.id }, ctx.random);
          values.data_key = sealKey(ring.get('identity')!, dataKey, { table: 'workers', column: 'data_key', rowId: row.id }, ctx.random);
        } finally {
          wipe(dataKey);
        }
      }
      if (R.has('blind')) {
        const was = oldWorkers.blindIndexesOf(w);
        if (!sameCell(was.email, row.bi_email) || !sameCell(was.employeeNo, row.bi_employee_no)) {
          throw new Error(`worker ${row.id}: its blind indexes are not the ones its record gives; nothing was changed`);
        }
        const bi = newWorkers.blindIndexesOf(w);
        values.bi_email = bi.email;
        values.bi_employee_no = bi.employeeNo;
      }
    }
    if (R.has('casefacing')) values.team = reseal('casefacing', row.team, 'workers', 'team', row.id);
    if (Object.keys(values).length > 0) {
      rekey.update('workers', 'id', row.id, values);
      records++;
      faultPoint('resealed');
    }
  });

  if (R.has('casefacing')) {
    // Each table's sealed columns, and the lookup hash computed from one of them (domain, key of the plaintext).
    const tables: [string, string[], { column: string; domain: string; of: string; key: (plain: string) => string } | undefined][] = [
      ['teams', ['name', 'settings'], { column: 'name_index', domain: 'team', of: 'name', key: teamKey }],
      ['cases', ['reference', 'team', 'risk'], { column: 'ref_index', domain: 'case', of: 'reference', key: caseReferenceKey }],
      ['compromises', ['details'], undefined],
      ['pseudonyms', ['name', 'formal', 'end_reason'], { column: 'name_index', domain: 'pseudonym', of: 'name', key: pseudonymKey }],
      ['documents', ['record'], undefined],
    ];
    for (const [table, columns, lookup] of tables) {
      const rows = rekey.rows(table, 'id', lookup ? [...columns, lookup.column] : columns);
      rows.forEach((r, i) => {
        progress(table, i, rows.length);
        const id = r.id as string;
        const values: Record<string, Cell> = {};
        const plain: Record<string, string> = {};
        for (const col of columns) {
          const box = r[col] ?? null;
          if (box === null) {
            values[col] = null;
            continue;
          }
          plain[col] = openField(old.get('casefacing')!, box as Uint8Array, { table, column: col, rowId: id });
          values[col] = sealField(ring.get('casefacing')!, plain[col]!, { table, column: col, rowId: id }, ctx.random);
        }
        if (lookup) {
          const key = lookup.key(plain[lookup.of]!);
          // Computed the same way under the old key, it must be the stored one: else finding this record would break.
          if (!Buffer.from(ctx.lookup(lookup.domain, key)).equals(Buffer.from(r[lookup.column] as Uint8Array))) {
            throw new Error(`${table} ${id}: its lookup hash is not the one its plaintext gives; nothing was changed`);
          }
          values[lookup.column] = next.lookup(lookup.domain, key);
        }
        rekey.update(table, 'id', id, values);
        records++;
        faultPoint('resealed');
      });
    }
  }

  if (R.has('scan')) {
    // Guards against pseudonyms that resemble a real worker, from the names themselves.
    rekey.deleteNameGuards();
    for (const w of active.values()) for (const d of newWorkers.guardDigests(w).all) store.addGuard(d);
    const stored = rekey.pseudonymGuards();
    const guarded = new Set(stored.map((g) => g.pseudonym_id));
    const before = stored.map((g) => `${Buffer.from(g.digest).toString('hex')}:${g.pseudonym_id}`).sort();
    const recomputed: string[] = [];
    rekey.deletePseudonymGuards();
    for (const id of guarded) {
      // Read as it is now: sealed under the new case-facing key if that was rotated above.
      const row = ctx.cases.pseudonymById(id)!;
      const formal = openField(ring.get('casefacing')!, row.formal, { table: 'pseudonyms', column: 'formal', rowId: id });
      for (const key of formalSurnameKeys(formal)) {
        recomputed.push(`${Buffer.from(ctx.guard('surname', key)).toString('hex')}:${id}`);
        ctx.cases.insertPseudonymGuard(next.guard('surname', key), id);
      }
    }
    // The stored guards must be exactly what the names give under the old key: else this rewrite would lose some.
    if (recomputed.sort().join() !== before.join()) throw new Error('the pseudonym guards do not match the pseudonyms they were made from; nothing was changed');
  }

  if (R.has('scan') || R.has('blind')) rewriteScanIndex(ctx, next, newScan, active, progress);

  // Grants: every remaining user, every key of her role, and the retired keys she needs.
  rekey.deleteAllGrants();
  let grants = 0;
  const now = ctx.now();
  const current = new Map<number, number>();
  for (const e of users.epochs()) if (e.state === 'current') current.set(e.compartment, e.epoch);
  for (const c of rotate) {
    const id = COMPARTMENTS[c];
    users.setEpochState(id, current.get(id) ?? 1, 'retired');
    users.insertEpoch({ compartment: id, epoch: epochs[c]!, state: 'current', created_at: now });
  }
  for (const row of users.users()) {
    if (row.status !== 'active' || removed.includes(row.name)) continue;
    const record = checkedUser(store, ctx.vaultId, row.name, next.orgSign!);
    const give = (c: Compartment, epoch: number, key: Uint8Array) => {
      const g = makeGrant(ctx.vaultId, { user: row.name, compartment: c, epoch, grantedBy: ctx.user }, record.keys, key, ctx.signSeed!);
      users.insertGrant({ user: row.name, compartment: COMPARTMENTS[c], epoch, sealed: g.sealed, granted_by: ctx.user, granted_at: now, sig: g.sig });
      grants++;
    };
    for (const c of ROLE_COMPARTMENTS[record.role]) give(c, ring.epochOf(c), ring.get(c)!);
    for (const [c, e, k] of ring.retiredKeys()) {
      if ((ROLE_COMPARTMENTS[record.role] as readonly Compartment[]).includes(c) && RETIRED_FOR[c]?.(record.role)) give(c, e, k);
    }
  }
  // A pending enrolment holds the old keys: it is withdrawn, and the user is added again.
  const withdrawn = rekey.deleteAllEnrolments();

  new AuditLog(next).append('keys.rotate', 'vault', { after_removing: removed, epochs, records, grants, enrolments_withdrawn: withdrawn });
  if (R.has('audit')) {
    store.setIntegrityHasher(integrityHasher(deriveSubkey(ring.get('audit')!, 'integrity')));
    store.sealAll();
  }
  // The caller's context goes on with the new keys.
  ctx.keyring.adopt(ring);
  ctx.forgetDerivedKeys();
  ctx.orgSign = next.orgSign;
  ring.destroy();
  return { epochs, records, grants, withdrawn };
}

function sameCell(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : Buffer.from(a).equals(Buffer.from(b));
}

/**
 * The leak-scan index under the new keys: every active worker's and every
 * ended pseudonym's forms written again from the names; an offboarded
 * worker's forms (their names are gone) keep their keyed hashes and the scan
 * key they were made with, and only their owner and worker are sealed again.
 */
function rewriteScanIndex(ctx: VaultContext, next: VaultContext, newScan: ScanIndex, active: Map<string, WorkerRecord>, progress: Progress): void {
  const rekey = new RekeyStore(ctx.store);
  const oldBlind = ctx.key('blind');
  const rows = rekey.scanRows();
  const formerOwner = new Map<string, string>(); // owner hex -> offboarded worker id
  for (const row of ctx.store.workers()) if (row.status === 'offboarded') formerOwner.set(Buffer.from(blindIndex(oldBlind, 'scan-owner', row.id)).toString('hex'), row.id);
  rows.forEach((r, i) => {
    progress('scan_index', i, rows.length);
    const ownerHex = Buffer.from(r.owner).toString('hex');
    const former = formerOwner.get(ownerHex);
    if (former === undefined) {
      rekey.deleteScanRow(r.id);
      return;
    }
    // Kept: its tokens stay under the scan key they were hashed with (its kind names that epoch).
    const workerId = openField(oldBlind, r.worker, { table: 'scan_index', column: 'worker', rowId: `${ownerHex}:${r.kind}:${Buffer.from(r.tokens).toString('hex')}` });
    if (workerId !== former) throw new Error(`scan index entry ${r.id} names another worker than its owner; nothing was changed`);
    const owner = blindIndex(next.key('blind'), 'scan-owner', former);
    const newHex = Buffer.from(owner).toString('hex');
    const worker = sealField(next.key('blind'), former, { table: 'scan_index', column: 'worker', rowId: `${newHex}:${r.kind}:${Buffer.from(r.tokens).toString('hex')}` }, ctx.random);
    rekey.updateScanRow(r.id, owner, worker);
  });
  for (const [id, w] of active) newScan.updateWorker(id, w);
  const pseudonyms = [...next.cases.iteratePseudonyms()].filter((p) => p.status !== 'active');
  for (const p of pseudonyms) {
    const name = openField(next.key('casefacing'), p.name, { table: 'pseudonyms', column: 'name', rowId: p.id });
    const formal = openField(next.key('casefacing'), p.formal, { table: 'pseudonyms', column: 'formal', rowId: p.id });
    newScan.addRetiredPseudonym(p.id, p.worker_id, name, formal);
  }
}
