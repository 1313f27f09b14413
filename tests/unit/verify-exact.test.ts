// The whole `verify` report, exactly, as a security officer reads it: for a
// clean vault, and for each kind of damage, every problem line in order, the
// ok flag and what was checked. Also the gate every command passes
// (Integrity.require), sealing a vault that has none, and the one tamper
// error a sealed field becomes. In-process against src/ so that mutation
// testing sees it (tests/unit/**). Invented people only.
//
// One vault is built once (beforeAll, with real key derivation); each test
// works on a copy of its file, opened with the keys of that vault, so no test
// pays for key derivation again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomId } from '../../src/core/ids.js';
import { associatedData, seal } from '../../src/crypto/aead.js';
import { deriveKek, encodeKdfParams, type KdfParams } from '../../src/crypto/kdf.js';
import { ALL_COMPARTMENTS, Keyring, type Compartment } from '../../src/crypto/keyring.js';
import { systemRandom } from '../../src/crypto/random.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { BusyError, IntegrityError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { APPLICATION_ID } from '../../src/store/store.js';
import { parseHead } from '../../src/vault/audit.js';
import { VaultContext } from '../../src/vault/context.js';
import { CRYPTO_FORMAT, type VaultDeps } from '../../src/vault/deps.js';
import { sealKeyslot } from '../../src/vault/keyslots.js';
import { ROLE_COMPARTMENTS, type Role } from '../../src/vault/roles.js';
import { Vault, VaultFile } from '../../src/vault/vault.js';
import type { VerifyReport } from '../../src/vault/verify.js';
import { makeBench, readRows, type Bench } from '../helpers/inproc.js';
import { openAsAttacker } from '../helpers/tamper.js';

const WIETSKE = { first_name: 'Wietske', prefix: 'van der', last_name: 'Hoekstraat', initials: 'W.J.', email: 'w.vdhoekstraat@jeugdhulp-proef.nl', phone: '06-48127736', employee_no: 'VB-40417', team: 'Team Oost' };
/** No e-mail address and no personnel number: both blind indexes are NULL. */
const BAREND = { first_name: 'Barend', last_name: 'Kloosterhuis', team: 'Team Oost' };
/** Offboarded in the base vault: every identity column shredded. */
const GIJS = { first_name: 'Gijs', last_name: 'Hollewand', email: 'g.hollewand@jeugdhulp-proef.nl', phone: '06-39127745', team: 'Team Oost' };
const CASE_REF = 'JB-2026/0412';
const MIRA_PASS = new TextEncoder().encode('mira heeft een eigen zin');

let bench: Bench | undefined;
let base = '';
/** Every compartment key of the base vault (its copies share them). */
let ring: Keyring | undefined;
const ids = { wietske: '', barend: '', gijs: '', case: '', pseudonym: '', surname: '', document: '' };
let auditEntries = 0;

