// A vault made by schuilnaam 0.1.0 (schema 3, no seal) is migrated to schema 4
// and sealed at its first unlock; one that was sealed once is never sealed
// again from scratch, so removing the seal cannot launder a tampered vault.
// Runs in-process against src/ so the seal's code paths are visible to the
// tests (and to mutation testing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/crypto/keyring.js';
import { systemRandom } from '../../src/crypto/random.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { randomId } from '../../src/core/ids.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { APPLICATION_ID } from '../../src/store/store.js';
import { sealKeyslot } from '../../src/vault/keyslots.js';
import { GATE_TABLES } from '../../src/vault/integrity.js';
// Imported here, not inside a test: loading it inside a test would make the
// mutation tester take its module-level constants for code that test covers.
import { Scanner } from '../../src/vault/scanner.js';
import { VaultFile, type Vault } from '../../src/vault/vault.js';
import type { VaultDeps } from '../../src/vault/deps.js';
import { openAsAttacker } from '../helpers/tamper.js';

const PASS = Buffer.from('zeven zoete zeeuwse zeemeeuwen', 'utf8');
const deps: VaultDeps = { clock: () => new Date('2026-12-07T10:00:00Z'), random: systemRandom, kdfProfile: 'owasp-floor' };

let dir: string;
const open: Vault[] = [];

beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schuilnaam-upgrade-'));
});
afterEach(() => {
  for (const v of open.splice(0)) v.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A schema-3 vault as 0.1.0 wrote it: the first three migrations, meta and one admin keyslot, and no audit entry. */
function version3Vault(): string {
  const file = path.join(dir, 'oud.db');
  const db = new Database(file);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.filter((x) => x.version <= 3)) db.exec(m.sql);
  db.pragma('user_version = 3');
  const vaultId = 'ab'.repeat(16);
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  put.run('format', 'schuilnaam-vault');
  put.run('vault_id', vaultId);
  put.run('created_at', '2026-01-02T03:04:05.000Z');
  const keyring = Keyring.generate(systemRandom);
  const slot = { id: randomId('K', systemRandom(5)), user: 'admin', role: 'admin' as const };
  const sealed = sealKeyslot(vaultId, slot, { keyring: keyring }, PASS, 'owasp-floor', systemRandom);
  db.prepare('INSERT INTO keyslots (id, user, role, kdf, wrapped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(slot.id, slot.user, slot.role, sealed.kdf, sealed.wrapped, '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z');
  db.close();
  keyring.destroy();
  return file;
}

async function unlock(file: string): Promise<Vault> {
  const vf = await VaultFile.open(file, deps);
  const v = vf.unlockWithPassphrase(PASS);
  open.push(v);
  return v;
}

function sealRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM integrity_seal').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('upgrading a schema-3 vault', () => {
  it('is sealed at the first unlock, with a vault.seal audit entry, and verifies clean', async () => {
    const file = version3Vault();
    const v = await unlock(file);
    expect(v.ctx.store.schemaVersion()).toBe(5);
    // A schema-3 index has version-1 name forms: rebuilt right after sealing (nothing to rebuild here).
    expect(v.audit.entries().map((e) => e.action)).toEqual(['vault.seal', 'scan_index.rebuild', 'users.migrate']);
    expect(v.integrity.problems()).toEqual([]);
    v.workers.add({ first_name: 'Lieke', last_name: 'Hoogendoorn-Vaatstra', team: 'Team Kust' });
    expect(v.verify().problems).toEqual([]);
  });

  it('a vault that was sealed once and lost its seal is not sealed again: every check names the missing seal', async () => {
    const file = version3Vault();
    const first = await unlock(file);
    first.workers.add({ first_name: 'Meinte', last_name: 'Brouwershaven', team: 'Team Kust' });
    first.close();
    open.splice(0);
    const db = openAsAttacker(file);
    db.exec('DELETE FROM integrity_seal; DELETE FROM scan_index');
    db.close();
    const again = await unlock(file);
    expect(sealRows(file)).toBe(0);
    expect(again.integrity.problems(GATE_TABLES).map((p) => p.problem)).toEqual(['the integrity seal is missing']);
    expect(() => again.scanIndex.load()).toThrow(/integrity seal is missing/u);
    expect(again.verify().problems).toContain('the integrity seal is missing');
  });

  it('the first seal covers every table: a change after sealing is named by table', async () => {
    const v = await unlock(version3Vault());
    v.workers.add({ first_name: 'Sjoukje', last_name: 'Terpstra-Hiemstra', team: 'Team Kust' });
    const file = v.path;
    v.close();
    open.splice(0);
    const db = openAsAttacker(file);
    db.exec("UPDATE keyslots SET updated_at = '2020-01-01T00:00:00.000Z'");
    db.close();
    const again = await unlock(file);
    expect(again.integrity.problems().map((p) => p.table)).toEqual(['keyslots']);
  });
});

describe('an index built with older name forms', () => {
  async function glued(v: Vault, text: string): Promise<string[]> {
    const { findings } = await new Scanner(v.scanIndex).scan([{ location: 'body', text }]);
    return findings.filter((f) => f.confidence === 'high').map((f) => f.text);
  }

  it('is rebuilt at the next unlock by a role that can read identities, with an audit entry, and stays sealed', async () => {
    const v = await unlock(version3Vault());
    v.workers.add({ first_name: 'Janneke', last_name: 'Veldhuijzen', team: 'Team Kust' });
    expect(await glued(v, 'Zie ook #JannekeVeldhuijzen op Facebook')).toEqual(['JannekeVeldhuijzen']);
    // What a version-1 index looked like: no glued forms, and no version mark. Written through the
    // store with the key, as the older version did, so the seal still holds.
    v.ctx.store.transaction(() => {
      v.ctx.store.run("DELETE FROM scan_index WHERE kind = 'full-name' AND length(tokens) = 8");
      v.ctx.store.run("DELETE FROM meta WHERE key = 'leak_forms'");
    });
    const file = v.path;
    v.close();
    open.splice(0);
    const again = await unlock(file);
    expect(again.audit.entries().map((e) => e.action)).toContain('scan_index.rebuild');
    expect(await glued(again, 'Zie ook #JannekeVeldhuijzen op Facebook')).toEqual(['JannekeVeldhuijzen']);
    expect(again.verify().problems).toEqual([]);
    // Rebuilt once: the next unlock has nothing to do.
    const n = again.audit.entries().length;
    again.close();
    open.splice(0);
    const third = await unlock(file);
    expect(third.audit.entries().length).toBe(n);
  });
});
