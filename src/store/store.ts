// The only module that speaks SQL. It stores and returns ciphertext and
// blind indexes; it never sees a real name in plaintext.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { IntegrityError, SchuilnaamError, UsageError } from '../errors.js';
import { INTEGRITY_COLUMNS, INTEGRITY_COLUMNS_V4, INTEGRITY_TRIGGERS, LATEST_SCHEMA_VERSION, MIGRATIONS, rowTextExpr } from './migrations.js';
import { addDigest, addInto, subDigest } from '../core/digest-sum.js';
import type { IntegrityHasher } from '../crypto/integrity.js';
import { translateSqliteError } from './sqlite-errors.js';
import { faultPoint } from '../fault.js';

/** "SNM1": marks a SQLite file as a schuilnaam vault (PRAGMA application_id). */
export const APPLICATION_ID = 0x534e4d31;
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export interface StoreOptions {
  busyTimeoutMs?: number;
}

export interface KeyslotRow {
  id: string;
  user: string;
  role: string;
  kdf: string;
  wrapped: Uint8Array;
  created_at: string;
  updated_at: string;
}

export interface WorkerRow {
  id: string;
  status: 'active' | 'offboarded';
  data_key: Uint8Array | null;
  first_name: Uint8Array | null;
  prefix: Uint8Array | null;
  last_name: Uint8Array | null;
  initials: Uint8Array | null;
  email: Uint8Array | null;
  phone: Uint8Array | null;
  employee_no: Uint8Array | null;
  team: Uint8Array | null;
  bi_email: Uint8Array | null;
  bi_employee_no: Uint8Array | null;
  created_at: string;
  updated_at: string;
  offboarded_at: string | null;
}

export type SealedWorkerColumns = Pick<
  WorkerRow,
  'first_name' | 'prefix' | 'last_name' | 'initials' | 'email' | 'phone' | 'employee_no' | 'team' | 'bi_email' | 'bi_employee_no'
>;

const WORKER_COLUMNS =
  'id, status, data_key, first_name, prefix, last_name, initials, email, phone, employee_no, team, bi_email, bi_employee_no, created_at, updated_at, offboarded_at';

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what an init that died half-way left beside the vault
 * (".vault.db.<pid>.<random>.creating" and its journal files), once the
 * process that made it is gone. Files of a live init are left alone.
 */
export function removeDeadLeftovers(dir: string, base: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.creating(?:-wal|-shm|-journal)?$/u.exec(name.slice(prefix.length));
    if (!m || processAlive(Number(m[1]))) continue;
    removeQuietly(path.join(dir, name));
    removed.push(name);
  }
  return removed;
}

function fsyncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported on every file system; the rename itself is still atomic */
  }
}

/** Every table the integrity seal covers (all but the audit log, which has its own chain). */
export const PROTECTED_TABLES: readonly string[] = Object.keys(INTEGRITY_COLUMNS);
/** The tables a seal made before migration 5 covers. */
const PROTECTED_TABLES_V4: readonly string[] = Object.keys(INTEGRITY_COLUMNS_V4);

/** The audit entry that records a seal extended to the tables of migration 5. */
export const UPGRADE_ACTION = 'vault.upgrade';

/** One table whose rows no longer add up to what the seal says, or the seal itself. */
export interface IntegrityProblem {
  table: string;
  problem: string;
}

const encoder = new TextEncoder();