beforeAll(async () => {
  await loadSodium();
  bench = makeBench('schuilnaam-verify-exact-');
  base = await bench.create('base.db');
  const v = await bench.unlock(base);
  ids.wietske = v.workers.add(WIETSKE);
  ids.barend = v.workers.add(BAREND);
  ids.gijs = v.workers.add(GIJS);
  v.workers.offboard(ids.gijs);
  ids.case = v.cases.add(CASE_REF, 'Team Oost', 'normal').id;
  v.cases.assign(CASE_REF, ids.wietske);
  const p = v.pseudonyms.get(CASE_REF, ids.wietske);
  ids.pseudonym = p.id;
  ids.surname = p.formal.replace(/^\S+\s+/u, '');
  // One letter, in place and complete.
  const letter = path.join(bench.dir, 'brief.txt');
  fs.writeFileSync(letter, `Beste ouders, met vriendelijke groet, ${p.pseudonym}`);
  const sha256 = createHash('sha256').update(fs.readFileSync(letter)).digest('hex');
  [ids.document] = v.documents.registerPending([{ kind: 'render', record: { case: CASE_REF, worker: ids.wietske, template: 'brief', builtin: true, language: 'nl', format: 'txt', path: letter, sha256, values: {}, pseudonyms: [p.pseudonym] }, pseudonymIds: [p.id] }]) as [string];
  v.documents.complete([ids.document]);
  // A second user, a caseworker.
  const slot = { id: randomId('K', systemRandom(5)), user: 'mira', role: 'caseworker' as const };
  const caseworkerRing = v.ctx.keyring.subset(ROLE_COMPARTMENTS.caseworker);
  const sealed = sealKeyslot(v.ctx.vaultId, slot, { keyring: caseworkerRing }, MIRA_PASS, 'owasp-floor', systemRandom);
  caseworkerRing.destroy();
  v.ctx.store.transaction(() => v.ctx.store.insertKeyslot({ ...slot, ...sealed, created_at: v.ctx.now(), updated_at: v.ctx.now() }));
  ring = v.ctx.keyring.subset(ALL_COMPARTMENTS);
  bench.closeAll();
  expect(fs.existsSync(`${base}-wal`)).toBe(false);
  auditEntries = readRows<{ n: number }>(base, 'SELECT count(*) AS n FROM audit_log')[0]!.n;
  expect(auditEntries).toBeGreaterThanOrEqual(9);
});

afterAll(() => {
  ring?.destroy();
  bench?.cleanup();
});

const opened: Vault[] = [];
const blockers: Database.Database[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of blockers.splice(0)) db.close();
  for (const v of opened.splice(0)) v.close();
});

let copies = 0;
/** A fresh copy of the base vault's file. */
function copy(): string {
  const file = path.join(bench!.dir, `copy-${copies++}.db`);
  fs.copyFileSync(base, file);
  return file;
}

interface Who {
  user: string;
  role: Role;
  compartments: readonly Compartment[];
}
const ADMIN: Who = { user: 'admin', role: 'admin', compartments: ROLE_COMPARTMENTS.admin };
const CASEWORKER: Who = { user: 'mira', role: 'caseworker', compartments: ROLE_COMPARTMENTS.caseworker };
/** A keyring that holds every compartment but these. */
const without = (...missing: Compartment[]): Who => ({ user: 'admin', role: 'admin', compartments: ALL_COMPARTMENTS.filter((c) => !missing.includes(c)) });

/** Opens a vault file the way unlocking does once a keyslot opened: the same Vault, with these keys. */
async function openWith(file: string, who: Who = ADMIN, keys: Keyring = ring!, deps: VaultDeps = bench!.deps): Promise<Vault> {
  const vf = await VaultFile.open(file, deps);
  try {
    const v = new Vault(vf, new VaultContext(vf.store, keys.subset(who.compartments), vf.vaultId, who.user, who.role, deps.clock, deps.random), deps);
    opened.push(v);
    return v;
  } catch (e) {
    vf.close();
    throw e;
  }
}

