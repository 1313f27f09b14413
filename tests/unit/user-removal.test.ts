// `user remove` in-process, at the level of keys (issue #9): once a user is
// removed, everything her keys could open (a saved keyslot row, her grants,
// an old session) opens nothing written after, and the records written
// before and after all verify for the users who stay. Invented people only.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainMac } from '../../src/crypto/chain.js';
import type { Keyring } from '../../src/crypto/keyring.js';
import { AccessError, IntegrityError } from '../../src/errors.js';
import { addUser, joinUser } from '../../src/vault/enrolment.js';
import { openField } from '../../src/vault/sealing.js';
import { openKeyslot } from '../../src/vault/keyslots.js';
import { makeGrant } from '../../src/vault/user-records.js';
import { UserStore } from '../../src/store/users.js';
import { COMPARTMENTS } from '../../src/crypto/keyring.js';
import { ScanIndex } from '../../src/vault/scan-index.js';
import { VaultFile, type Vault } from '../../src/vault/vault.js';
import { VaultContext } from '../../src/vault/context.js';
import { AuditLog } from '../../src/vault/audit.js';
import { makeBench, PASS, type Bench } from '../helpers/inproc.js';
import { openAsAttacker } from '../helpers/tamper.js';

const enc = (s: string) => new TextEncoder().encode(s);
const PASSES = { noor: enc('noor haar eigen lange wachtzin'), mila: enc('mila kiest een andere wachtzin'), sven: enc('sven zijn wachtzin voor security'), ada: enc('ada de tweede beheerder hier') };

let bench: Bench;
let file: string;
let admin: Vault;
const w: Record<string, string> = {};
let noorOld: { keyring: Keyring; ctx: VaultContext };
let savedRows: { keyslot: Record<string, unknown>; grants: Record<string, unknown>[] };
let token: string;
let adaSeed: Uint8Array;

async function join(name: keyof typeof PASSES, role: string, worker?: string): Promise<void> {
  const added = addUser(admin.ctx, admin.audit, { name, role, ...(worker ? { worker } : {}) });
  const vf = await VaultFile.open(file, bench.deps);
  try {
    joinUser(vf.store, vf.vaultId, name, added.enrolment_code, PASSES[name], bench.deps);
  } finally {
    vf.close();
  }
}

/** Every sealed case-facing cell of the vault that `key` opens. */
function casefacingCellsOpenedBy(v: Vault, key: Uint8Array): number {
  let opened = 0;
  const tryOpen = (box: Uint8Array | null, table: string, column: string, rowId: string) => {
    if (!box) return;
    try {
      openField(key, new Uint8Array(box), { table, column, rowId });
      opened++;
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
    }
  };
  for (const row of v.ctx.cases.iteratePseudonyms()) {
    tryOpen(row.name, 'pseudonyms', 'name', row.id);
    tryOpen(row.formal, 'pseudonyms', 'formal', row.id);
  }
  for (const row of v.ctx.cases.iterateCases()) tryOpen(row.reference, 'cases', 'reference', row.id);
  for (const row of v.ctx.store.workers()) tryOpen(row.team, 'workers', 'team', row.id);
  return opened;
}

/** A copy of the vault as it is now (every vault of the bench closed first). */
async function copyOfVault(name: string): Promise<string> {
  const copy = path.join(bench.dir, name);
  bench.closeAll();
  const src = openAsAttacker(file);
  await src.backup(copy);
  src.close();
  return copy;
}

