// The store's own behaviour, exactly: how SQLite failures become the tool's
// errors, what an init that died half-way leaves and what a later init
// removes, every error Store.create and Store.open give (message and hint),
// the integrity seal (its exact MAC, every problem it reports), nested
// transactions, checkpoints, and the row-level methods of Store, CaseStore
// and DocumentStore read back whole. In-process against src/ so that mutation
// testing sees it (tests/unit/**). Invented people and cases only.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { integrityHasher, type IntegrityHasher } from '../../src/crypto/integrity.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { BusyError, IntegrityError } from '../../src/errors.js';
import { CaseStore, type AuditRow, type CaseRow, type PseudonymRow, type TeamRow } from '../../src/store/casefacing.js';
import { DocumentStore, type DocumentRow } from '../../src/store/documents.js';
import { INTEGRITY_TRIGGERS_V4, LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { translateSqliteError } from '../../src/store/sqlite-errors.js';
import { DEFAULT_BUSY_TIMEOUT_MS, PROTECTED_TABLES, removeDeadLeftovers, Store, type KeyslotRow, type WorkerRow } from '../../src/store/store.js';
import { openAsAttacker } from '../helpers/tamper.js';
import { testTmpDir } from '../helpers/tmp.js';

let root = '';
let n = 0;
const opened: Store[] = [];
/** A fixed integrity key: the seal's MAC below is computed independently with it. */
let hasher: IntegrityHasher;

beforeAll(async () => {
  await loadSodium();
  hasher = integrityHasher(new Uint8Array(32).fill(7));
  root = testTmpDir('schuilnaam-store-exact-');
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const s of opened.splice(0)) s.close();
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh folder of its own for one test. */
function freshDir(): string {
  const d = path.join(root, `t${n++}`);
  fs.mkdirSync(d);
  return d;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, got none');
}

/** Class, message and hint of an error, for one exact comparison. */
function described(e: unknown): { cls: string; message: string; hint: string | undefined } {
  const err = e as Error & { hint?: string };
  return { cls: err.constructor.name, message: err.message, hint: err.hint };
}

function track(s: Store): Store {
  opened.push(s);
  return s;
}

const b = (s: string) => Buffer.from(s, 'utf8');

const WORKER_SANNE: WorkerRow = {
  id: 'W-sanne',
  status: 'active',
  data_key: b('sleutel-sanne'),
  first_name: b('Sanne'),
  prefix: b('ter'),
  last_name: b('Welberg'),
  initials: b('S.'),
  email: b('s.terwelberg@jeugdzorg-proef.nl'),
  phone: b('06-11223344'),
  employee_no: b('JZ-1001'),
  team: b('Team Noord'),
  bi_email: b('bi-mail-sanne'),
  bi_employee_no: b('bi-nr-sanne'),
  created_at: '2026-03-01T09:00:00.000Z',
  updated_at: '2026-03-01T09:00:00.000Z',
  offboarded_at: null,
};

const CASE_A: CaseRow = {
  id: 'C-a',
  ref_index: b('ri-a'),
  reference: b('JB-2026/0101'),
  team: b('Team Noord'),
  risk: b('normal'),
  created_at: '2026-03-02T09:00:00.000Z',
  updated_at: '2026-03-02T09:00:00.000Z',
};

function pseudonym(id: string, over: Partial<PseudonymRow> = {}): PseudonymRow {
  return {
    id,
    worker_id: 'W-sanne',
    case_id: 'C-a',
    scope: 'case',
    style: 'name',
    status: 'active',
    name: b(`naam-${id}`),
    formal: b(`formeel-${id}`),
    name_index: b(`ni-${id}`),
    issued_at: '2026-03-03T09:00:00.000Z',
    ended_at: null,
    end_reason: null,
    replaced_by: null,
    compromise_id: null,
    ...over,
  };
}

function doc(id: string, over: Partial<DocumentRow> = {}): DocumentRow {
  return {
    id,
    case_id: 'C-a',
    worker_id: 'W-sanne',
    kind: 'render',
    record: b(`record-${id}`),
    created_at: '2026-03-04T09:00:00.000Z',
    reissue_of: null,
    state: 'pending',
    ...over,
  };
}

function audit(seq: number, hash: Buffer): AuditRow {
  return { seq, at: `2026-03-05T09:00:0${seq}.000Z`, actor: 'admin', action: 'test', subject: '-', details: '{}', sealed: null, prev: b('prev'), hash, mac: b('mac') };
}

/** A vault file at the latest schema, without a seal; `init` runs in the creating transaction. */
function newVault(init: (s: Store) => void = () => {}): string {
  const file = path.join(freshDir(), 'vault.db');
  Store.create(file, init);
  return file;
}

/** A store with the fixed integrity key, sealed after `fill` ran. */
function sealedStore(fill: (s: Store) => void = () => {}, options = {}): { file: string; store: Store } {
  const file = newVault(fill);
  const store = track(Store.open(file, options));
  store.setIntegrityHasher(hasher);
  store.transaction(() => store.sealAll());
  return { file, store };
}

function rawRows<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** A digest that no set of rows sums to by accident. */
const ONE = `X'01${'00'.repeat(31)}'`;

function attack(file: string, sql: string): void {
  const db = openAsAttacker(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

// --- translateSqliteError ---------------------------------------------------

describe('translateSqliteError', () => {
  const sqlite = (code: string) => Object.assign(new Error('sqlite says no'), { code });
  const t = (e: unknown) => {
    const r = translateSqliteError(e, '/srv/kluis/vault.db');
    return r === undefined ? undefined : { ...described(r), exitCode: r.exitCode };
  };
  const damaged = { cls: 'IntegrityError', message: '/srv/kluis/vault.db is not a schuilnaam vault or is damaged', hint: 'restore it from a backup', exitCode: 4 };
  const busy = { cls: 'BusyError', message: 'the vault is busy: another schuilnaam process is writing to it', hint: 'try again in a moment', exitCode: 75 };
  const cannotOpen = { cls: 'IoError', message: 'cannot open /srv/kluis/vault.db', hint: 'check that the file and its folder are yours and writable', exitCode: 74 };

  it('maps each family of SQLite codes to its error class, message and hint', () => {
    expect(t(sqlite('SQLITE_NOTADB'))).toEqual(damaged);
    expect(t(sqlite('SQLITE_CORRUPT'))).toEqual(damaged);
    expect(t(sqlite('SQLITE_CORRUPT_VTAB'))).toEqual(damaged);
    expect(t(sqlite('SQLITE_BUSY'))).toEqual(busy);
    expect(t(sqlite('SQLITE_BUSY_SNAPSHOT'))).toEqual(busy);
    expect(t(sqlite('SQLITE_LOCKED'))).toEqual(busy);
    expect(t(sqlite('SQLITE_LOCKED_SHAREDCACHE'))).toEqual(busy);
    expect(t(sqlite('SQLITE_FULL'))).toEqual({ cls: 'IoError', message: 'cannot write the vault: the disk is full', hint: undefined, exitCode: 74 });
    expect(t(sqlite('SQLITE_READONLY'))).toEqual({ cls: 'IoError', message: 'cannot write the vault: /srv/kluis/vault.db is read-only', hint: undefined, exitCode: 74 });
    expect(t(sqlite('SQLITE_READONLY_DBMOVED'))).toEqual({ cls: 'IoError', message: 'cannot write the vault: /srv/kluis/vault.db is read-only', hint: undefined, exitCode: 74 });
    expect(t(sqlite('SQLITE_CANTOPEN'))).toEqual(cannotOpen);
    expect(t(sqlite('SQLITE_CANTOPEN_ISDIR'))).toEqual(cannotOpen);
    expect(t(sqlite('SQLITE_PERM'))).toEqual(cannotOpen);
    // SQLite has no extended PERM code yet; one added later is still a permission failure.
    expect(t(sqlite('SQLITE_PERM_FUTURE'))).toEqual(cannotOpen);
    expect(t(sqlite('SQLITE_IOERR'))).toEqual({ cls: 'IoError', message: 'cannot read or write the vault (sqlite_ioerr)', hint: undefined, exitCode: 74 });
    expect(t(sqlite('SQLITE_IOERR_FSYNC'))).toEqual({ cls: 'IoError', message: 'cannot read or write the vault (sqlite_ioerr_fsync)', hint: undefined, exitCode: 74 });
  });

  it('leaves every other error alone', () => {
    expect(t(sqlite('SQLITE_CONSTRAINT_UNIQUE'))).toBe(undefined);
    expect(t(sqlite('SQLITE_ERROR'))).toBe(undefined);
    expect(t(sqlite('SQLITE_FULLY'))).toBe(undefined);
    expect(t(sqlite('SQLITE_NOTADB_X'))).toBe(undefined);
    expect(t(sqlite('EBUSY'))).toBe(undefined);
    expect(t(sqlite('XSQLITE_BUSY'))).toBe(undefined);
    expect(t(new Error('plain'))).toBe(undefined);
    expect(t({})).toBe(undefined);
    expect(t(null)).toBe(undefined);
    expect(t(undefined)).toBe(undefined);
    expect(t('SQLITE_BUSY')).toBe(undefined);
    expect(t(17)).toBe(undefined);
    // A function is no error object, whatever properties it carries.
    expect(t(Object.assign(() => {}, { code: 'SQLITE_BUSY' }))).toBe(undefined);
  });
});

// --- leftovers of an init that died -----------------------------------------

describe('removeDeadLeftovers', () => {
  /** Above any pid Linux hands out (pid_max is at most 2^22): never a live process. */
  const DEAD = 4194305;
  const HEX = '0123456789ab';

  it('removes the files of a dead init and nothing else', () => {
    const dir = freshDir();
    const dead = [
      `.vault.db.${DEAD}.${HEX}.creating`,
      `.vault.db.${DEAD}.${HEX}.creating-wal`,
      `.vault.db.${DEAD}.${HEX}.creating-shm`,
      `.vault.db.${DEAD}.${HEX}.creating-journal`,
    ];
    const kept = [
      'vault.db',
      `.vault.db.${process.pid}.${HEX}.creating`, // a live init
      `.other.db.${DEAD}.${HEX}.creating`, // another vault's (same length of name)
      `x.vault.db.${DEAD}.${HEX}.creating`,
      `.vault.db.x${DEAD}.${HEX}.creating`,
      `.vault.db.${DEAD}.${HEX}.creating-old`,
      `.vault.db.${DEAD}.${HEX}.creatingx`,
      `.vault.db.${DEAD}.0123456789AB.creating`,
      `.vault.db.${DEAD}.0123456789a.creating`,
      `.vault.db.${DEAD}.${HEX}0.creating`,
      `.vault.db..${HEX}.creating`,
    ];
    for (const f of [...dead, ...kept]) fs.writeFileSync(path.join(dir, f), 'half');
    expect(removeDeadLeftovers(dir, 'vault.db').sort()).toEqual([...dead].sort());
    expect(fs.readdirSync(dir).sort()).toEqual([...kept].sort());
  });

  it('leaves the files of an init run by another user (EPERM: alive) and removes those of a gone one', () => {
    const dir = freshDir();
    const other = DEAD + 1;
    const realKill = process.kill.bind(process);
    vi.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
      if (pid === other) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      return realKill(pid, signal);
    });
    fs.writeFileSync(path.join(dir, `.vault.db.${other}.${HEX}.creating`), 'half');
    fs.writeFileSync(path.join(dir, `.vault.db.${DEAD}.${HEX}.creating`), 'half');
    expect(removeDeadLeftovers(dir, 'vault.db')).toEqual([`.vault.db.${DEAD}.${HEX}.creating`]);
    expect(fs.readdirSync(dir)).toEqual([`.vault.db.${other}.${HEX}.creating`]);
  });

  it('returns nothing for a folder that cannot be read', () => {
    expect(removeDeadLeftovers(path.join(root, 'bestaat-niet'), 'vault.db')).toEqual([]);
  });

  it('is what Store.create runs first: a dead init is cleaned up, a live one left', () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, `.vault.db.${DEAD}.${HEX}.creating-wal`), 'half');
    fs.writeFileSync(path.join(dir, `.vault.db.${process.pid}.${HEX}.creating`), 'half');
    Store.create(path.join(dir, 'vault.db'), () => {});
    expect(fs.readdirSync(dir).sort()).toEqual([`.vault.db.${process.pid}.${HEX}.creating`, 'vault.db']);
  });
});