/** Changes the file as an attacker without the key would (no stored digest moves). */
function tamper(file: string, sql: string, ...params: unknown[]): void {
  const db = openAsAttacker(file);
  try {
    db.prepare(sql).run(...params);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

const CLEAN_CHECKED = () => ({ workers: 3, keyslots: 2, cases: 1, pseudonyms: 1, documents: 1, audit_entries: auditEntries });
const NOTHING_CHECKED = { workers: 0, keyslots: 0, cases: 0, pseudonyms: 0, documents: 0, audit_entries: 0 };
const tableChanged = (t: string) => `the ${t} table was changed outside schuilnaam (rows altered or put back to an older version)`;
const tampered = (id: string, table: string, column: string) => `record ${id} (${table}.${column}) failed its integrity check: it was altered or moved from another record`;

/** The report of a damaged copy: not ok, these problems in this order, everything walked. */
function damaged(problems: string[], checked: Partial<VerifyReport['checked']> = {}): VerifyReport {
  return { ok: false, problems, checked: { ...CLEAN_CHECKED(), ...checked } };
}

describe('verify on a clean vault', () => {
  it('unlocked with the passphrase: ok, no problem, and every record of every kind counted', async () => {
    const v = await bench!.unlock(copy());
    expect(v.verify()).toEqual({ ok: true, problems: [], checked: CLEAN_CHECKED() });
  });

  it('the same report with the keys opened once for these tests (what every other test here uses)', async () => {
    const v = await openWith(copy());
    expect(v.verify()).toEqual({ ok: true, problems: [], checked: CLEAN_CHECKED() });
    // Verify only reads: nothing was written, so the next verify says the same.
    expect(v.verify()).toEqual({ ok: true, problems: [], checked: CLEAN_CHECKED() });
    expect(readRows<{ n: number }>(v.path, 'SELECT count(*) AS n FROM audit_log')[0]!.n).toBe(auditEntries);
  });
});

describe('verify checks what the keys open, and reports nothing it could not check', () => {
  it('a caseworker (no identity key): no identity, blind-index or name-guard finding it cannot make', async () => {
    const v = await openWith(copy(), CASEWORKER);
    expect(v.ctx.keyring.has('identity')).toBe(false);
    const report = v.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked).toMatchObject({ keyslots: 2, cases: 1, pseudonyms: 1, documents: 1, audit_entries: auditEntries });
  });

  it('a caseworker still sees what needs no identity key: an offboarded worker with identity data left', async () => {
    const file = copy();
    tamper(file, 'UPDATE workers SET phone = (SELECT phone FROM workers WHERE id = ?) WHERE id = ?', ids.wietske, ids.gijs);
    const report = (await openWith(file, CASEWORKER)).verify();
    expect(report.problems).toEqual([tableChanged('workers'), `worker ${ids.gijs}: offboarded, but identity data is still present (phone)`]);
  });

  it('without the leak-scan key: workers and blind indexes are checked, name guards are not', async () => {
    const file = copy();
    expect((await openWith(file, without('scan'))).verify()).toEqual({ ok: true, problems: [], checked: CLEAN_CHECKED() });
    tamper(file, 'UPDATE workers SET bi_employee_no = randomblob(32) WHERE id = ?', ids.wietske);
    expect((await openWith(file, without('scan'))).verify()).toEqual(damaged([tableChanged('workers'), `worker ${ids.wietske}: personnel-number blind index does not match the record`]));
  });

  it('without the case-facing key: no case, pseudonym or document is opened or counted', async () => {
    const v = await openWith(copy(), without('casefacing'));
    expect(v.verify()).toEqual({ ok: true, problems: [], checked: { ...CLEAN_CHECKED(), cases: 0, pseudonyms: 0, documents: 0 } });
  });

  it('without the audit key: neither the seal nor the audit log is checked (no entry counted)', async () => {
    const v = await openWith(copy(), without('audit'));
    expect(v.integrity.problems()).toEqual([]);
    expect(v.verify()).toEqual({ ok: true, problems: [], checked: { ...CLEAN_CHECKED(), audit_entries: 0 } });
  });
});

describe('verify on a damaged vault: every problem, in order', () => {
  it('identity data put back on an offboarded worker names each column, in the order of the record', async () => {
    const file = copy();
    tamper(file, 'UPDATE workers SET email = (SELECT email FROM workers WHERE id = ?), phone = (SELECT phone FROM workers WHERE id = ?) WHERE id = ?', ids.wietske, ids.wietske, ids.gijs);
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('workers'), `worker ${ids.gijs}: offboarded, but identity data is still present (email, phone)`]));
  });

  it("a worker's sealed surname copied over their first name: named by record and column, and the walk goes on", async () => {
    const file = copy();
    tamper(file, 'UPDATE workers SET first_name = last_name WHERE id = ?', ids.wietske);
    const report = (await openWith(file)).verify();
    expect(report).toMatchObject({ ok: false, checked: CLEAN_CHECKED() });
    // Only the lines that are sure. Verify goes on to say the name guards do not match the workers:
    // the guard table is intact, but the worker it could not open is left out of the comparison.
    // That extra line is a mis-report (reported, not pinned here either way).
    expect(report.problems.slice(0, 2)).toEqual([tableChanged('workers'), tampered(ids.wietske, 'workers', 'first_name')]);
  });

  it("a worker's data key swapped with another worker's: both records named", async () => {
    const file = copy();
    const db = openAsAttacker(file);
    try {
      const key = (id: string) => (db.prepare('SELECT data_key FROM workers WHERE id = ?').get(id) as { data_key: Buffer }).data_key;
      const [a, b] = [key(ids.wietske), key(ids.barend)];
      db.prepare('UPDATE workers SET data_key = ? WHERE id = ?').run(b, ids.wietske);
      db.prepare('UPDATE workers SET data_key = ? WHERE id = ?').run(a, ids.barend);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    const report = (await openWith(file)).verify();
    expect(report).toMatchObject({ ok: false, checked: CLEAN_CHECKED() });
    // As above: the name-guard line that follows is an artefact of the two workers left unopened.
    expect(report.problems.slice(0, 3)).toEqual([tableChanged('workers'), tampered(ids.wietske, 'workers', 'data_key'), tampered(ids.barend, 'workers', 'data_key')]);
  });

  it('an e-mail blind index given to a worker who has no e-mail address', async () => {
    const file = copy();
    tamper(file, 'UPDATE workers SET bi_email = randomblob(32) WHERE id = ?', ids.barend);
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('workers'), `worker ${ids.barend}: e-mail blind index does not match the record`]));
  });

  it("an e-mail blind index removed from a worker who has one (duplicates would go unnoticed)", async () => {
    const file = copy();
    tamper(file, 'UPDATE workers SET bi_email = NULL WHERE id = ?', ids.wietske);
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('workers'), `worker ${ids.wietske}: e-mail blind index does not match the record`]));
  });

  it('a name guard no worker accounts for (written with the key: only the comparison can see it)', async () => {
    const v = await openWith(copy());
    v.ctx.store.transaction(() => v.ctx.store.addGuard(systemRandom(32)));
    expect(v.verify()).toEqual(damaged(['name guards do not match the workers: pseudonyms may not be kept unlike every real name']));
  });

  it("a keyslot's key-derivation parameters made unreadable: named by user, and the walk goes on", async () => {
    const file = copy();
    tamper(file, `UPDATE keyslots SET kdf = '{"alg":"argon2id13"}' WHERE user = 'mira'`);
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('keyslots'), 'keyslot of user "mira" has invalid key-derivation parameters']));
  });

  it("a case's sealed field moved to another column", async () => {
    const file = copy();
    tamper(file, 'UPDATE cases SET risk = team');
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('cases'), tampered(ids.case, 'cases', 'risk')]));
  });

  it("a pseudonym's sealed name replaced by its formal form", async () => {
    const file = copy();
    tamper(file, 'UPDATE pseudonyms SET name = formal');
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('pseudonyms'), tampered(ids.pseudonym, 'pseudonyms', 'name')]));
  });

  it("a document's sealed record overwritten", async () => {
    const file = copy();
    tamper(file, 'UPDATE documents SET record = randomblob(length(record))');
    expect((await openWith(file)).verify()).toEqual(damaged([tableChanged('documents'), tampered(ids.document, 'documents', 'record')]));
  });

  it("a document's pseudonym links lost (written with the key): rotation would miss it", async () => {
    const v = await openWith(copy());
    v.ctx.store.transaction(() => v.ctx.store.run('DELETE FROM document_pseudonyms WHERE document_id = ?', ids.document));
    expect(v.verify()).toEqual(damaged([`document ${ids.document}: its pseudonym links do not match its sealed record (rotation would miss it)`]));
  });

  it('an audit entry deleted from the middle: counted without it', async () => {
    const file = copy();
    tamper(file, 'DELETE FROM audit_log WHERE seq = 3');
    expect((await openWith(file)).verify()).toEqual(damaged(['audit entry 3: missing (entries 3-3 were deleted)'], { audit_entries: auditEntries - 1 }));
  });

  it('the last audit entry cut off: the seal names it', async () => {
    const file = copy();
    tamper(file, 'DELETE FROM audit_log WHERE seq = ?', auditEntries);
    expect((await openWith(file)).verify()).toEqual(
      damaged([`the end of the audit log changed outside schuilnaam (sealed at entry ${auditEntries}, now ${auditEntries - 1})`], { audit_entries: auditEntries - 1 }),
    );
  });

  it('the integrity seal removed: named, and the vault is not sealed again on opening', async () => {
    const file = copy();
    tamper(file, 'DELETE FROM integrity_seal');
    expect((await openWith(file)).verify()).toEqual(damaged(['the integrity seal is missing']));
    expect(readRows(file, 'SELECT * FROM integrity_seal')).toEqual([]);
  });
});

