import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError, UsageError } from '../../src/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { APPLICATION_ID, Store } from '../../src/store/store.js';

let dir: string;
const opened: Store[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schuilnaam-store-'));
});

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openStore(file: string): Store {
  const s = Store.open(file);
  opened.push(s);
  return s;
}

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

/** Reads pragmas and table names straight from the file, bypassing Store. */
function inspect(file: string): { appId: number; version: number; tables: string[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      appId: db.pragma('application_id', { simple: true }) as number,
      version: db.pragma('user_version', { simple: true }) as number,
      tables: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name),
    };
  } finally {
    db.close();
  }
}

const creating = () => fs.readdirSync(dir).filter((f) => f.endsWith('.creating') || f.includes('.creating-'));

// Mutation testing runs these tests in worker threads, where process.umask(n)
// throws. There the process keeps its umask (022 or stricter), which still
// tells a 0600 file from a default 0644 one.
function setUmask(mask: number): number | undefined {
  if (!isMainThread) return undefined;
  return process.umask(mask);
}

describe('Store.create', () => {
  it('makes a vault at the latest schema version with the application id set', () => {
    const file = path.join(dir, 'vault.db');
    Store.create(file, (s) => s.setMeta('vault_id', 'V-test'));
    expect(fs.existsSync(file)).toBe(true);
    const info = inspect(file);
    expect(info.appId).toBe(APPLICATION_ID);
    expect(APPLICATION_ID).toBe(0x534e4d31);
    expect(info.version).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)!.version);
    expect(info.tables).toEqual(expect.arrayContaining(['meta', 'keyslots', 'workers']));
    const s = openStore(file);
    expect(s.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(s.getMeta('vault_id')).toBe('V-test');
  });

  it('leaves only the vault file behind: no temp, -wal or -shm files', () => {
    const file = path.join(dir, 'vault.db');
    Store.create(file, () => {});
    expect(fs.readdirSync(dir)).toEqual(['vault.db']);
  });

  it('creates missing parent folders', () => {
    const file = path.join(dir, 'a', 'b', 'vault.db');
    Store.create(file, () => {});
    expect(inspect(file).appId).toBe(APPLICATION_ID);
  });

  it('refuses an existing file with a UsageError and leaves it untouched', () => {
    const file = path.join(dir, 'vault.db');
    fs.writeFileSync(file, 'not mine to overwrite');
    let initCalled = false;
    const e = caught(() =>
      Store.create(file, () => {
        initCalled = true;
      }),
    );
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain('already exists');
    expect(initCalled).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('not mine to overwrite');
    expect(fs.readdirSync(dir)).toEqual(['vault.db']);
  });

  it('refuses to overwrite an existing vault', () => {
    const file = path.join(dir, 'vault.db');
    Store.create(file, (s) => s.setMeta('who', 'first'));
    expect(() => Store.create(file, (s) => s.setMeta('who', 'second'))).toThrow(UsageError);
    expect(openStore(file).getMeta('who')).toBe('first');
  });

  it('leaves no file at all when the init callback throws, and passes the error on', () => {
    const file = path.join(dir, 'vault.db');
    const boom = new Error('init failed on purpose');
    const e = caught(() =>
      Store.create(file, (s) => {
        s.setMeta('half', 'done');
        throw boom;
      }),
    );
    expect(e).toBe(boom);
    expect(fs.existsSync(file)).toBe(false);
    expect(creating()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('creates the file 0600 even with umask 0, and a new folder 0700', () => {
    const file = path.join(dir, 'private', 'vault.db');
    const old = setUmask(0);
    try {
      Store.create(file, () => {});
    } finally {
      if (old !== undefined) process.umask(old);
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('keeps -wal and -shm files 0600 while a vault is open', () => {
    const file = path.join(dir, 'vault.db');
    const old = setUmask(0);
    try {
      Store.create(file, () => {});
      const s = openStore(file);
      s.transaction(() => s.setMeta('k', 'v'));
      for (const f of fs.readdirSync(dir)) {
        expect(fs.statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
      }
      expect(fs.readdirSync(dir)).toContain('vault.db-wal');
    } finally {
      if (old !== undefined) process.umask(old);
    }
  });
});

describe('Store.open', () => {
  it('a missing path is a UsageError', () => {
    const e = caught(() => Store.open(path.join(dir, 'nope.db')));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain('nope.db');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a folder is a UsageError', () => {
    expect(() => Store.open(dir)).toThrow(UsageError);
  });

  it('a SQLite file of another application is an IntegrityError, and its bytes are unchanged', () => {
    const file = path.join(dir, 'other.db');
    const db = new Database(file);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('boodschappen: melk, kaas')");
    db.close();
    const before = fs.readFileSync(file);
    const mtime = fs.statSync(file).mtimeMs;
    const e = caught(() => Store.open(file));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e.message).toContain('not a schuilnaam vault');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(dir)).toEqual(['other.db']);
  });

  it('a file that is not SQLite at all is an IntegrityError, and its bytes are unchanged', () => {
    const file = path.join(dir, 'letter.txt');
    const text = 'Geachte heer/mevrouw,\n'.repeat(300);
    fs.writeFileSync(file, text);
    const e = caught(() => Store.open(file));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('an empty file is refused and stays empty', () => {
    const file = path.join(dir, 'empty.db');
    fs.writeFileSync(file, '');
    expect(() => Store.open(file)).toThrow(IntegrityError);
    expect(fs.statSync(file).size).toBe(0);
  });

  it('a vault from a newer schuilnaam is an IntegrityError naming both versions', () => {
    const file = path.join(dir, 'vault.db');
    Store.create(file, () => {});
    const newer = LATEST_SCHEMA_VERSION + 5;
    const db = new Database(file);
    db.pragma(`user_version = ${newer}`);
    db.close();
    const e = caught(() => Store.open(file));
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e.message).toMatch(new RegExp(`\\b${newer}\\b`, 'u'));
    expect(e.message).toMatch(new RegExp(`\\b${LATEST_SCHEMA_VERSION}\\b`, 'u'));
    expect(inspect(file).version).toBe(newer);
  });

  it('migrates a file at user_version 0 that has the application id', () => {
    const file = path.join(dir, 'bare.db');
    const db = new Database(file);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.close();
    expect(inspect(file)).toEqual({ appId: APPLICATION_ID, version: 0, tables: [] });
    const s = openStore(file);
    expect(s.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(s.getMeta('anything')).toBeUndefined();
    expect(s.countWorkers()).toBe(0);
    s.close();
    const after = inspect(file);
    expect(after.version).toBe(LATEST_SCHEMA_VERSION);
    expect(after.tables).toEqual(expect.arrayContaining(['meta', 'keyslots', 'workers']));
  });

  it('opening an up-to-date vault twice does not re-run migrations', () => {
    const file = path.join(dir, 'vault.db');
    Store.create(file, (s) => s.setMeta('k', 'v'));
    openStore(file).close();
    const s = openStore(file);
    expect(s.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(s.getMeta('k')).toBe('v');
  });
});

describe('transactions', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(dir, 'vault.db');
    Store.create(file, () => {});
  });

  it('a callback that throws leaves nothing written', () => {
    const s = openStore(file);
    s.setMeta('kept', 'yes');
    const boom = new Error('halfway');
    const e = caught(() =>
      s.transaction(() => {
        s.setMeta('kept', 'changed');
        s.setMeta('lost', 'value');
        throw boom;
      }),
    );
    expect(e).toBe(boom);
    expect(s.getMeta('kept')).toBe('yes');
    expect(s.getMeta('lost')).toBeUndefined();
    s.close();
    const again = openStore(file);
    expect(again.getMeta('kept')).toBe('yes');
    expect(again.getMeta('lost')).toBeUndefined();
  });

  it('a callback that returns commits and passes its value back', () => {
    const s = openStore(file);
    expect(s.transaction(() => (s.setMeta('a', '1'), 42))).toBe(42);
    s.close();
    expect(openStore(file).getMeta('a')).toBe('1');
  });

  it('setMeta overwrites an existing key', () => {
    const s = openStore(file);
    s.setMeta('a', '1');
    s.setMeta('a', '2');
    expect(s.getMeta('a')).toBe('2');
  });

  it('integrityCheck of a fresh vault finds no problems', () => {
    expect(openStore(file).integrityCheck()).toEqual([]);
  });
});
