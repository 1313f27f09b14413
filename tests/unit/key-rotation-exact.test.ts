// Replacing keys after `user remove`, each test on a vault of its own built
// inside the test (so mutation testing, which switches a mutant on per test,
// sees the removal itself): exact epochs, rows, findings and reasons.
// Invented people only.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../src/crypto/sodium.js';
import { addUser, joinUser } from '../../src/vault/enrolment.js';
import { Scanner } from '../../src/vault/scanner.js';
import { scanEpochOf } from '../../src/vault/scan-index.js';
import { UserStore } from '../../src/store/users.js';
import { VaultFile, type Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';

const enc = (s: string) => new TextEncoder().encode(s);
const NOOR = enc('noor haar eigen lange wachtzin');
const MILA = enc('mila kiest een andere wachtzin');
const SVEN = enc('sven zijn wachtzin voor security');

let bench: Bench;
beforeAll(async () => {
  await loadSodium();
  bench = makeBench('schuilnaam-rotation-');
});
afterAll(() => bench?.cleanup());

async function join(file: string, admin: Vault, name: string, role: string, pass: Uint8Array, worker?: string): Promise<void> {
  const added = addUser(admin.ctx, admin.audit, { name, role, ...(worker ? { worker } : {}) });
  const vf = await VaultFile.open(file, bench.deps);
  try {
    joinUser(vf.store, vf.vaultId, name, added.enrolment_code, pass, bench.deps);
  } finally {
    vf.close();
  }
}

/** A vault with three workers (one offboarded), a case, a resolve with a reason, and noor and mila as caseworkers. */
async function setUp(): Promise<{ file: string; admin: Vault; w: Record<string, string> }> {
  const file = await bench.create();
  const admin = await bench.unlock(file);
  const w: Record<string, string> = {};
  w.noor = admin.workers.add({ first_name: 'Noor', last_name: 'Hazeveld', email: 'noor@voorbeeld.nl', team: 'Team Noord' });
  w.mila = admin.workers.add({ first_name: 'Mila', last_name: 'Brouwershaven', email: 'mila@voorbeeld.nl', team: 'Team Noord' });
  w.ilse = admin.workers.add({ first_name: 'Ilse', last_name: 'Vermaat', email: 'ilse@voorbeeld.nl', team: 'Team Noord' });
  admin.cases.add('JB-1', 'Team Noord', 'normal');
  admin.cases.assign('JB-1', w.mila);
  const p = admin.pseudonyms.get('JB-1', w.mila);
  admin.resolve(p.pseudonym, 'reden van voor de vervanging');
  admin.workers.offboard(w.ilse);
  await join(file, admin, 'noor', 'caseworker', NOOR, w.noor);
  await join(file, admin, 'mila', 'caseworker', MILA, w.mila);
  return { file, admin, w };
}

const findings = async (v: Vault, text: string) => (await new Scanner(v.scanIndex).scan([{ location: 'brief', text }])).findings.map((f) => [f.text, f.confidence, f.worker, Boolean(f.former)]);

describe('the keys after removing a caseworker', () => {
  it('get a new epoch each for what she held, the others stay; the result says so exactly', async () => {
    const { admin } = await setUp();
    const r = admin.users.remove('noor');
    expect(r).toMatchObject({ user: 'noor', role: 'caseworker', was: 'active' });
    expect(r.rotated!.epochs).toEqual({ casefacing: 2, scan: 2, audit: 2 });
    expect(r.rotated!.withdrawn).toEqual([]);
    // admin: 6 current keys + retired audit, scan and case-facing; mila: 3 current + retired audit and scan.
    expect(r.rotated!.grants).toBe(6 + 3 + 3 + 2);
    // 3 workers' teams, 1 case, 1 pseudonym.
    expect(r.rotated!.records).toBe(5);
    const epochs = new UserStore(admin.ctx.store).epochs().map((e) => [e.compartment, e.epoch, e.state]);
    expect(epochs).toEqual([
      [1, 1, 'current'],
      [2, 1, 'retired'],
      [2, 2, 'current'],
      [3, 1, 'current'],
      [4, 1, 'retired'],
      [4, 2, 'current'],
      [5, 1, 'retired'],
      [5, 2, 'current'],
      [6, 1, 'current'],
    ]);
    // The administrator's own context went on with the new keys.
    expect([admin.ctx.keyring.epochOf('casefacing'), admin.ctx.keyring.epochOf('identity'), admin.ctx.keyring.epochOf('audit')]).toEqual([2, 1, 2]);
    expect(admin.ctx.keyring.keyAt('audit', 1)).toBeDefined();
    expect(admin.verify().problems).toEqual([]);
  });

  it('the leak index: new rows under the new scan key (kind@2), a former worker\'s rows keep theirs; every role finds both', async () => {
    const { file, admin, w } = await setUp();
    admin.users.remove('noor');
    w.fleur = admin.workers.add({ first_name: 'Fleur', last_name: 'Zandvoort', email: 'fleur@voorbeeld.nl', team: 'Team Noord' });
    const kinds = admin.ctx.store.all<{ kind: string }>('SELECT kind FROM scan_index').map((r) => scanEpochOf(r.kind).epoch);
    expect(new Set(kinds)).toEqual(new Set([1, 2]));
    expect(scanEpochOf('surname@2')).toEqual({ kind: 'surname', epoch: 2 });
    expect(scanEpochOf('full-name')).toEqual({ kind: 'full-name', epoch: 1 });
    const text = 'Ilse Vermaat, Fleur Zandvoort en Mila Brouwershaven komen langs.';
    expect(await findings(admin, text)).toEqual([
      ['Ilse Vermaat', 'high', w.ilse, true],
      ['Fleur Zandvoort', 'high', w.fleur, false],
      ['Mila Brouwershaven', 'high', w.mila, false],
    ]);
    const mila = await bench.unlock(file, 'mila', MILA);
    expect(await findings(mila, text)).toEqual([
      ['Ilse Vermaat', 'high', null, false],
      ['Fleur Zandvoort', 'high', null, false],
      ['Mila Brouwershaven', 'high', null, false],
    ]);
    // The former worker's e-mail address too (a value, hashed with the old key).
    expect((await findings(mila, 'mail ilse@voorbeeld.nl of fleur@voorbeeld.nl')).map((f) => f[0])).toEqual(['ilse@voorbeeld.nl', 'fleur@voorbeeld.nl']);
  });

  it('a keyring without the old scan key cannot scan an index that still needs it: refused, not "clean"', async () => {
    const { file, admin } = await setUp();
    admin.users.remove('noor');
    bench.closeAll();
    const mila = await bench.unlock(file, 'mila', MILA);
    const ring = mila.ctx.keyring.subset(['casefacing', 'scan', 'audit']);
    const { VaultContext } = await import('../../src/vault/context.js');
    const { ScanIndex } = await import('../../src/vault/scan-index.js');
    // Only the current keys, as a client that dropped retired ones would have.
    const { Keyring } = await import('../../src/crypto/keyring.js');
    const current = Keyring.of(ring.compartments().map((c) => [c, ring.get(c)!]));
    for (const c of ring.compartments()) current.setEpoch(c, ring.epochOf(c));
    const ctx = new VaultContext(mila.ctx.store, current, mila.ctx.vaultId, 'mila', 'caseworker', () => new Date(), mila.ctx.random);
    await expect(new Scanner(new ScanIndex(ctx)).scan([{ location: 'brief', text: 'Ilse Vermaat komt.' }])).rejects.toThrow(
      'the leak index holds entries made with generation 1 of the scan key, which user "mila" does not hold',
    );
  });

  it('reasons sealed under each generation of the case-facing key all read back; audit verify switches keys at each keys.rotate', async () => {
    const { file, admin, w } = await setUp();
    admin.users.remove('noor');
    const p = admin.pseudonyms.get('JB-1', w.mila);
    admin.resolve(p.pseudonym, 'reden na de eerste vervanging');
    await join(file, admin, 'sven', 'security', SVEN);
    admin.users.remove('sven');
    admin.resolve(p.pseudonym, 'reden na de tweede vervanging');
    expect(admin.ctx.keyring.epochOf('casefacing')).toBe(3);
    const reasons = admin.audit.entries().filter((e) => e.action === 'pseudonym.resolve').map((e) => e.reason);
    expect(reasons).toEqual(['reden van voor de vervanging', 'reden na de eerste vervanging', 'reden na de tweede vervanging']);
    const rotations = admin.audit.entries().filter((e) => e.action === 'keys.rotate').map((e) => (e.details.epochs as Record<string, number>).audit);
    expect(rotations).toEqual([2, 3]);
    expect(admin.audit.verify().problems).toEqual([]);
    bench.closeAll();
    const mila = await bench.unlock(file, 'mila', MILA);
    expect(mila.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('a session made after the keys were replaced carries their epochs and retired keys, and works', async () => {
    const { file, admin, w } = await setUp();
    admin.users.remove('noor');
    bench.closeAll();
    const run = path.join(bench.dir, `run-${Date.now()}`);
    const mila = await bench.unlock(file, 'mila', MILA);
    const { token } = mila.createSession(run, 60_000);
    bench.closeAll();
    const vf = await VaultFile.open(file, bench.deps);
    try {
      const s = vf.unlockWithSession(run, token);
      expect(s.ctx.keyring.epochOf('casefacing')).toBe(2);
      expect(s.ctx.keyring.keyAt('audit', 1)).toBeDefined();
      expect(s.ctx.keyring.keyAt('scan', 1)).toBeDefined();
      expect(s.ctx.keyring.keyAt('casefacing', 1)).toBeUndefined();
      expect(s.pseudonyms.get('JB-1', w.mila).issued).toBe(false);
      expect(s.audit.verify().problems).toEqual([]);
      // Its writes are signed with her key: the chain still verifies.
      s.pseudonyms.get('JB-1', w.mila);
      expect(s.audit.verify().problems).toEqual([]);
      s.close();
    } finally {
      vf.close();
    }
  });

  it('a pending enrolment is withdrawn (it held the old keys); user add waits while a removal is unfinished', async () => {
    const { admin } = await setUp();
    addUser(admin.ctx, admin.audit, { name: 'joris', role: 'caseworker' });
    const r = admin.users.remove('noor');
    expect(r.rotated!.withdrawn).toEqual(['joris']);
    expect(new UserStore(admin.ctx.store).enrolments()).toEqual([]);
  });
});

describe('user remove refuses', () => {
  it('oneself, an unknown user, one already removed, and a role without the organisation key', async () => {
    const { file, admin } = await setUp();
    expect(() => admin.users.remove('admin')).toThrow('you cannot remove yourself');
    expect(() => admin.users.remove('niemand')).toThrow('no user "niemand" in this vault');
    admin.users.remove('noor');
    expect(() => admin.users.remove('noor')).toThrow('user "noor" was already removed');
    bench.closeAll();
    const mila = await bench.unlock(file, 'mila', MILA);
    expect(() => mila.users.remove('admin')).toThrow('the caseworker role may not add, list or remove users');
  });
});