describe('verify: findings that are not tampering', () => {
  it('a keyslot from before the key-derivation floor is named, however it was written', async () => {
    const v = await openWith(copy());
    const slots: [string, Pick<KdfParams, 'opslimit' | 'memlimit'>][] = [
      ['oud-beheer', { opslimit: 1, memlimit: 19 * 1024 * 1024 }],
      ['oud-archief', { opslimit: 2, memlimit: 8 * 1024 * 1024 }],
    ];
    v.ctx.store.transaction(() => {
      for (const [user, cost] of slots) {
        const slot = { id: randomId('K', systemRandom(5)), user, role: 'security' };
        const params: KdfParams = { alg: 'argon2id13', ...cost, salt: systemRandom(16) };
        const ad = associatedData('schuilnaam', CRYPTO_FORMAT, 'keyslots', 'wrapped', slot.id, v.ctx.vaultId, slot.user, slot.role);
        const wrapped = seal(deriveKek(MIRA_PASS, params), v.ctx.keyring.encode(), ad, systemRandom);
        v.ctx.store.insertKeyslot({ ...slot, kdf: encodeKdfParams(params), wrapped, created_at: v.ctx.now(), updated_at: v.ctx.now() });
      }
    });
    expect(v.verify()).toEqual(
      damaged(
        slots.map(([user]) => `keyslot of user "${user}": key derivation is weaker than the minimum (19 MiB, 2 passes)`),
        { keyslots: 4 },
      ),
    );
  });

  it('an active pseudonym that resembles the surname of a worker added later', async () => {
    const v = await openWith(copy());
    const added = v.workers.add({ first_name: 'Tamara', last_name: ids.surname, team: 'Team Oost' });
    expect(v.notices.some((n) => n.includes(`now resembles the surname of worker ${added}`))).toBe(true);
    expect(v.verify()).toEqual(damaged([`pseudonym ${ids.pseudonym} resembles a real worker's surname; rotate it`], { workers: 4, audit_entries: auditEntries + 1 }));
  });

  it('a document left pending by an interrupted run, its file nowhere', async () => {
    const v = await openWith(copy());
    const missing = path.join(bench!.dir, 'nooit-verstuurd.txt');
    const [id] = v.documents.registerPending([
      { kind: 'render', record: { case: CASE_REF, worker: ids.wietske, template: 'brief', builtin: true, language: 'nl', format: 'txt', path: missing, sha256: '0'.repeat(64), values: {}, pseudonyms: [] }, pseudonymIds: [] },
    ]);
    expect(v.verify()).toEqual(
      damaged(
        [`document ${id} is pending: ${missing} does not exist; it was never put in place, or it was moved or sent after an interrupted run (a rotation lists it)`],
        { documents: 2, audit_entries: auditEntries + 1 },
      ),
    );
  });
});