beforeAll(async () => {
  bench = makeBench('schuilnaam-remove-');
  file = await bench.create();
  admin = await bench.unlock(file);
  const people: [string, string, string][] = [
    ['noor', 'Noor', 'Hazeveld'],
    ['mila', 'Mila', 'Brouwershaven'],
    ['teun', 'Teun', 'Oosterwolde'],
    ['ilse', 'Ilse', 'Vermaat'],
  ];
  for (const [k, first, last] of people) w[k] = admin.workers.add({ first_name: first, last_name: last, email: `${k}@voorbeeld.nl`, employee_no: `P${k.length}${k.charCodeAt(0)}77`, team: 'Team Noord' });
  admin.cases.add('JB-2026/0001', 'Team Noord', 'normal');
  admin.cases.assign('JB-2026/0001', w.noor!);
  admin.cases.assign('JB-2026/0001', w.teun!);
  admin.pseudonyms.get('JB-2026/0001', w.noor!);
  const teun = admin.pseudonyms.get('JB-2026/0001', w.teun!);
  admin.resolve(teun.pseudonym, 'politie vraagt wie dit is');
  admin.rotation.rotate({ pseudonym: teun.pseudonym }, { reason: 'gelekt in een groep' });
  admin.workers.offboard(w.ilse!);
  await join('noor', 'caseworker', w.noor);
  await join('mila', 'caseworker', w.mila);
  await join('sven', 'security');
  await join('ada', 'admin');

  // What noor could keep: her keys in memory (what her session file holds), her session token, her rows.
  const noor = await bench.unlock(file, 'noor', PASSES.noor);
  noorOld = { keyring: noor.ctx.keyring.subset(['casefacing', 'scan', 'audit']), ctx: noor.ctx };
  token = noor.createSession(path.join(bench.dir, 'run'), 3_600_000).token;
  const db = openAsAttacker(file);
  savedRows = { keyslot: db.prepare("SELECT * FROM keyslots WHERE user = 'noor'").get() as Record<string, unknown>, grants: db.prepare("SELECT * FROM grants WHERE user = 'noor'").all() as Record<string, unknown>[] };
  db.close();
  expect(casefacingCellsOpenedBy(admin, noorOld.keyring.get('casefacing')!)).toBeGreaterThan(0);

  const removal = admin.users.remove('noor');
  expect(removal.was).toBe('active');
  expect(Object.keys(removal.rotated!.epochs).sort()).toEqual(['audit', 'casefacing', 'scan']);
  // Written after the removal.
  admin.cases.add('JB-2026/0002', 'Team Noord', 'normal');
  admin.cases.assign('JB-2026/0002', w.mila!);
  admin.pseudonyms.get('JB-2026/0002', w.mila!);
  w.nieuw = admin.workers.add({ first_name: 'Fleur', last_name: 'Zandvoort', email: 'fleur@voorbeeld.nl', team: 'Team Zuid' });
}, 120_000);

afterAll(() => {
  noorOld?.keyring.destroy();
  bench?.cleanup();
});

