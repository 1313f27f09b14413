// Forward-only schema migrations. PRAGMA user_version is the index of the last
// one applied. Never edit a released migration; append a new one.

export interface Migration {
  version: number;
  sql: string;
}

/**
 * The tables and columns migration 4 protects, in the order their values go
 * into a row's keyed hash. Frozen with that migration: a later migration that
 * adds a column recreates the triggers of its table.
 */
export const INTEGRITY_COLUMNS_V4: Readonly<Record<string, readonly string[]>> = {
  meta: ['key', 'value'],
  keyslots: ['id', 'user', 'role', 'kdf', 'wrapped', 'created_at', 'updated_at'],
  workers: ['id', 'status', 'data_key', 'first_name', 'prefix', 'last_name', 'initials', 'email', 'phone', 'employee_no', 'team', 'bi_email', 'bi_employee_no', 'created_at', 'updated_at', 'offboarded_at'],
  teams: ['id', 'name_index', 'name', 'settings', 'created_at', 'updated_at'],
  cases: ['id', 'ref_index', 'reference', 'team', 'risk', 'created_at', 'updated_at'],
  assignments: ['case_id', 'worker_id', 'assigned_at'],
  compromises: ['id', 'recorded_at', 'recorded_by', 'target', 'details'],
  pseudonyms: ['id', 'worker_id', 'case_id', 'scope', 'style', 'status', 'name', 'formal', 'name_index', 'issued_at', 'ended_at', 'end_reason', 'replaced_by', 'compromise_id'],
  pseudonym_guards: ['digest', 'pseudonym_id'],
  name_guards: ['digest', 'refs'],
  scan_index: ['id', 'owner', 'kind', 'confidence', 'tokens', 'reversed', 'worker'],
  documents: ['id', 'case_id', 'worker_id', 'kind', 'record', 'created_at', 'reissue_of', 'state'],
  document_pseudonyms: ['document_id', 'pseudonym_id'],
};

/**
 * A row's canonical text, computed by SQLite itself: each column as its type
 * and the hex of its value ("text:4A616E", "null:", "integer:37"), joined by
 * commas. Unambiguous, ASCII only, and cheap to read back for a check.
 */
export function rowTextExpr(table: string, alias = ''): string {
  return INTEGRITY_COLUMNS_V4[table]!.map((c) => `typeof(${alias}${c})||':'||hex(${alias}${c})`).join("||','||");
}

function rowHashCall(table: string, alias: 'NEW' | 'OLD'): string {
  return `snm_row('${table}', ${rowTextExpr(table, `${alias}.`)})`;
}

/**
 * The triggers that keep each table's row count and digest in step with every
 * insert, update and delete, by name, as SQLite stores their text: the store
 * compares sqlite_master with these, so a trigger dropped or edited to let a
 * change through unrecorded is noticed.
 */
export const INTEGRITY_TRIGGERS_V4: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(INTEGRITY_COLUMNS_V4).flatMap((t) => [
    [
      `integrity_${t}_insert`,
      `CREATE TRIGGER integrity_${t}_insert AFTER INSERT ON ${t} BEGIN
        UPDATE integrity SET rows = rows + 1, digest = snm_add(digest, ${rowHashCall(t, 'NEW')}) WHERE name = '${t}';
      END`,
    ],
    [
      `integrity_${t}_update`,
      `CREATE TRIGGER integrity_${t}_update AFTER UPDATE ON ${t} BEGIN
        UPDATE integrity SET digest = snm_add(snm_sub(digest, ${rowHashCall(t, 'OLD')}), ${rowHashCall(t, 'NEW')}) WHERE name = '${t}';
      END`,
    ],
    [
      `integrity_${t}_delete`,
      `CREATE TRIGGER integrity_${t}_delete AFTER DELETE ON ${t} BEGIN
        UPDATE integrity SET rows = rows - 1, digest = snm_sub(digest, ${rowHashCall(t, 'OLD')}) WHERE name = '${t}';
      END`,
    ],
  ]),
);