describe('verify on a file with unreadable pages', () => {
  /** Overwrites one page of a table or index (found by name) with a pattern that is no B-tree page. */
  function smash(file: string, name: string): void {
    const [{ rootpage }] = readRows<{ rootpage: number }>(file, 'SELECT rootpage FROM sqlite_master WHERE name = ?', name) as [{ rootpage: number }];
    const [{ page_size: size }] = readRows<{ page_size: number }>(file, 'PRAGMA page_size') as [{ page_size: number }];
    const bytes = fs.readFileSync(file);
    for (let i = 0; i < size; i++) bytes[(rootpage - 1) * size + i] = (i * 37 + 11) & 0xff;
    fs.writeFileSync(file, bytes);
  }
  const unreadable = (file: string) => `${file} is not a schuilnaam vault or is damaged`;

  it('a damaged table that stops the walk: the damage is the finding, and nothing is counted as checked', async () => {
    const file = copy();
    smash(file, 'keyslots');
    const report = (await openWith(file)).verify();
    expect(report.ok).toBe(false);
    expect(report.checked).toEqual(NOTHING_CHECKED);
    // Today one identical line from each check that met it (SQLite's, the seal's, the walk's):
    // the line is pinned, how often it repeats is not.
    expect(report.problems.length).toBeGreaterThan(0);
    expect(new Set(report.problems)).toEqual(new Set([unreadable(file)]));
  });

  it("a damaged index SQLite's own check stops at: named, and every record is still walked", async () => {
    const file = copy();
    smash(file, 'sqlite_autoindex_keyslots_1');
    expect((await openWith(file)).verify()).toEqual(damaged([unreadable(file)]));
  });

  it('a damaged table the walk never reads: SQLite\'s check and the seal\'s each stop at it, and the walk goes on', async () => {
    const file = copy();
    smash(file, 'teams');
    const report = (await openWith(file)).verify();
    expect(report).toMatchObject({ ok: false, checked: CLEAN_CHECKED() });
    expect(report.problems.length).toBeGreaterThan(0);
    expect(new Set(report.problems)).toEqual(new Set([unreadable(file)]));
  });

  it('a damaged index only SQLite\'s check reads: reported as SQLite words it, nothing else', async () => {
    const file = copy();
    smash(file, 'sqlite_autoindex_teams_1');
    const report = (await openWith(file)).verify();
    expect(report).toEqual(damaged([expect.stringMatching(/^sqlite: .*Tree (\d+) page \1: /su) as unknown as string]));
  });
});