describe('after user remove, what the removed user kept opens nothing written after', () => {
  it('her case-facing key opens no case-facing cell: neither the ones written after nor the ones sealed again', async () => {
    const v = await bench.unlock(file);
    expect(casefacingCellsOpenedBy(v, noorOld.keyring.get('casefacing')!)).toBe(0);
  });

  it('her leak-scan key does not give the keyed hashes of a worker added after', async () => {
    const v = await bench.unlock(file);
    const text = v.ctx.cases.scanIndexText();
    const hers = new ScanIndex(noorOld.ctx);
    const current = new ScanIndex(v.ctx);
    expect(text).toContain(current.digest('zandvoort').toUpperCase());
    expect(text).not.toContain(hers.digest('zandvoort').toUpperCase());
  });

  it('her audit key MACs no entry written after the removal', async () => {
    const v = await bench.unlock(file);
    const rows = [...v.ctx.cases.iterateAudit()];
    const at = rows.findIndex((r) => r.action === 'keys.rotate');
    expect(at).toBeGreaterThan(0);
    const old = noorOld.keyring.get('audit')!;
    for (const r of rows.slice(at)) expect(Buffer.from(chainMac(old, new Uint8Array(r.hash))).equals(Buffer.from(r.mac))).toBe(false);
    // and the entries before it keep their MACs under the old key.
    expect(Buffer.from(chainMac(old, new Uint8Array(rows[at - 1]!.hash))).equals(Buffer.from(rows[at - 1]!.mac))).toBe(true);
  });

  it('her passphrase opens nothing: her keyslot is gone', async () => {
    await expect(bench.unlock(file, 'noor', PASSES.noor)).rejects.toThrow(AccessError);
    await expect(bench.unlock(file, 'noor', PASSES.noor)).rejects.toThrow('no user "noor" in this vault');
  });

  it('her old session token is refused', async () => {
    const vf = await VaultFile.open(file, bench.deps);
    try {
      expect(() => vf.unlockWithSession(path.join(bench.dir, 'run'), token)).toThrow('user "noor" was removed from this vault');
    } finally {
      vf.close();
    }
  });

  it('her saved keyslot and grant rows put back are caught; she never gets a vault', async () => {
    const copy = await copyOfVault('restored.db');
    const db = openAsAttacker(copy);
    const k = savedRows.keyslot;
    db.prepare('INSERT INTO keyslots (id, user, role, kdf, wrapped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(k.id, k.user, k.role, k.kdf, k.wrapped, k.created_at, k.updated_at);
    for (const g of savedRows.grants) db.prepare('INSERT INTO grants (user, compartment, epoch, sealed, granted_by, granted_at, sig) VALUES (?, ?, ?, ?, ?, ?, ?)').run(g.user, g.compartment, g.epoch, g.sealed, g.granted_by, g.granted_at, g.sig);
    db.close();
    await expect(bench.unlock(copy, 'noor', PASSES.noor)).rejects.toThrow('user "noor" was removed from this vault');
  });
});

describe('after user remove, the users who stay work on, and everything verifies', () => {
  it('the administrator: verify finds no problem in the records before and after', async () => {
    const v = await bench.unlock(file);
    const report = v.verify();
    expect(report.problems).toEqual([]);
    expect(report.checked.audit_entries).toBeGreaterThan(10);
  });

  it('security: reads identities, and the reason sealed before the keys were replaced', async () => {
    const sven = await bench.unlock(file, 'sven', PASSES.sven);
    expect(sven.workers.show(w.nieuw!).last_name).toBe('Zandvoort');
    const reasons = sven.audit.entries().map((e) => e.reason).filter(Boolean);
    expect(reasons).toContain('politie vraagt wie dit is');
    expect(sven.audit.verify().problems).toEqual([]);
  });

  it('a caseworker: her pseudonym and case, a scan that still finds a former worker (old key) and a new one, audit verify', async () => {
    const mila = await bench.unlock(file, 'mila', PASSES.mila);
    expect(mila.pseudonyms.get('JB-2026/0002', w.mila!).issued).toBe(false);
    const { Scanner } = await import('../../src/vault/scanner.js');
    const found = await new Scanner(mila.scanIndex).scan([{ location: 'brief', text: 'Ilse Vermaat en Fleur Zandvoort komen.' }]);
    expect(found.findings.map((f) => [f.text, f.confidence, f.worker])).toEqual([
      ['Ilse Vermaat', 'high', null],
      ['Fleur Zandvoort', 'high', null],
    ]);
    expect(mila.audit.verify().problems).toEqual([]);
  });

  it('an entry written later by the removed user, with her old keys, is caught by audit verify', async () => {
    const copy = await copyOfVault('forged.db');
    const v = await bench.unlock(copy);
    const seq = (v.ctx.cases.lastAudit()?.seq ?? 0) + 1;
    // Appended the way her own client would, with her old audit key and her signing key.
    const ctx = new VaultContext(v.ctx.store, noorOld.keyring, v.ctx.vaultId, 'noor', 'caseworker', () => new Date(), v.ctx.random);
    ctx.signSeed = noorOld.ctx.signSeed;
    new AuditLog(ctx).append('pseudonym.get', 'vault', {});
    const report = v.audit.verify();
    expect(report.ok).toBe(false);
    expect(report.first_broken).toBe(seq);
    expect(report.problems).toEqual([`audit entry ${seq}: has an invalid MAC (not written by this vault)`]);
  });
});

describe('an entry in the name of a removed user', () => {
  it('is caught even with a valid MAC and her own signature (her signing key in someone else\'s hands)', async () => {
    const copy = await copyOfVault('after-removal-entry.db');
    const v = await bench.unlock(copy);
    const seq = (v.ctx.cases.lastAudit()?.seq ?? 0) + 1;
    const removedAt = [...v.ctx.cases.iterateAudit()].find((r) => r.action === 'user.remove' && r.subject === 'noor')!.seq;
    // The current audit key (any user who stays holds it) and noor's signing seed.
    const ctx = new VaultContext(v.ctx.store, v.ctx.keyring, v.ctx.vaultId, 'noor', 'caseworker', () => new Date(), v.ctx.random);
    ctx.signSeed = noorOld.ctx.signSeed;
    v.ctx.store.transaction(() => new AuditLog(ctx).append('pseudonym.get', 'vault', {}));
    const report = v.audit.verify();
    expect(report.problems).toEqual([`audit entry ${seq}: was written by "noor" after that user was removed (entry ${removedAt})`]);
    expect(report.first_broken).toBe(seq);
  });
});

describe('removing an administrator replaces the organisation key', () => {
  it('the others still unlock with their own passphrase (following the key chain), and user records check against the new key only', async () => {
    bench.closeAll();
    const ada = await bench.unlock(file, 'ada', PASSES.ada);
    const adaBefore = new Uint8Array(ada.ctx.orgSign!);
    adaSeed = new Uint8Array(ada.ctx.signSeed!);
    const v = await bench.unlock(file);
    const r = v.users.remove('ada');
    expect(Object.keys(r.rotated!.epochs).sort()).toEqual(['audit', 'blind', 'casefacing', 'identity', 'org', 'scan']);
    bench.closeAll();
    const sven = await bench.unlock(file, 'sven', PASSES.sven);
    expect(Buffer.from(sven.ctx.orgSign!).equals(Buffer.from(adaBefore))).toBe(false);
    expect(sven.workers.show(w.nieuw!).last_name).toBe('Zandvoort');
    expect(sven.audit.verify().problems).toEqual([]);
    const mila = await bench.unlock(file, 'mila', PASSES.mila);
    expect(mila.pseudonyms.get('JB-2026/0002', w.mila!).issued).toBe(false);
    const admin2 = await bench.unlock(file, undefined, PASS);
    expect(admin2.users.list().map((u) => [u.user, u.status])).toEqual([
      ['ada', 'removed'],
      ['admin', 'active'],
      ['mila', 'active'],
      ['noor', 'removed'],
      ['sven', 'active'],
    ]);
    expect(admin2.verify().problems).toEqual([]);
    await expect(bench.unlock(file, 'ada', PASSES.ada)).rejects.toThrow('no user "ada" in this vault');
  });

  it('a grant signed by the removed administrator (she kept her signing key) is refused: no key of her choosing is used', async () => {
    const copy = await copyOfVault('ada-grant.db');
    const v = await bench.unlock(copy);
    const sven = v.users.list().find((u) => u.user === 'sven')!;
    expect(sven.status).toBe('active');
    const row = new UserStore(v.ctx.store).user('sven')!;
    const epoch = v.ctx.keyring.epochOf('identity');
    bench.closeAll();
    const chosen = new Uint8Array(32).fill(7);
    const g = makeGrant(v.ctx.vaultId, { user: 'sven', compartment: 'identity', epoch, grantedBy: 'ada' }, { box: row.box_pk, sign: row.sign_pk }, chosen, adaSeed);
    const db = openAsAttacker(copy);
    db.prepare('DELETE FROM grants WHERE user = ? AND compartment = ? AND epoch = ?').run('sven', COMPARTMENTS.identity, epoch);
    db.prepare('INSERT INTO grants (user, compartment, epoch, sealed, granted_by, granted_at, sig) VALUES (?, ?, ?, ?, ?, ?, ?)').run('sven', COMPARTMENTS.identity, epoch, g.sealed, 'ada', '2026-12-07T10:00:00.000Z', g.sig);
    db.close();
    await expect(bench.unlock(copy, 'sven', PASSES.sven)).rejects.toThrow('the identity key granted to user "sven" was granted by "ada", who was removed');
  });

  it('passwd seals the keyslot again with today\'s organisation key as its anchor', async () => {
    bench.closeAll();
    const sven = await bench.unlock(file, 'sven', PASSES.sven);
    const slot = () => sven.ctx.store.keyslotByUser('sven')!;
    const anchor = (pass: Uint8Array) => {
      const { payload } = openKeyslot(sven.ctx.vaultId, slot(), pass);
      return 'secrets' in payload ? Buffer.from(payload.secrets.orgSign) : undefined;
    };
    const today = Buffer.from(sven.ctx.orgSign!);
    expect(anchor(PASSES.sven)!.equals(today)).toBe(false);
    const next = enc('sven kiest een nieuwe wachtzin');
    sven.changePassphrase(next);
    expect(anchor(next)!.equals(today)).toBe(true);
  });
});

describe('a process that keeps running while another removes a user', () => {
  it('writes nothing under the replaced keys: its next write is refused, naming why', async () => {
    bench.closeAll();
    const copy = await copyOfVault('two-processes.db');
    const early = await bench.unlock(copy);
    const late = await bench.unlock(copy);
    late.users.remove('mila');
    expect(() => early.workers.add({ first_name: 'Bram', last_name: 'Wolderink', email: 'bram@voorbeeld.nl', team: 'Team Zuid' })).toThrow(
      "the vault's keys were replaced while this command ran (a user was removed)",
    );
    expect(late.workers.list().map((x) => x.last_name)).not.toContain('Wolderink');
    // The one that replaced the keys goes on with the new ones.
    const id = late.workers.add({ first_name: 'Bram', last_name: 'Wolderink', email: 'bram@voorbeeld.nl', team: 'Team Zuid' });
    expect(late.workers.show(id).last_name).toBe('Wolderink');
    expect(late.verify().problems).toEqual([]);
  });
});