export class Store {
  private readonly statements = new Map<string, Database.Statement>();
  private hasher: IntegrityHasher | undefined;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /**
   * Creates a vault file: built under a temporary name, then linked into
   * place, so a crash never leaves a half-made vault at `file` and an
   * existing vault is never overwritten.
   */
  static create(file: string, init: (store: Store) => void, options: StoreOptions = {}): void {
    if (fs.existsSync(file)) {
      throw new UsageError(`a vault already exists at ${file}`, 'nothing was changed; pass --vault PATH to create another one');
    }
    const dir = path.dirname(file);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new UsageError(`cannot create the folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    removeDeadLeftovers(dir, path.basename(file));
    // The pid in the name lets a later init recognise this file as a leftover once the process is gone.
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.creating`);
    try {
      // 0600 whatever the umask: SQLite gives -wal and -shm the mode of the main file.
      const fd = fs.openSync(tmp, 'wx', 0o600);
      fs.fchmodSync(fd, 0o600);
      fs.closeSync(fd);
    } catch (e) {
      throw new UsageError(`cannot create a vault in ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    try {
      const db = new Database(tmp);
      try {
        const store = new Store(db, file);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        store.configure(options);
        store.migrate();
        store.transaction(() => init(store));
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      faultPoint('created');
      try {
        fs.linkSync(tmp, file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`a vault already exists at ${file}`, 'nothing was changed');
        if (fs.existsSync(file)) throw new UsageError(`a vault already exists at ${file}`, 'nothing was changed');
        fs.renameSync(tmp, file); // file systems without hard links
      }
      fsyncDirectory(dir);
    } catch (e) {
      throw translateSqliteError(e, file) ?? e;
    } finally {
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) removeQuietly(f);
    }
  }

  static open(file: string, options: StoreOptions = {}): Store {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new UsageError(`no vault at ${file}`, 'run "schuilnaam init" to create one, or pass --vault PATH');
    }
    if (!stat.isFile()) throw new UsageError(`${file} is not a vault file`);
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { fileMustExist: true });
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      // Identify the file before anything writes to it: a foreign SQLite file stays untouched.
      const appId = db.pragma('application_id', { simple: true }) as number;
      if (appId !== APPLICATION_ID) {
        throw new IntegrityError(`${file} is not a schuilnaam vault`, 'check the path given with --vault or SCHUILNAAM_VAULT');
      }
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > LATEST_SCHEMA_VERSION) {
        throw new IntegrityError(
          `the vault has format version ${version}, but this schuilnaam supports up to version ${LATEST_SCHEMA_VERSION}`,
          'upgrade schuilnaam to open this vault',
        );
      }
      const store = new Store(db, file);
      store.configure(options);
      store.migrate();
      return store;
    } catch (e) {
      db?.close();
      if (e instanceof SchuilnaamError) throw e;
      throw translateSqliteError(e, file) ?? e;
    }
  }

  private configure(options: StoreOptions): void {
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Index lookups on random keys (name and guard hashes) stay in memory as the vault grows.
    this.db.pragma('cache_size = -65536');
    // Freed pages are zeroed, so a shredded worker's ciphertext does not linger.
    this.db.pragma('secure_delete = ON');
    // The integrity triggers (migration 4) call these on every change.
    this.db.function('snm_row', { deterministic: true }, (table: unknown, text: unknown) => {
      if (!this.hasher) throw new Error('a protected table was changed before the vault was unlocked');
      return Buffer.from(this.hasher.row(String(table), String(text)));
    });
    this.db.function('snm_add', { deterministic: true }, (a: unknown, b: unknown) => Buffer.from(addDigest(a as Uint8Array, b as Uint8Array)));
    this.db.function('snm_sub', { deterministic: true }, (a: unknown, b: unknown) => Buffer.from(subDigest(a as Uint8Array, b as Uint8Array)));
  }

  // --- integrity ----------------------------------------------------------

  /** The key-holding hasher the triggers and checks use; set once the vault is unlocked. */
  setIntegrityHasher(hasher: IntegrityHasher): void {
    this.hasher = hasher;
  }

  /**
   * Called at the start of every outermost write transaction, before
   * anything is read or written: the vault refuses there to write under keys
   * that were replaced since it was unlocked (another process removed a user).
   */
  private writeGuard: (() => void) | undefined;

  setWriteGuard(guard: () => void): void {
    this.writeGuard = guard;
  }

  hasSeal(): boolean {
    return this.get('SELECT 1 FROM integrity_seal WHERE id = 1') !== undefined;
  }

  /** Recomputes one table's row count and digest from its rows. */
  tableDigest(table: string): { rows: number; digest: Uint8Array } {
    if (!INTEGRITY_COLUMNS[table] || !this.hasher) throw new Error(`cannot compute the digest of ${table}`);
    // The same canonical text the triggers hash, one string per row (no row
    // objects or blobs to build: reading is most of the cost of a check).
    const sql = `SELECT ${rowTextExpr(table)} FROM ${table}`;
    const digest = new Uint8Array(32);
    let rows = 0;
    try {
      for (const text of this.stmt(sql).pluck().iterate() as IterableIterator<string>) {
        addInto(digest, this.hasher.row(table, text));
        rows++;
      }
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
    return { rows, digest };
  }

  private storedDigests(): Map<string, { rows: number; digest: Uint8Array }> {
    return new Map(this.all<{ name: string; rows: number; digest: Uint8Array }>('SELECT name, rows, digest FROM integrity').map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
  }

  private auditHead(): { seq: number; hash: Uint8Array | null } {
    const r = this.get<{ seq: number; hash: Uint8Array }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    return r ? { seq: r.seq, hash: r.hash } : { seq: 0, hash: null };
  }

  private sealMac(digests: Map<string, { rows: number; digest: Uint8Array }>, head: { seq: number; hash: Uint8Array | null }): Uint8Array {
    const lines = [`schuilnaam\u001f1\u001fseal\u001f${this.getMeta('vault_id') ?? ''}`];
    for (const name of [...digests.keys()].sort()) {
      const d = digests.get(name)!;
      lines.push(`${name}\u001f${d.rows}\u001f${Buffer.from(d.digest).toString('hex')}`);
    }
    lines.push(`audit_log\u001f${head.seq}\u001f${head.hash ? Buffer.from(head.hash).toString('hex') : ''}`);
    // A locked store must never call a sealed vault intact, inside a transaction or not.
    if (!this.hasher) throw new Error('cannot check the integrity seal before the vault is unlocked');
    return this.hasher.seal(encoder.encode(lines.join('\n')));
  }

  /** Computes every table's digest from scratch and seals them. Call inside a write transaction. */
  sealAll(): void {
    this.run('DELETE FROM integrity');
    for (const t of PROTECTED_TABLES) {
      const d = this.tableDigest(t);
      this.run('INSERT INTO integrity (name, rows, digest) VALUES (?, ?, ?)', t, d.rows, d.digest);
    }
    this.writeSeal();
  }

  /** True while the outermost write transaction runs on a seal it found intact when it began. */
  private sealHeldInTransaction = false;

  /**
   * A write transaction reseals at its end; so it first makes sure the seal it
   * will replace is intact, or it would bless what someone changed without
   * the key (a table put back together with its digest from an older copy).
   */
  private checkSealBeforeWriting(): void {
    this.sealHeldInTransaction = false;
    if (!this.hasher || !this.hasSeal()) return;
    const broken = this.sealProblem();
    if (broken) {
      throw new IntegrityError(`${broken.problem}; nothing was changed`, 'restore the vault from a backup you trust, and run "schuilnaam verify" to list every problem');
    }
    this.sealHeldInTransaction = true;
  }

  /** The seal against the stored digests and the audit head, or null when it matches. */
  private sealProblem(): IntegrityProblem | null {
    const seal = this.get<{ audit_seq: number; audit_hash: Uint8Array | null; mac: Uint8Array }>('SELECT audit_seq, audit_hash, mac FROM integrity_seal WHERE id = 1');
    if (!seal) return { table: 'integrity_seal', problem: 'the integrity seal is missing' };
    const stored = this.storedDigests();
    const tables = this.sealedTables();
    if (tables.some((t) => !stored.has(t)) || stored.size !== tables.length) {
      return { table: 'integrity', problem: 'the integrity record was altered' };
    }
    const head = this.auditHead();
    if (Buffer.from(this.sealMac(stored, head)).equals(Buffer.from(seal.mac))) return null;
    const sameHead = head.seq === seal.audit_seq && Buffer.from(head.hash ?? []).equals(Buffer.from(seal.audit_hash ?? []));
    return sameHead
      ? { table: 'integrity', problem: 'the integrity record was altered' }
      : { table: 'audit_log', problem: `the end of the audit log changed outside schuilnaam (sealed at entry ${seal.audit_seq}, now ${head.seq})` };
  }

  /**
   * The tables the seal covers: all of them, except in a vault upgraded from
   * schema 4 whose seal has not been extended yet (no upgrade entry in the
   * audit log, which cannot be removed without breaking the chain or the
   * seal's head).
   */
  private sealedTables(): readonly string[] {
    const names = new Set(this.all<{ name: string }>('SELECT name FROM integrity').map((r) => r.name));
    const onlyV4 = names.size === PROTECTED_TABLES_V4.length && PROTECTED_TABLES_V4.every((t) => names.has(t));
    if (onlyV4 && this.get("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", UPGRADE_ACTION) === undefined) return PROTECTED_TABLES_V4;
    return PROTECTED_TABLES;
  }

  /** True when the seal still covers only the tables of schema 4 (a vault upgraded, not yet resealed). */
  sealNeedsUpgrade(): boolean {
    return this.hasSeal() && this.sealedTables() !== PROTECTED_TABLES;
  }

  /**
   * Extends an intact schema-4 seal to the tables of migration 5. They must
   * still be empty: rows put there before the seal covered them were put
   * there without the key. Call inside a write transaction, after appending
   * the upgrade entry to the audit log.
   */
  upgradeSeal(): void {
    for (const t of PROTECTED_TABLES) {
      if (PROTECTED_TABLES_V4.includes(t)) continue;
      const n = (this.get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`) ?? { n: 0 }).n;
      if (n > 0) throw new IntegrityError(`the ${t} table was changed outside schuilnaam (${n} row(s) added before the vault was sealed for users and roles); nothing was changed`, 'restore the vault from a backup you trust');
      this.run('INSERT INTO integrity (name, rows, digest) VALUES (?, 0, ?)', t, new Uint8Array(32));
    }
    this.writeSeal();
  }

  private writeSeal(): void {
    const head = this.auditHead();
    const mac = this.sealMac(this.storedDigests(), head);
    this.run(
      'INSERT INTO integrity_seal (id, audit_seq, audit_hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET audit_seq = excluded.audit_seq, audit_hash = excluded.audit_hash, mac = excluded.mac',
      head.seq,
      head.hash,
      mac,
    );
  }

  /**
   * Checks the seal (every table's stored digest and the audit log's head)
   * and recomputes the digests of `tables` from their rows. Returns what does
   * not match; an empty list means intact.
   */
  integrityProblems(tables: readonly string[]): IntegrityProblem[] {
    if (!this.hasSeal()) return [{ table: 'integrity_seal', problem: 'the integrity seal is missing' }];
    const problems: IntegrityProblem[] = [];
    const triggers = new Map(this.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").map((r) => [r.name, r.sql]));
    const broken = Object.entries(INTEGRITY_TRIGGERS).filter(([name, sql]) => triggers.get(name) !== sql);
    if (broken.length > 0) {
      problems.push({ table: 'integrity', problem: `${broken.length === 1 ? 'an integrity trigger was' : `${broken.length} integrity triggers were`} removed or altered outside schuilnaam (${broken[0]![0]}${broken.length > 1 ? ', …' : ''})` });
    }
    const stored = this.storedDigests();
    // Inside a write transaction the seal was checked when it began; what
    // changed since is this transaction's own work, sealed at its end.
    const sealProblem = this.db.inTransaction && this.sealHeldInTransaction ? null : this.sealProblem();
    if (sealProblem) problems.push(sealProblem);
    for (const t of tables) {
      const want = stored.get(t);
      if (!want) continue;
      const got = this.tableDigest(t);
      if (got.rows !== want.rows || !Buffer.from(got.digest).equals(Buffer.from(want.digest))) {
        const delta = got.rows - want.rows;
        const how = delta > 0 ? `${delta} row(s) more than sealed` : delta < 0 ? `${-delta} row(s) fewer than sealed` : 'rows altered or put back to an older version';
        problems.push({ table: t, problem: `the ${t} table was changed outside schuilnaam (${how})` });
      }
    }
    return problems;
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    const pending = MIGRATIONS.filter((m) => m.version > current);
    if (pending.length === 0) return;
    this.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const now = this.db.pragma('user_version', { simple: true }) as number;
      for (const m of MIGRATIONS) {
        if (m.version <= now) continue;
        this.db.exec(m.sql);
        this.db.pragma(`user_version = ${m.version}`);
      }
    });
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs fn in one write transaction (BEGIN IMMEDIATE, so concurrent writers queue on the busy timeout). */
  transaction<T>(fn: () => T): T {
    // A nested call is a savepoint inside a transaction that checks and seals at its own ends.
    const outermost = !this.db.inTransaction;
    try {
      return this.db
        .transaction(() => {
          if (outermost) this.writeGuard?.();
          if (outermost) this.checkSealBeforeWriting();
          const result = fn();
          // Every change ends with a fresh seal over the tables and the audit head.
          if (outermost && this.hasher && this.hasSeal()) this.writeSeal();
          return result;
        })
        .immediate();
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    } finally {
      if (outermost) this.sealHeldInTransaction = false;
    }
  }

  /** Runs fn in one read transaction: a consistent snapshot. */
  read<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).deferred();
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  /** Moves everything out of the WAL into the main file and empties the WAL. */
  checkpoint(): boolean {
    try {
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return r?.busy === 0;
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  integrityCheck(): string[] {
    try {
      const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
      const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
      const fk = this.db.pragma('foreign_key_check') as unknown[];
      if (fk.length > 0) problems.push(`${fk.length} broken reference(s) between tables`);
      return problems;
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** For the table modules in src/store only. */
  run(sql: string, ...params: unknown[]): Database.RunResult {
    try {
      return this.stmt(sql).run(...params);
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    try {
      return this.stmt(sql).get(...params) as T | undefined;
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    try {
      return this.stmt(sql).all(...params) as T[];
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  /** Streams rows; SQLite errors met mid-way become the tool's errors too. */
  *iterate<T>(sql: string, ...params: unknown[]): IterableIterator<T> {
    try {
      yield* this.stmt(sql).iterate(...params) as IterableIterator<T>;
    } catch (e) {
      throw translateSqliteError(e, this.path) ?? e;
    }
  }

  // --- meta ---------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return this.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }

  // --- keyslots -----------------------------------------------------------

  insertKeyslot(row: KeyslotRow): void {
    this.run(
      'INSERT INTO keyslots (id, user, role, kdf, wrapped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      row.id,
      row.user,
      row.role,
      row.kdf,
      row.wrapped,
      row.created_at,
      row.updated_at,
    );
  }

  keyslotByUser(user: string): KeyslotRow | undefined {
    return this.get<KeyslotRow>('SELECT * FROM keyslots WHERE user = ?', user);
  }

  /** The user a passphrase opens when no --user is given: the first admin. */
  firstAdminKeyslot(): KeyslotRow | undefined {
    return this.get<KeyslotRow>("SELECT * FROM keyslots WHERE role = 'admin' ORDER BY created_at, rowid LIMIT 1");
  }

  listKeyslots(): KeyslotRow[] {
    return this.all<KeyslotRow>('SELECT * FROM keyslots ORDER BY created_at, rowid');
  }

  updateKeyslotWrap(id: string, kdf: string, wrapped: Uint8Array, updatedAt: string): void {
    this.run('UPDATE keyslots SET kdf = ?, wrapped = ?, updated_at = ? WHERE id = ?', kdf, wrapped, updatedAt, id);
  }

  // --- workers ------------------------------------------------------------

  insertWorker(row: WorkerRow): void {
    this.run(
      `INSERT INTO workers (${WORKER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.status,
      row.data_key,
      row.first_name,
      row.prefix,
      row.last_name,
      row.initials,
      row.email,
      row.phone,
      row.employee_no,
      row.team,
      row.bi_email,
      row.bi_employee_no,
      row.created_at,
      row.updated_at,
      row.offboarded_at,
    );
  }

  workerExists(id: string): boolean {
    return this.get('SELECT 1 FROM workers WHERE id = ?', id) !== undefined;
  }

  worker(id: string): WorkerRow | undefined {
    return this.get<WorkerRow>(`SELECT ${WORKER_COLUMNS} FROM workers WHERE id = ?`, id);
  }

  /** All workers in creation order (rowid breaks ties within one second). */
  workers(): WorkerRow[] {
    return this.all<WorkerRow>(`SELECT ${WORKER_COLUMNS} FROM workers ORDER BY rowid`);
  }

  *iterateWorkers(): IterableIterator<WorkerRow> {
    yield* this.iterate<WorkerRow>(`SELECT ${WORKER_COLUMNS} FROM workers ORDER BY rowid`);
  }

  countWorkers(): number {
    return this.get<{ n: number }>('SELECT count(*) AS n FROM workers')!.n;
  }

  workerIdByBlindEmail(index: Uint8Array): string | undefined {
    return this.get<{ id: string }>('SELECT id FROM workers WHERE bi_email = ?', index)?.id;
  }

  workerIdByBlindEmployeeNo(index: Uint8Array): string | undefined {
    return this.get<{ id: string }>('SELECT id FROM workers WHERE bi_employee_no = ?', index)?.id;
  }

  updateWorkerSealed(id: string, sealed: SealedWorkerColumns, updatedAt: string): void {
    this.run(
      `UPDATE workers SET first_name = ?, prefix = ?, last_name = ?, initials = ?, email = ?, phone = ?,
         employee_no = ?, team = ?, bi_email = ?, bi_employee_no = ?, updated_at = ? WHERE id = ?`,
      sealed.first_name,
      sealed.prefix,
      sealed.last_name,
      sealed.initials,
      sealed.email,
      sealed.phone,
      sealed.employee_no,
      sealed.team,
      sealed.bi_email,
      sealed.bi_employee_no,
      updatedAt,
      id,
    );
  }

  addGuard(digest: Uint8Array): void {
    this.run('INSERT INTO name_guards (digest, refs) VALUES (?, 1) ON CONFLICT (digest) DO UPDATE SET refs = refs + 1', digest);
  }

  /** One worker fewer has this form; the row goes when none is left. */
  dropGuard(digest: Uint8Array): void {
    if (this.run('UPDATE name_guards SET refs = refs - 1 WHERE digest = ? AND refs > 1', digest).changes === 0) {
      this.run('DELETE FROM name_guards WHERE digest = ?', digest);
    }
  }

  guardCounts(): Map<string, number> {
    return new Map(this.all<{ digest: Uint8Array; refs: number }>('SELECT digest, refs FROM name_guards').map((r) => [Buffer.from(r.digest).toString('hex'), r.refs]));
  }

  /** True when any of the digests belongs to a real worker. One query, whatever the count. */
  anyGuard(digests: Uint8Array[]): boolean {
    if (digests.length === 0) return false;
    const marks = digests.map(() => '?').join(', ');
    return this.get(`SELECT 1 FROM name_guards WHERE digest IN (${marks}) LIMIT 1`, ...digests) !== undefined;
  }

  /** Crypto-shredding: the worker's data key and every sealed identity column go. */
  shredWorker(id: string, at: string): void {
    this.run(
      `UPDATE workers SET status = 'offboarded', data_key = NULL, first_name = NULL, prefix = NULL, last_name = NULL,
         initials = NULL, email = NULL, phone = NULL, employee_no = NULL, bi_email = NULL, bi_employee_no = NULL,
         updated_at = ?, offboarded_at = ? WHERE id = ?`,
      at,
      at,
      id,
    );
  }
}