describe('verify when a check cannot finish', () => {
  it('the seal check refused (say, the vault busy): that is the finding, and the rest is still checked', async () => {
    const v = await openWith(copy());
    vi.spyOn(v.integrity, 'problems').mockImplementation(() => {
      throw new BusyError('the vault is busy: another schuilnaam process is writing to it', 'try again in a moment');
    });
    expect(v.verify()).toEqual(damaged(['the vault is busy: another schuilnaam process is writing to it']));
  });
});

describe("verify does not turn the program's own faults into findings", () => {
  // A fault in schuilnaam itself (not a SchuilnaamError) must end the command
  // as a bug (exit 70), never be listed as vault damage the officer would
  // restore a backup for.
  const fault = () => {
    throw new RangeError('a fault in schuilnaam itself');
  };

  it.each([
    ['the SQLite check', (v: Vault) => vi.spyOn(v.ctx.store, 'integrityCheck').mockImplementation(fault)],
    ['the seal check', (v: Vault) => vi.spyOn(v.integrity, 'problems').mockImplementation(fault)],
    ['listing the keyslots', (v: Vault) => vi.spyOn(v.ctx.store, 'listKeyslots').mockImplementation(fault)],
    ['opening a worker', (v: Vault) => vi.spyOn(v.workers, 'decrypt').mockImplementation(fault)],
    ['opening a case', (v: Vault) => vi.spyOn(v.cases, 'view').mockImplementation(fault)],
  ] as const)('in %s', async (_what, inject) => {
    const v = await openWith(copy());
    const spy = inject(v);
    expect(() => v.verify()).toThrow(RangeError);
    expect(spy).toHaveBeenCalled();
  });
});

