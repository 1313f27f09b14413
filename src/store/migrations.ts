// Forward-only schema migrations. PRAGMA user_version is the index of the last
// one applied. Never edit a released migration; append a new one.

export interface Migration {
  version: number;
  sql: string;
}

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
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