const INTEGRITY_TRIGGERS = Object.values(INTEGRITY_TRIGGERS_V4)
  .map((sql) => `      ${sql};`)
  .join('\n');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- One keyslot per user: the vault's compartment keys for that user's role,
      -- sealed under a key derived from the user's passphrase.
      CREATE TABLE keyslots (
        id         TEXT PRIMARY KEY,
        user       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL,
        kdf        TEXT NOT NULL,
        wrapped    BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Identity columns are sealed under the worker's own data key (data_key,
      -- itself sealed under the identity compartment key). team is sealed under
      -- the case-facing key. bi_* are keyed blind indexes for exact lookups.
      CREATE TABLE workers (
        id            TEXT PRIMARY KEY,
        status        TEXT NOT NULL CHECK (status IN ('active', 'offboarded')),
        data_key      BLOB,
        first_name    BLOB,
        prefix        BLOB,
        last_name     BLOB,
        initials      BLOB,
        email         BLOB,
        phone         BLOB,
        employee_no   BLOB,
        team          BLOB,
        bi_email      BLOB UNIQUE,
        bi_employee_no BLOB UNIQUE,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        offboarded_at TEXT
      ) STRICT;
    `,
  },
  {
    version: 2,
    sql: `
      -- Per-team settings (pseudonym style, code prefix, scope; later contact details).
      CREATE TABLE teams (
        id         TEXT PRIMARY KEY,
        name_index BLOB NOT NULL UNIQUE,
        name       BLOB NOT NULL,
        settings   BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- A case is known by its reference (sealed; found through ref_index).
      CREATE TABLE cases (
        id         TEXT PRIMARY KEY,
        ref_index  BLOB NOT NULL UNIQUE,
        reference  BLOB NOT NULL,
        team       BLOB NOT NULL,
        risk       BLOB NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE assignments (
        case_id     TEXT NOT NULL REFERENCES cases (id),
        worker_id   TEXT NOT NULL REFERENCES workers (id),
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (case_id, worker_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX assignments_worker ON assignments (worker_id);

      CREATE TABLE compromises (
        id          TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        target      TEXT NOT NULL CHECK (target IN ('pseudonym', 'worker', 'case')),
        details     BLOB NOT NULL
      ) STRICT;

      -- name_index is UNIQUE over every row, whatever its status: a name is
      -- never issued twice, not even after it was retired.
      CREATE TABLE pseudonyms (
        id            TEXT PRIMARY KEY,
        worker_id     TEXT NOT NULL REFERENCES workers (id),
        case_id       TEXT REFERENCES cases (id),
        scope         TEXT NOT NULL CHECK (scope IN ('case', 'worker')),
        style         TEXT NOT NULL CHECK (style IN ('name', 'code')),
        status        TEXT NOT NULL CHECK (status IN ('active', 'retired', 'compromised')),
        name          BLOB NOT NULL,
        formal        BLOB NOT NULL,
        name_index    BLOB NOT NULL UNIQUE,
        issued_at     TEXT NOT NULL,
        ended_at      TEXT,
        end_reason    BLOB,
        replaced_by   TEXT REFERENCES pseudonyms (id),
        compromise_id TEXT REFERENCES compromises (id),
        CHECK ((scope = 'case') = (case_id IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX pseudonyms_one_active ON pseudonyms (worker_id, scope, coalesce(case_id, '')) WHERE status = 'active';
      CREATE INDEX pseudonyms_case ON pseudonyms (case_id);
      CREATE INDEX pseudonyms_worker ON pseudonyms (worker_id);

      -- Keyed hashes (leak-scan key) of each surname form of a name pseudonym,
      -- to find the pseudonyms a newly added real worker resembles.
      CREATE TABLE pseudonym_guards (
        digest       BLOB NOT NULL,
        pseudonym_id TEXT NOT NULL REFERENCES pseudonyms (id),
        PRIMARY KEY (digest, pseudonym_id)
      ) STRICT, WITHOUT ROWID;

      -- Keyed hashes (leak-scan key) of real workers' surname forms and
      -- personnel numbers: pseudonyms are checked against them without
      -- decrypting a single real name. No worker id: a role holding the scan
      -- key must not be able to tie a guessed surname to a worker. refs counts
      -- the workers sharing a form, so one leaving does not unguard another.
      CREATE TABLE name_guards (
        digest BLOB PRIMARY KEY,
        refs   INTEGER NOT NULL CHECK (refs > 0)
      ) STRICT, WITHOUT ROWID;

      -- The leak-scan index: keyed hashes (leak-scan key) of the normalised
      -- tokens of every spelling of every real identity and of every retired
      -- or compromised pseudonym. owner is a keyed hash (blind-index key) of
      -- the worker or pseudonym id, so entries can be replaced on a change;
      -- worker is the worker id sealed under the blind-index key, readable
      -- only by roles that may learn which worker a finding points to.
      CREATE TABLE scan_index (
        id         INTEGER PRIMARY KEY,
        owner      BLOB NOT NULL,
        kind       TEXT NOT NULL,
        confidence TEXT NOT NULL CHECK (confidence IN ('high', 'low')),
        tokens     BLOB NOT NULL,
        reversed   INTEGER NOT NULL DEFAULT 0 CHECK (reversed IN (0, 1)),
        worker     BLOB NOT NULL
      ) STRICT;
      CREATE INDEX scan_index_owner ON scan_index (owner);

      -- Append-only, hash-chained and MAC'd. Ids and hashes only; free text
      -- (reasons) is sealed under the case-facing key.
      CREATE TABLE audit_log (
        seq     INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL,
        sealed  BLOB,
        prev    BLOB NOT NULL,
        hash    BLOB NOT NULL,
        mac     BLOB NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
    `,
  },
  {
    version: 3,
    sql: `
      -- Every document rendered or redacted: rotation lists the ones that carry
      -- a compromised name, and --reissue renders one again. What it was made
      -- from (template, values, path, hash) is sealed under the case-facing key.
      CREATE TABLE documents (
        id         TEXT PRIMARY KEY,
        case_id    TEXT NOT NULL REFERENCES cases (id),
        worker_id  TEXT REFERENCES workers (id),
        kind       TEXT NOT NULL CHECK (kind IN ('render', 'redact')),
        record     BLOB NOT NULL,
        created_at TEXT NOT NULL,
        reissue_of TEXT REFERENCES documents (id)
      ) STRICT;
      CREATE INDEX documents_case ON documents (case_id);

      -- Which pseudonyms each document carries.
      CREATE TABLE document_pseudonyms (
        document_id  TEXT NOT NULL REFERENCES documents (id),
        pseudonym_id TEXT NOT NULL REFERENCES pseudonyms (id),
        PRIMARY KEY (document_id, pseudonym_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX document_pseudonyms_pseudonym ON document_pseudonyms (pseudonym_id);
    `,
  },
  {
    version: 4,
    sql: `
      -- A document is registered as pending before its file is renamed into
      -- place and completed after: a crash in between leaves a row that says
      -- so, never a file the register does not know.
      ALTER TABLE documents ADD COLUMN state TEXT NOT NULL DEFAULT 'complete' CHECK (state IN ('pending', 'complete'));

      -- Integrity of every table outside the audit chain. Per table: the number
      -- of rows and the sum (mod 2^256) of a keyed hash of each row, kept by the
      -- triggers below; the seal is a MAC over all of them and the audit log's
      -- head. A row added, removed, altered or put back to an older version
      -- without the key changes a sum that the key is needed to correct.
      CREATE TABLE integrity (
        name   TEXT PRIMARY KEY,
        rows   INTEGER NOT NULL,
        digest BLOB NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE integrity_seal (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        audit_seq  INTEGER NOT NULL,
        audit_hash BLOB,
        mac        BLOB NOT NULL
      ) STRICT;
${INTEGRITY_TRIGGERS}
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
