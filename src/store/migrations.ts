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
 * The tables migration 5 adds for users and roles (issue #9), protected the
 * same way. Frozen with that migration.
 */
export const INTEGRITY_COLUMNS_V5_ADDED: Readonly<Record<string, readonly string[]>> = {
  users: ['name', 'role', 'worker_id', 'status', 'box_pk', 'sign_pk', 'changed_at', 'signed_by', 'sig', 'enrolled_by', 'enrol_pk', 'enrol_sig'],
  grants: ['user', 'compartment', 'epoch', 'sealed', 'granted_by', 'granted_at', 'sig'],
  key_epochs: ['compartment', 'epoch', 'state', 'created_at'],
  enrolments: ['user', 'role', 'worker_id', 'check_hash', 'box', 'created_by', 'created_at', 'expires_at', 'sig'],
};

/** Every protected table of the current schema, with its columns. */
export const INTEGRITY_COLUMNS: Readonly<Record<string, readonly string[]>> = { ...INTEGRITY_COLUMNS_V4, ...INTEGRITY_COLUMNS_V5_ADDED };

/**
 * A row's canonical text, computed by SQLite itself: each column as its type
 * and the hex of its value ("text:4A616E", "null:", "integer:37"), joined by
 * commas. Unambiguous, ASCII only, and cheap to read back for a check.
 */
export function rowTextExpr(table: string, alias = ''): string {
  return INTEGRITY_COLUMNS[table]!.map((c) => `typeof(${alias}${c})||':'||hex(${alias}${c})`).join("||','||");
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
function integrityTriggers(tables: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    tables.flatMap((t) => [
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
}

export const INTEGRITY_TRIGGERS_V4: Readonly<Record<string, string>> = integrityTriggers(Object.keys(INTEGRITY_COLUMNS_V4));
const INTEGRITY_TRIGGERS_V5_ADDED: Readonly<Record<string, string>> = integrityTriggers(Object.keys(INTEGRITY_COLUMNS_V5_ADDED));
/** Every integrity trigger of the current schema. */
export const INTEGRITY_TRIGGERS: Readonly<Record<string, string>> = { ...INTEGRITY_TRIGGERS_V4, ...INTEGRITY_TRIGGERS_V5_ADDED };

const triggerSql = (triggers: Readonly<Record<string, string>>) =>
  Object.values(triggers)
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
${triggerSql(INTEGRITY_TRIGGERS_V4)}
    `,
  },
  {
    version: 5,
    sql: `
      -- Users and roles (issue #9). A user's public keys, signed by the
      -- organisation key (or, at enrolment, by the one-use key an
      -- administrator's signed enrolment names: signed_by 'enrolment').
      CREATE TABLE users (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('admin', 'security', 'caseworker')),
        worker_id  TEXT REFERENCES workers (id),
        status     TEXT NOT NULL CHECK (status IN ('active', 'removed')),
        box_pk     BLOB NOT NULL,
        sign_pk    BLOB NOT NULL,
        changed_at TEXT NOT NULL,
        signed_by  TEXT NOT NULL CHECK (signed_by IN ('org', 'enrolment')),
        sig        BLOB NOT NULL,
        -- For a record signed at enrolment: the administrator's signed
        -- statement naming the one-use key that signed it.
        enrolled_by TEXT,
        enrol_pk    BLOB,
        enrol_sig   BLOB
      ) STRICT;

      -- A compartment key of one epoch, sealed to a user's public key and
      -- signed by the administrator who granted it.
      CREATE TABLE grants (
        user        TEXT NOT NULL REFERENCES users (name),
        compartment INTEGER NOT NULL,
        epoch       INTEGER NOT NULL,
        sealed      BLOB NOT NULL,
        granted_by  TEXT NOT NULL,
        granted_at  TEXT NOT NULL,
        sig         BLOB NOT NULL,
        PRIMARY KEY (user, compartment, epoch)
      ) STRICT, WITHOUT ROWID;

      -- Each compartment key's generations: removing a user starts a new one.
      CREATE TABLE key_epochs (
        compartment INTEGER NOT NULL,
        epoch       INTEGER NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('current', 'rotating', 'retired')),
        created_at  TEXT NOT NULL,
        PRIMARY KEY (compartment, epoch)
      ) STRICT, WITHOUT ROWID;

      -- An enrolment waiting for its user: the starting keys sealed under a
      -- key derived from the one-time code (check_hash finds it, opens nothing).
      CREATE TABLE enrolments (
        user       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('admin', 'security', 'caseworker')),
        worker_id  TEXT REFERENCES workers (id),
        check_hash BLOB NOT NULL UNIQUE,
        box        BLOB NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        sig        BLOB NOT NULL
      ) STRICT;

      -- Each entry signed by its actor (Ed25519 over the entry's hash); NULL
      -- for entries written before users and roles.
      ALTER TABLE audit_log ADD COLUMN sig BLOB;

      -- No integrity rows yet: the first unlock with the audit key checks the
      -- seal over the tables of migration 4 and adds these, empty (Integrity.ensureSealed).
${triggerSql(INTEGRITY_TRIGGERS_V5_ADDED)}
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