// --- Store.create and Store.open: every error ---------------------------------

describe('Store.create errors', () => {
  it('refuses an existing vault, with the hint to pick another path', () => {
    const file = newVault();
    expect(described(caught(() => Store.create(file, () => {})))).toEqual({
      cls: 'UsageError',
      message: `a vault already exists at ${file}`,
      hint: 'nothing was changed; pass --vault PATH to create another one',
    });
  });

  it('names the folder it cannot create and the reason', () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, 'bestand'), 'geen map');
    const file = path.join(dir, 'bestand', 'sub', 'vault.db');
    expect(described(caught(() => Store.create(file, () => {})))).toEqual({
      cls: 'UsageError',
      message: `cannot create the folder ${path.join(dir, 'bestand', 'sub')}: ENOTDIR`,
      hint: undefined,
    });
  });

  it('says "error" when the folder fails without a code', () => {
    const dir = freshDir();
    vi.spyOn(fs, 'mkdirSync').mockImplementationOnce(() => {
      throw new Error('weird file system');
    });
    expect(described(caught(() => Store.create(path.join(dir, 'vault.db'), () => {})))).toEqual({
      cls: 'UsageError',
      message: `cannot create the folder ${dir}: error`,
      hint: undefined,
    });
  });

  it('names the folder where the temporary file cannot be made, with or without a code', () => {
    const dir = freshDir();
    vi.spyOn(fs, 'openSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('read-only'), { code: 'EROFS' });
    });
    expect(described(caught(() => Store.create(path.join(dir, 'vault.db'), () => {})))).toEqual({
      cls: 'UsageError',
      message: `cannot create a vault in ${dir}: EROFS`,
      hint: undefined,
    });
    vi.spyOn(fs, 'openSync').mockImplementationOnce(() => {
      throw new Error('weird file system');
    });
    expect(described(caught(() => Store.create(path.join(dir, 'vault.db'), () => {})))).toEqual({
      cls: 'UsageError',
      message: `cannot create a vault in ${dir}: error`,
      hint: undefined,
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('gives up when another init linked its vault first (EEXIST), leaving no temporary file', () => {
    const dir = freshDir();
    const file = path.join(dir, 'vault.db');
    vi.spyOn(fs, 'linkSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    });
    expect(described(caught(() => Store.create(file, () => {})))).toEqual({ cls: 'UsageError', message: `a vault already exists at ${file}`, hint: 'nothing was changed' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('never renames over a vault that appeared while linking failed for another reason', () => {
    const dir = freshDir();
    const file = path.join(dir, 'vault.db');
    vi.spyOn(fs, 'linkSync').mockImplementationOnce(() => {
      fs.writeFileSync(file, 'de vault van een ander');
      throw Object.assign(new Error('no hard links'), { code: 'EPERM' });
    });
    expect(described(caught(() => Store.create(file, () => {})))).toEqual({ cls: 'UsageError', message: `a vault already exists at ${file}`, hint: 'nothing was changed' });
    expect(fs.readFileSync(file, 'utf8')).toBe('de vault van een ander');
    expect(fs.readdirSync(dir)).toEqual(['vault.db']);
  });

  it('renames the new vault into place on a file system without hard links', () => {
    const dir = freshDir();
    const file = path.join(dir, 'vault.db');
    vi.spyOn(fs, 'linkSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('no hard links'), { code: 'EPERM' });
    });
    Store.create(file, (s) => s.setMeta('vault_id', 'V-hernoemd'));
    expect(fs.readdirSync(dir)).toEqual(['vault.db']);
    const s = track(Store.open(file));
    expect(s.getMeta('vault_id')).toBe('V-hernoemd');
  });

  it('translates SQLite failing to open the temporary file, and removes it', () => {
    const dir = freshDir();
    let deep = dir;
    for (let i = 0; i < 3; i++) deep = path.join(deep, 'x'.repeat(200));
    const file = path.join(deep, 'vault.db');
    expect(described(caught(() => Store.create(file, () => {})))).toEqual({
      cls: 'IoError',
      message: `cannot open ${file}`,
      hint: 'check that the file and its folder are yours and writable',
    });
    expect(fs.readdirSync(deep)).toEqual([]);
  });
});

describe('Store.create and Store.open connections', () => {
  it('makes the new vault\'s name durable: the folder is opened, fsynced, then closed', () => {
    const dir = freshDir();
    const open = vi.spyOn(fs, 'openSync');
    const fsync = vi.spyOn(fs, 'fsyncSync');
    const close = vi.spyOn(fs, 'closeSync');
    Store.create(path.join(dir, 'vault.db'), () => {});
    const folderOpens = open.mock.calls.map((c, i) => ({ target: c[0], flags: c[1], fd: open.mock.results[i]!.value as number, order: open.mock.invocationCallOrder[i]! })).filter((c) => c.target === dir);
    expect(folderOpens.map((c) => c.flags)).toEqual(['r']);
    const { fd, order: opened } = folderOpens[0]!;
    // fd numbers are reused, so each call is placed by its order after the folder was opened.
    const fsyncedAt = fsync.mock.calls.flatMap((c, i) => (c[0] === fd && fsync.mock.invocationCallOrder[i]! > opened ? [fsync.mock.invocationCallOrder[i]!] : []));
    expect(fsyncedAt).toHaveLength(1);
    const closedAt = close.mock.calls.flatMap((c, i) => (c[0] === fd && close.mock.invocationCallOrder[i]! > fsyncedAt[0]! ? [close.mock.invocationCallOrder[i]!] : []));
    expect(closedAt).toHaveLength(1);
  });

  it('closes the connection to the temporary file it built the vault in', () => {
    const close = vi.spyOn(Database.prototype, 'close');
    Store.create(path.join(freshDir(), 'vault.db'), () => {});
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('waits 10 seconds for a busy vault unless told otherwise', () => {
    const file = newVault();
    const busyTimeout = (s: Store) => (s as unknown as { db: Database.Database }).db.pragma('busy_timeout', { simple: true });
    expect(DEFAULT_BUSY_TIMEOUT_MS).toBe(10_000);
    expect(busyTimeout(track(Store.open(file)))).toBe(10_000);
    expect(busyTimeout(track(Store.open(file, { busyTimeoutMs: 250 })))).toBe(250);
  });

  it('waits for another connection that holds the vault while it reads the header', async () => {
    const file = newVault();
    // Another thread takes the vault exclusively, says so, and lets go after 300 ms:
    // opening must wait for it, not fail on the first header read.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const Database = require(workerData.module);
       const db = new Database(workerData.file);
       db.pragma('locking_mode = EXCLUSIVE');
       db.exec('BEGIN EXCLUSIVE');
       parentPort.postMessage('held');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec('COMMIT');
       db.close();`,
      { eval: true, workerData: { file, module: createRequire(import.meta.url).resolve('better-sqlite3') } },
    );
    const done = new Promise((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    await new Promise((resolve) => worker.once('message', resolve));
    const store = track(Store.open(file));
    expect(store.getMeta('vault_id')).toBeUndefined();
    await done;
  });

  it('creates nothing when the vault disappears between the check and the open', () => {
    const dir = freshDir();
    const file = path.join(dir, 'weg.db');
    const folder = fs.statSync(dir);
    vi.spyOn(fs, 'statSync').mockImplementationOnce(() => ({ ...folder, isFile: () => true }) as fs.Stats);
    expect(described(caught(() => Store.open(file)))).toEqual({
      cls: 'IoError',
      message: `cannot open ${file}`,
      hint: 'check that the file and its folder are yours and writable',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('Store.open errors', () => {
  it('says how to make a vault when there is none', () => {
    const file = path.join(freshDir(), 'vault.db');
    expect(described(caught(() => Store.open(file)))).toEqual({
      cls: 'UsageError',
      message: `no vault at ${file}`,
      hint: 'run "schuilnaam init" to create one, or pass --vault PATH',
    });
  });

  it('refuses a folder', () => {
    const dir = freshDir();
    expect(described(caught(() => Store.open(dir)))).toEqual({ cls: 'UsageError', message: `${dir} is not a vault file`, hint: undefined });
  });

  it('refuses a foreign SQLite file, untouched', () => {
    const file = path.join(freshDir(), 'ander.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const before = fs.readFileSync(file);
    expect(described(caught(() => Store.open(file)))).toEqual({
      cls: 'IntegrityError',
      message: `${file} is not a schuilnaam vault`,
      hint: 'check the path given with --vault or SCHUILNAAM_VAULT',
    });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a vault of a newer format', () => {
    const file = newVault();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(described(caught(() => Store.open(file)))).toEqual({
      cls: 'IntegrityError',
      message: `the vault has format version ${LATEST_SCHEMA_VERSION + 1}, but this schuilnaam supports up to version ${LATEST_SCHEMA_VERSION}`,
      hint: 'upgrade schuilnaam to open this vault',
    });
  });

  it('translates SQLite failing to open the file at all', () => {
    let deep = freshDir();
    for (let i = 0; i < 3; i++) deep = path.join(deep, 'y'.repeat(200));
    fs.mkdirSync(deep, { recursive: true });
    const file = path.join(deep, 'vault.db');
    fs.writeFileSync(file, '');
    expect(described(caught(() => Store.open(file)))).toEqual({
      cls: 'IoError',
      message: `cannot open ${file}`,
      hint: 'check that the file and its folder are yours and writable',
    });
  });

  it('translates a damaged file', () => {
    const file = path.join(freshDir(), 'vault.db');
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    expect(described(caught(() => Store.open(file)))).toEqual({
      cls: 'IntegrityError',
      message: `${file} is not a schuilnaam vault or is damaged`,
      hint: 'restore it from a backup',
    });
  });
});

// --- the integrity seal ---------------------------------------------------------

/** The seal's MAC, computed here from the stored digests, as the format prescribes. */
function expectedMac(file: string, vaultId: string, head: { seq: number; hash: string }): Buffer {
  const rows = rawRows<{ name: string; rows: number; digest: Buffer }>(file, 'SELECT name, rows, digest FROM integrity ORDER BY name');
  const lines = [`schuilnaam\u001f1\u001fseal\u001f${vaultId}`];
  for (const r of [...rows].sort((x, y) => (x.name < y.name ? -1 : 1))) lines.push(`${r.name}\u001f${r.rows}\u001f${r.digest.toString('hex')}`);
  lines.push(`audit_log\u001f${head.seq}\u001f${head.hash}`);
  return Buffer.from(hasher.seal(new TextEncoder().encode(lines.join('\n'))));
}

const TEAM_OOST: TeamRow = { id: 'T-oost', name_index: b('ti-oost'), name: b('Team Oost'), settings: b('{}'), created_at: '2026-03-01T08:00:00.000Z', updated_at: '2026-03-01T08:00:00.000Z' };
const TEAM_WEST: TeamRow = { id: 'T-west', name_index: b('ti-west'), name: b('Team West'), settings: b('{}'), created_at: '2026-03-01T08:00:00.000Z', updated_at: '2026-03-01T08:00:00.000Z' };

describe('the integrity seal', () => {
  it('is a MAC over every table digest, an empty vault id and an empty audit log', () => {
    const { file } = sealedStore();
    const seal = rawRows<{ id: number; audit_seq: number; audit_hash: Buffer | null; mac: Buffer }>(file, 'SELECT id, audit_seq, audit_hash, mac FROM integrity_seal');
    expect(seal).toEqual([{ id: 1, audit_seq: 0, audit_hash: null, mac: expectedMac(file, '', { seq: 0, hash: '' }) }]);
    expect(rawRows<{ name: string; rows: number }>(file, 'SELECT name, rows FROM integrity ORDER BY name')).toEqual(
      [...PROTECTED_TABLES].sort().map((name) => ({ name, rows: 0 })),
    );
  });

  it('covers the vault id and the audit head', () => {
    const { file, store } = sealedStore((s) => {
      s.setMeta('vault_id', 'V-zegel');
      new CaseStore(s).insertAudit(audit(1, b('kop-1')));
    });
    const seal = rawRows<{ audit_seq: number; audit_hash: Buffer | null; mac: Buffer }>(file, 'SELECT audit_seq, audit_hash, mac FROM integrity_seal');
    expect(seal).toEqual([{ audit_seq: 1, audit_hash: b('kop-1'), mac: expectedMac(file, 'V-zegel', { seq: 1, hash: b('kop-1').toString('hex') }) }]);
    expect(store.integrityProblems(PROTECTED_TABLES)).toEqual([]);
  });

  it('is reported missing on a vault that has none', () => {
    const store = track(Store.open(newVault()));
    store.setIntegrityHasher(hasher);
    expect(store.hasSeal()).toBe(false);
    expect(store.integrityProblems(PROTECTED_TABLES)).toEqual([{ table: 'integrity_seal', problem: 'the integrity seal is missing' }]);
  });

  // Another process may remove the seal between the check that it exists and
  // the reading of it (no transaction holds the two together in a check);
  // hasSeal answering true for a vault without a seal stands for that.
  it('reports a seal that went missing after it was found', () => {
    const store = track(Store.open(newVault()));
    store.setIntegrityHasher(hasher);
    vi.spyOn(store, 'hasSeal').mockReturnValue(true);
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity_seal', problem: 'the integrity seal is missing' }]);
    expect(described(caught(() => store.transaction(() => store.setMeta('vault_id', 'V-x'))))).toEqual({
      cls: 'IntegrityError',
      message: 'the integrity seal is missing; nothing was changed',
      hint: 'restore the vault from a backup you trust, and run "schuilnaam verify" to list every problem',
    });
  });

  it('refuses to write over a broken seal: nothing is changed', () => {
    const { file, store } = sealedStore();
    store.close();
    attack(file, "UPDATE integrity SET rows = 5 WHERE name = 'teams'");
    const again = track(Store.open(file));
    again.setIntegrityHasher(hasher);
    const e = caught(() => again.transaction(() => new CaseStore(again).upsertTeam(TEAM_OOST)));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(described(e)).toEqual({
      cls: 'IntegrityError',
      message: 'the integrity record was altered; nothing was changed',
      hint: 'restore the vault from a backup you trust, and run "schuilnaam verify" to list every problem',
    });
    expect(rawRows(file, 'SELECT id FROM teams')).toEqual([]);
  });

  it('reports an integrity record with a table missing or one too many', () => {
    const { file, store } = sealedStore();
    attack(file, "DELETE FROM integrity WHERE name = 'teams'");
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity', problem: 'the integrity record was altered' }]);
    attack(file, "INSERT INTO integrity (name, rows, digest) VALUES ('teams', 0, zeroblob(32)), ('extra', 0, zeroblob(32))");
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity', problem: 'the integrity record was altered' }]);
    // Even when the audit log changed as well: the record is what was altered first.
    attack(file, "DELETE FROM integrity WHERE name = 'extra'; INSERT INTO audit_log (seq, at, actor, action, subject, details, sealed, prev, hash, mac) VALUES (1, 'x', 'x', 'x', 'x', 'x', NULL, X'00', X'01', X'00')");
    expect(store.integrityProblems([])).toEqual([{ table: 'audit_log', problem: 'the end of the audit log changed outside schuilnaam (sealed at entry 0, now 1)' }]);
    attack(file, "DELETE FROM integrity WHERE name = 'meta'");
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity', problem: 'the integrity record was altered' }]);
  });

  it('reports an altered integrity record before a changed end of the audit log', () => {
    const appendAudit = "INSERT INTO audit_log (seq, at, actor, action, subject, details, sealed, prev, hash, mac) VALUES (1, 'x', 'x', 'x', 'x', 'x', NULL, X'00', X'01', X'00')";
    const altered = [{ table: 'integrity', problem: 'the integrity record was altered' }];
    // One table swapped for another name: the count is right, a name is missing.
    const swapped = sealedStore();
    attack(swapped.file, `DELETE FROM integrity WHERE name = 'meta'; INSERT INTO integrity (name, rows, digest) VALUES ('extra', 0, zeroblob(32)); ${appendAudit}`);
    expect(swapped.store.integrityProblems([])).toEqual(altered);
    // One name too many: every table is there, the count is off.
    const extra = sealedStore();
    attack(extra.file, `INSERT INTO integrity (name, rows, digest) VALUES ('extra', 0, zeroblob(32)); ${appendAudit}`);
    expect(extra.store.integrityProblems([])).toEqual(altered);
  });

  it('skips a table asked for that the integrity record lacks', () => {
    const { file, store } = sealedStore();
    attack(file, "DELETE FROM integrity WHERE name = 'teams'");
    expect(store.integrityProblems(['teams'])).toEqual([{ table: 'integrity', problem: 'the integrity record was altered' }]);
  });

  it('reports a row count changed in the integrity record alone', () => {
    const { file, store } = sealedStore();
    attack(file, "UPDATE integrity SET rows = 2 WHERE name = 'teams'");
    expect(store.integrityProblems(['teams'])).toEqual([
      { table: 'integrity', problem: 'the integrity record was altered' },
      { table: 'teams', problem: 'the teams table was changed outside schuilnaam (2 row(s) fewer than sealed)' },
    ]);
  });

  it('never calls a sealed vault intact without the key, inside a write transaction or not', () => {
    const { file } = sealedStore();
    const locked = track(Store.open(file));
    const message = 'cannot check the integrity seal before the vault is unlocked';
    expect((caught(() => locked.integrityProblems([])) as Error).message).toBe(message);
    expect((caught(() => locked.transaction(() => locked.integrityProblems([]))) as Error).message).toBe(message);
  });

  it('tells an altered digest (same audit head) from a changed end of the audit log, with an empty log', () => {
    const { file, store } = sealedStore();
    attack(file, `UPDATE integrity SET digest = ${ONE} WHERE name = 'meta' OR name = 'teams'`);
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity', problem: 'the integrity record was altered' }]);
  });

  it('tells a changed end of the audit log, by sequence number and by hash', () => {
    const { file, store } = sealedStore((s) => new CaseStore(s).insertAudit(audit(1, b('kop-1'))));
    // Same hash, other sequence number.
    attack(file, `DELETE FROM audit_log; INSERT INTO audit_log (seq, at, actor, action, subject, details, sealed, prev, hash, mac) VALUES (3, 'x', 'x', 'x', 'x', 'x', NULL, X'00', X'${b('kop-1').toString('hex')}', X'00')`);
    expect(store.integrityProblems([])).toEqual([{ table: 'audit_log', problem: 'the end of the audit log changed outside schuilnaam (sealed at entry 1, now 3)' }]);
    // Same sequence number, other hash.
    attack(file, "DELETE FROM audit_log; INSERT INTO audit_log (seq, at, actor, action, subject, details, sealed, prev, hash, mac) VALUES (1, 'x', 'x', 'x', 'x', 'x', NULL, X'00', X'0102', X'00')");
    expect(store.integrityProblems([])).toEqual([{ table: 'audit_log', problem: 'the end of the audit log changed outside schuilnaam (sealed at entry 1, now 1)' }]);
    // Emptied.
    attack(file, 'DELETE FROM audit_log');
    expect(store.integrityProblems([])).toEqual([{ table: 'audit_log', problem: 'the end of the audit log changed outside schuilnaam (sealed at entry 1, now 0)' }]);
  });

  it('reports one dropped trigger by name, and several by count and the first name', () => {
    const { file, store } = sealedStore();
    const names = Object.keys(INTEGRITY_TRIGGERS_V4);
    attack(file, `DROP TRIGGER ${names[4]}`);
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity', problem: `an integrity trigger was removed or altered outside schuilnaam (${names[4]})` }]);
    attack(file, `DROP TRIGGER ${names[1]}; DROP TRIGGER ${names[7]}`);
    expect(store.integrityProblems([])).toEqual([{ table: 'integrity', problem: `3 integrity triggers were removed or altered outside schuilnaam (${names[1]}, …)` }]);
  });

  it('counts rows added, removed or altered behind the triggers', () => {
    const { file, store } = sealedStore((s) => {
      const cs = new CaseStore(s);
      cs.upsertTeam(TEAM_OOST);
      cs.upsertTeam(TEAM_WEST);
    });
    const bypass = (sql: string) => attack(file, `DROP TRIGGER integrity_teams_insert; DROP TRIGGER integrity_teams_delete; DROP TRIGGER integrity_teams_update; ${sql};
      ${INTEGRITY_TRIGGERS_V4.integrity_teams_insert}; ${INTEGRITY_TRIGGERS_V4.integrity_teams_delete}; ${INTEGRITY_TRIGGERS_V4.integrity_teams_update}`);
    bypass("INSERT INTO teams (id, name_index, name, settings, created_at, updated_at) VALUES ('T-zuid', X'01', X'02', X'03', 'x', 'x')");
    expect(store.integrityProblems(['teams', 'meta'])).toEqual([{ table: 'teams', problem: 'the teams table was changed outside schuilnaam (1 row(s) more than sealed)' }]);
    bypass('DELETE FROM teams');
    expect(store.integrityProblems(['teams'])).toEqual([{ table: 'teams', problem: 'the teams table was changed outside schuilnaam (2 row(s) fewer than sealed)' }]);
    bypass("INSERT INTO teams (id, name_index, name, settings, created_at, updated_at) VALUES ('T-oost', X'01', X'02', X'03', 'x', 'x'), ('T-west', X'04', X'05', X'06', 'x', 'x')");
    expect(store.integrityProblems(['teams'])).toEqual([{ table: 'teams', problem: 'the teams table was changed outside schuilnaam (rows altered or put back to an older version)' }]);
  });

  it('cannot hash a row before the vault is unlocked', () => {
    const { file } = sealedStore();
    const locked = track(Store.open(file));
    const e = caught(() => locked.setMeta('vault_id', 'V-stiekem'));
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toBe('a protected table was changed before the vault was unlocked');
    expect(rawRows(file, "SELECT value FROM meta WHERE key = 'vault_id'")).toEqual([]);
  });

  it('refuses the digest of a table it does not protect, or without a key', () => {
    const { file, store } = sealedStore();
    expect((caught(() => store.tableDigest('audit_log')) as Error).message).toBe('cannot compute the digest of audit_log');
    const locked = track(Store.open(file));
    expect((caught(() => locked.tableDigest('teams')) as Error).message).toBe('cannot compute the digest of teams');
  });

  it('passes a failing hash on from a digest computation unchanged', () => {
    const { store } = sealedStore((s) => new CaseStore(s).upsertTeam(TEAM_OOST));
    const boom = new Error('sleutel kwijt');
    store.setIntegrityHasher({ row: () => { throw boom; }, seal: hasher.seal });
    expect(caught(() => store.tableDigest('teams'))).toBe(boom);
  });

  it('does not reseal without the key: a locked store may still append to the audit log', () => {
    const { file } = sealedStore();
    const before = rawRows(file, 'SELECT audit_seq, audit_hash, mac FROM integrity_seal');
    const locked = track(Store.open(file));
    locked.transaction(() => new CaseStore(locked).insertAudit(audit(1, b('kop-1'))));
    expect(rawRows(file, 'SELECT audit_seq, audit_hash, mac FROM integrity_seal')).toEqual(before);
    expect(rawRows(file, 'SELECT seq FROM audit_log')).toEqual([{ seq: 1 }]);
  });
});

// --- transactions -------------------------------------------------------------------

describe('Store.transaction nesting', () => {
  it('checks and reseals only at the outermost ends', () => {
    const { file, store } = sealedStore();
    const cs = new CaseStore(store);
    const sealBefore = rawRows<{ mac: Buffer }>(file, 'SELECT mac FROM integrity_seal')[0]!.mac;
    store.transaction(() => {
      cs.upsertTeam(TEAM_OOST);
      // The seal no longer matches mid-transaction; a nested call must not check it.
      store.transaction(() => cs.upsertTeam(TEAM_WEST));
      expect(store.get<{ mac: Buffer }>('SELECT mac FROM integrity_seal')!.mac.equals(sealBefore)).toBe(true);
      // What changed is this transaction's own work, sealed at its end.
      expect(store.integrityProblems(['teams'])).toEqual([]);
    });
    expect(store.integrityProblems(PROTECTED_TABLES)).toEqual([]);
    expect(rawRows<{ mac: Buffer }>(file, 'SELECT mac FROM integrity_seal')[0]!.mac.equals(sealBefore)).toBe(false);
    expect(cs.teams().map((t) => t.id)).toEqual(['T-oost', 'T-west']);
  });

  it('checks the seal again in a read transaction after a write transaction ended', () => {
    const { file, store } = sealedStore();
    store.transaction(() => new CaseStore(store).upsertTeam(TEAM_OOST));
    attack(file, `UPDATE integrity SET digest = ${ONE} WHERE name = 'meta'`);
    expect(store.read(() => store.integrityProblems([]))).toEqual([{ table: 'integrity', problem: 'the integrity record was altered' }]);
  });
});

// --- checkpoint, integrity check, closed store ---------------------------------

describe('Store.checkpoint and integrityCheck', () => {
  it('reports a checkpoint a reader holds up, and one that went through', () => {
    const file = newVault();
    const store = track(Store.open(file, { busyTimeoutMs: 0 }));
    store.transaction(() => store.setMeta('vault_id', 'V-wal'));
    const reader = new Database(file, { readonly: true, fileMustExist: true });
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM meta').get();
      expect(store.checkpoint()).toBe(false);
      reader.prepare('COMMIT').run();
    } finally {
      reader.close();
    }
    expect(store.checkpoint()).toBe(true);
  });

  it('counts broken references between tables', () => {
    const file = newVault((s) => s.insertWorker(WORKER_SANNE));
    attack(file, "PRAGMA foreign_keys = OFF; INSERT INTO assignments (case_id, worker_id, assigned_at) VALUES ('C-weg', 'W-sanne', 'x')");
    const store = track(Store.open(file));
    expect(store.integrityCheck()).toEqual(['1 broken reference(s) between tables']);
  });

  it('passes errors that are no SQLite failure on unchanged, from every entry point', () => {
    const store = track(Store.open(newVault()));
    const c = (fn: () => unknown) => {
      const e = caught(fn) as Error & { code?: string };
      return { cls: e.constructor.name, message: e.message, code: e.code };
    };
    const noTable = { cls: 'SqliteError', message: 'no such table: nergens', code: 'SQLITE_ERROR' };
    expect(c(() => store.run('DELETE FROM nergens'))).toEqual(noTable);
    expect(c(() => store.get('SELECT 1 FROM nergens'))).toEqual(noTable);
    expect(c(() => store.all('SELECT 1 FROM nergens'))).toEqual(noTable);
    expect(c(() => [...store.iterate('SELECT 1 FROM nergens')])).toEqual(noTable);
    store.close();
    store.close();
    const closed = { cls: 'TypeError', message: 'The database connection is not open', code: undefined };
    expect(c(() => store.checkpoint())).toEqual(closed);
    expect(c(() => store.run('DELETE FROM meta'))).toEqual(closed);
    expect(c(() => store.get('SELECT 1 FROM meta'))).toEqual(closed);
    expect(c(() => store.all('SELECT 1 FROM meta'))).toEqual(closed);
    expect(c(() => [...store.iterate('SELECT 1 FROM meta')])).toEqual(closed);
  });

  it('translates a busy vault', () => {
    const file = newVault();
    const first = track(Store.open(file));
    const second = track(Store.open(file, { busyTimeoutMs: 0 }));
    const e = caught(() => first.transaction(() => second.transaction(() => second.setMeta('vault_id', 'V-tweede'))));
    expect(e).toBeInstanceOf(BusyError);
    expect(described(e)).toEqual({ cls: 'BusyError', message: 'the vault is busy: another schuilnaam process is writing to it', hint: 'try again in a moment' });
  });
});

// --- rows -----------------------------------------------------------------------------

describe('Store rows', () => {
  it('rewraps a keyslot', () => {
    const slot: KeyslotRow = { id: 'K-1', user: 'fenna', role: 'admin', kdf: 'kdf-oud', wrapped: b('oud'), created_at: '2026-03-01T08:00:00.000Z', updated_at: '2026-03-01T08:00:00.000Z' };
    const store = track(Store.open(newVault((s) => s.insertKeyslot(slot))));
    store.updateKeyslotWrap('K-1', 'kdf-nieuw', b('nieuw'), '2026-03-09T08:00:00.000Z');
    expect(store.keyslotByUser('fenna')).toEqual({ ...slot, kdf: 'kdf-nieuw', wrapped: b('nieuw'), updated_at: '2026-03-09T08:00:00.000Z' });
  });

  it('tells a known worker id from an unknown one (a new id is drawn again on a clash)', () => {
    const store = track(Store.open(newVault((s) => s.insertWorker(WORKER_SANNE))));
    expect(store.workerExists('W-sanne')).toBe(true);
    expect(store.workerExists('W-onbekend')).toBe(false);
  });

  it('prepares each statement once and reuses it', () => {
    const store = track(Store.open(newVault()));
    const first = store.stmt('SELECT 1 AS een');
    expect(store.stmt('SELECT 1 AS een')).toBe(first);
    expect(store.stmt('SELECT 2 AS twee')).not.toBe(first);
  });

  it('finds a worker by blind e-mail address or personnel number and updates sealed columns', () => {
    const store = track(Store.open(newVault((s) => s.insertWorker(WORKER_SANNE))));
    expect(store.workerIdByBlindEmployeeNo(b('bi-nr-sanne'))).toBe('W-sanne');
    expect(store.workerIdByBlindEmployeeNo(b('bi-nr-niemand'))).toBe(undefined);
    expect(store.workerIdByBlindEmail(b('bi-mail-sanne'))).toBe('W-sanne');
    expect(store.workerIdByBlindEmail(b('bi-mail-niemand'))).toBe(undefined);
    const sealed = {
      first_name: b('Sanne2'),
      prefix: null,
      last_name: b('Welberg2'),
      initials: b('S.W.'),
      email: null,
      phone: b('06-99887766'),
      employee_no: b('JZ-2002'),
      team: b('Team Zuid'),
      bi_email: null,
      bi_employee_no: b('bi-nr-2'),
    };
    store.updateWorkerSealed('W-sanne', sealed, '2026-03-10T08:00:00.000Z');
    expect(store.worker('W-sanne')).toEqual({ ...WORKER_SANNE, ...sealed, updated_at: '2026-03-10T08:00:00.000Z' });
  });

  it('keeps a name guard until the last worker with that form leaves', () => {
    const store = track(Store.open(newVault()));
    const g = b('guard-welberg');
    store.addGuard(g);
    store.addGuard(g);
    store.dropGuard(g);
    expect([...store.guardCounts()]).toEqual([[g.toString('hex'), 1]]);
    expect(store.anyGuard([b('ander'), g])).toBe(true);
    expect(store.anyGuard([])).toBe(false);
    store.dropGuard(g);
    expect([...store.guardCounts()]).toEqual([]);
    expect(store.anyGuard([g])).toBe(false);
  });
});

describe('CaseStore rows', () => {
  function caseStore(): { store: Store; cs: CaseStore } {
    const store = track(
      Store.open(
        newVault((s) => {
          s.insertWorker(WORKER_SANNE);
          new CaseStore(s).insertCase(CASE_A);
        }),
      ),
    );
    return { store, cs: new CaseStore(store) };
  }

  it('lists teams and cases by creation time, then id', () => {
    const { cs } = caseStore();
    const later = { ...TEAM_OOST, id: 'T-a', name_index: b('ti-a'), created_at: '2026-03-01T09:00:00.000Z' };
    cs.upsertTeam(later);
    cs.upsertTeam(TEAM_WEST);
    cs.upsertTeam(TEAM_OOST);
    expect(cs.teams()).toEqual([TEAM_OOST, TEAM_WEST, later]);
    const caseB = { ...CASE_A, id: 'C-0', ref_index: b('ri-b'), created_at: '2026-03-02T10:00:00.000Z' };
    const caseC = { ...CASE_A, id: 'C-b', ref_index: b('ri-c') };
    cs.insertCase(caseB);
    cs.insertCase(caseC);
    expect(cs.cases().map((c) => c.id)).toEqual(['C-a', 'C-b', 'C-0']);
  });

  it('updates a case and tells known cases, pseudonyms and compromises from unknown ones', () => {
    const { cs } = caseStore();
    cs.updateCase('C-a', b('Team Zuid'), b('high'), '2026-03-11T08:00:00.000Z');
    expect(cs.caseById('C-a')).toEqual({ ...CASE_A, team: b('Team Zuid'), risk: b('high'), updated_at: '2026-03-11T08:00:00.000Z' });
    expect(cs.caseExists('C-a')).toBe(true);
    expect(cs.caseExists('C-x')).toBe(false);
    cs.insertPseudonym(pseudonym('P-1'));
    expect(cs.pseudonymExists('P-1')).toBe(true);
    expect(cs.pseudonymExists('P-x')).toBe(false);
    expect(cs.countPseudonyms()).toBe(1);
    cs.insertCompromise({ id: 'X-1', recorded_at: '2026-03-12T08:00:00.000Z', recorded_by: 'admin', target: 'case', details: b('{}') });
    expect(cs.compromiseExists('X-1')).toBe(true);
    expect(cs.compromiseExists('X-2')).toBe(false);
  });

  it('assigns a worker once', () => {
    const { cs } = caseStore();
    expect(cs.assign('C-a', 'W-sanne', '2026-03-13T08:00:00.000Z')).toBe(true);
    expect(cs.assign('C-a', 'W-sanne', '2026-03-14T08:00:00.000Z')).toBe(false);
    expect(cs.workersOfCase('C-a')).toEqual(['W-sanne']);
  });

  it('finds no active pseudonym for no surname digests', () => {
    const { cs } = caseStore();
    expect(cs.activeWithSurnameGuard([])).toEqual([]);
  });

  it('gives an empty scan index as empty text', () => {
    const { cs } = caseStore();
    expect(cs.scanIndexText()).toBe('');
  });
});

describe('DocumentStore rows', () => {
  function docStore(): { store: Store; ds: DocumentStore } {
    const store = track(
      Store.open(
        newVault((s) => {
          s.insertWorker(WORKER_SANNE);
          const cs = new CaseStore(s);
          cs.insertCase(CASE_A);
          cs.insertCase({ ...CASE_A, id: 'C-b', ref_index: b('ri-b') });
          cs.insertPseudonym(pseudonym('P-1'));
          cs.insertPseudonym(pseudonym('P-2', { case_id: 'C-b' }));
        }),
      ),
    );
    return { store, ds: new DocumentStore(store) };
  }

  it('reads back what it registered', () => {
    const { ds } = docStore();
    const d = doc('D-1', { state: 'complete', reissue_of: null, worker_id: null, kind: 'redact' });
    ds.insert(d, ['P-2', 'P-1', 'P-2']);
    expect(ds.byId('D-1')).toEqual(d);
    expect(ds.byId('D-x')).toBe(undefined);
    expect(ds.exists('D-1')).toBe(true);
    expect(ds.exists('D-x')).toBe(false);
    expect(ds.pseudonymsOf('D-1')).toEqual(['P-1', 'P-2']);
  });

  it('finds documents by pseudonym, none for no pseudonyms', () => {
    const { ds } = docStore();
    ds.insert(doc('D-1'), ['P-1']);
    ds.insert(doc('D-2'), ['P-2']);
    expect(ds.carrying([]).map((d) => d.id)).toEqual([]);
    expect(ds.carrying(['P-2']).map((d) => d.id)).toEqual(['D-2']);
  });

  it('lists the documents of one case', () => {
    const { ds } = docStore();
    ds.insert(doc('D-1'), []);
    ds.insert(doc('D-2', { case_id: 'C-b' }), []);
    ds.insert(doc('D-3'), []);
    expect(ds.list('C-a').map((d) => d.id)).toEqual(['D-1', 'D-3']);
    expect(ds.list().map((d) => d.id)).toEqual(['D-1', 'D-2', 'D-3']);
  });

  it('removes only pending documents that nothing reissues, with their pseudonym links', () => {
    const { store, ds } = docStore();
    ds.insert(doc('D-pending', { state: 'pending' }), ['P-1', 'P-2']);
    ds.insert(doc('D-complete', { state: 'complete' }), ['P-1']);
    ds.insert(doc('D-reissued', { state: 'pending' }), []);
    ds.insert(doc('D-reissue', { state: 'complete', reissue_of: 'D-reissued' }), []);
    expect(ds.removePending(['D-pending', 'D-complete', 'D-reissued', 'D-onbekend'])).toBe(1);
    expect(ds.list().map((d) => [d.id, d.state])).toEqual([
      ['D-complete', 'complete'],
      ['D-reissued', 'pending'],
      ['D-reissue', 'complete'],
    ]);
    expect(store.all('SELECT document_id, pseudonym_id FROM document_pseudonyms')).toEqual([{ document_id: 'D-complete', pseudonym_id: 'P-1' }]);
    expect(ds.removePending([])).toBe(0);
  });
});