describe('the integrity gate before a command (Integrity.require)', () => {
  function refused(f: () => void): IntegrityError {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(IntegrityError);
      return e as IntegrityError;
    }
    throw new Error('expected the gate to refuse');
  }
  const HINT = 'nothing was done; restore the vault from a backup you trust, and run "schuilnaam verify" to list every problem';

  it('one problem: named as it is, with the hint to restore and verify', async () => {
    const file = copy();
    tamper(file, "UPDATE scan_index SET confidence = 'low' WHERE rowid = (SELECT min(rowid) FROM scan_index)");
    const v = await openWith(file);
    const e = refused(() => v.integrity.require());
    expect(e.message).toBe(tableChanged('scan_index'));
    expect(e.hint).toBe(HINT);
    expect(e.exitCode).toBe(4);
  });

  it("two problems: the command's own table is named first, and the rest counted", async () => {
    const file = copy();
    tamper(file, "UPDATE scan_index SET confidence = 'low' WHERE rowid = (SELECT min(rowid) FROM scan_index)");
    tamper(file, 'DELETE FROM audit_log WHERE seq = ?', auditEntries);
    const v = await openWith(file);
    // The seal's problem (the audit log's end) comes first in the list; the gate still names scan_index.
    expect(v.integrity.problems(['scan_index']).map((p) => p.table)).toEqual(['audit_log', 'scan_index']);
    const e = refused(() => v.integrity.require(['scan_index']));
    expect(e.message).toBe(`${tableChanged('scan_index')}; 1 more problem(s)`);
    expect(e.hint).toBe(HINT);
  });

  it('a clean vault passes, and each table is recomputed once per command', async () => {
    const v = await openWith(copy());
    const spy = vi.spyOn(v.ctx.store, 'integrityProblems');
    v.integrity.require();
    v.integrity.require();
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('sealing a vault that has no seal (Integrity.ensureSealed)', () => {
  it('a vault whose seal was removed opens without taking the write lock (it is never sealed again)', async () => {
    const file = copy();
    tamper(file, 'DELETE FROM integrity_seal');
    // Another process is writing.
    const writer = new Database(file);
    blockers.push(writer);
    writer.exec('BEGIN IMMEDIATE');
    const v = await openWith(file, ADMIN, ring!, { ...bench!.deps, busyTimeoutMs: 200 });
    expect(v.verify()).toEqual(damaged(['the integrity seal is missing']));
    writer.exec('ROLLBACK');
    expect(readRows(file, 'SELECT * FROM integrity_seal')).toEqual([]);
  });

  /** A schema-3 vault as schuilnaam 0.1.0 wrote it: never sealed, no audit entry. */
  function version3Vault(keys: Keyring): string {
    const file = path.join(bench!.dir, `v3-${copies++}.db`);
    const db = new Database(file);
    try {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('journal_mode = WAL');
      for (const m of MIGRATIONS.filter((x) => x.version <= 3)) db.exec(m.sql);
      db.pragma('user_version = 3');
      const vaultId = 'cd'.repeat(16);
      const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      put.run('format', 'schuilnaam-vault');
      put.run('vault_id', vaultId);
      put.run('created_at', '2026-01-02T03:04:05.000Z');
      const slot = { id: randomId('K', systemRandom(5)), user: 'admin', role: 'admin' as const };
      const sealed = sealKeyslot(vaultId, slot, { keyring: keys }, MIRA_PASS, 'owasp-floor', systemRandom);
      db.prepare('INSERT INTO keyslots (id, user, role, kdf, wrapped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(slot.id, slot.user, slot.role, sealed.kdf, sealed.wrapped, '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z');
    } finally {
      db.close();
    }
    return file;
  }

  /**
   * Two processes open the same unsealed schema-3 vault at once: the second
   * has looked (no seal, never sealed) when `between` runs, just before it
   * takes the write lock to seal.
   */
  async function race(between: (file: string, keys: Keyring) => Promise<void> | void): Promise<{ file: string; second: Vault; seals: number }> {
    const keys = Keyring.generate(systemRandom);
    try {
      const file = version3Vault(keys);
      const vf = await VaultFile.open(file, bench!.deps);
      const real = vf.store.transaction.bind(vf.store);
      const first = await VaultFile.open(file, bench!.deps);
      let ran = false;
      vi.spyOn(vf.store, 'transaction').mockImplementation(<T>(fn: () => T): T => {
        if (!ran) {
          ran = true;
          // The first process unlocks (and seals) right now.
          const v1 = new Vault(first, new VaultContext(first.store, keys.subset(ROLE_COMPARTMENTS.admin), first.vaultId, 'admin', 'admin', bench!.deps.clock, bench!.deps.random), bench!.deps);
          opened.push(v1);
          void between(file, keys);
        }
        return real(fn);
      });
      const second = new Vault(vf, new VaultContext(vf.store, keys.subset(ROLE_COMPARTMENTS.admin), vf.vaultId, 'admin', 'admin', bench!.deps.clock, bench!.deps.random), bench!.deps);
      opened.push(second);
      expect(ran).toBe(true);
      const seals = readRows<{ n: number }>(file, "SELECT count(*) AS n FROM audit_log WHERE action = 'vault.seal'")[0]!.n;
      return { file, second, seals };
    } finally {
      keys.destroy();
    }
  }

  it('sealed by the other process meanwhile: sealed once, not twice', async () => {
    const { second, seals } = await race(() => {});
    expect(seals).toBe(1);
    expect(second.verify().problems).toEqual([]);
  });

  it('sealed meanwhile and its seal removed at once: it stays unsealed, so the removal is reported', async () => {
    const { file, second, seals } = await race((f) => tamper(f, 'DELETE FROM integrity_seal'));
    expect(seals).toBe(1);
    expect(readRows(file, 'SELECT * FROM integrity_seal')).toEqual([]);
    expect(second.verify().problems).toEqual(['the integrity seal is missing']);
  });
});

describe('audit verify against a kept head', () => {
  it('a head at entry 0 (no entry has that number) on an emptied log: that entry is missing, nothing claimed about the end', async () => {
    const file = copy();
    tamper(file, 'DELETE FROM audit_log');
    const r = (await openWith(file)).audit.verify(parseHead(`0:${'ab'.repeat(32)}`));
    expect(r).toEqual({ ok: false, problems: ['audit entry 0 from the chain head you kept is missing'], entries: 0, head: null, first_broken: 1 });
  });
});

describe('a sealed field whose opening fails for another reason than tampering', () => {
  afterEach(() => {
    vi.doUnmock('../../src/crypto/aead.js');
    vi.resetModules();
  });

  it('openField and openKey pass the fault on (say, libsodium out of memory) instead of blaming the record', async () => {
    vi.resetModules();
    vi.doMock('../../src/crypto/aead.js', async (importOriginal) => {
      const real = await importOriginal<typeof import('../../src/crypto/aead.js')>();
      const oom = () => {
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      };
      return { ...real, open: oom, openText: oom };
    });
    const fresh = await import('../../src/vault/sealing.js');
    const at = { table: 'workers', column: 'last_name', rowId: 'W-3f9a' };
    const key = new Uint8Array(32).fill(7);
    const box = new Uint8Array(72).fill(1);
    expect(() => fresh.openField(key, box, at)).toThrow(RangeError);
    expect(() => fresh.openKey(key, box, at)).toThrow(RangeError);
    // A box that is not there is still the record's problem.
    expect(() => fresh.openKey(key, null, at)).toThrow(fresh.tamperError(at).message);
  });
});
