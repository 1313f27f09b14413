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
import { openField } from '../../src/vault/sealing.js';
import { VaultFile, type Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';

const enc = (s: string) => new TextEncoder().encode(s);
const NOOR = enc('noor haar eigen lange wachtzin');
const MILA = enc('mila kiest een andere wachtzin');
const SVEN = enc('sven zijn wachtzin voor security');

let bench: Bench;
let retired = '';
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
  admin.teams.set('Team Noord', { code_prefix: 'NR' });
  const p = admin.pseudonyms.get('JB-1', w.mila);
  admin.resolve(p.pseudonym, 'reden van voor de vervanging');
  // A leaked name: a compromise record, and a retired pseudonym the gate must keep finding.
  admin.rotation.rotate({ pseudonym: p.pseudonym }, { reason: 'gelekt' });
  retired = p.pseudonym;
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
    // 3 workers' teams, 1 team, 1 case, 1 compromise, 2 pseudonyms (the leaked one and its successor).
    expect(r.rotated!.records).toBe(8);
    // Grants: none for her; exactly her role's keys and the retired ones it keeps for the others.
    const grants = (u: string) => new UserStore(admin.ctx.store).grantsOf(u).map((g) => `${g.compartment}:${g.epoch}`);
    expect(grants('noor')).toEqual([]);
    expect(grants('mila')).toEqual(['2:2', '4:1', '4:2', '5:1', '5:2']);
    expect(grants('admin')).toEqual(['1:1', '2:1', '2:2', '3:1', '4:1', '4:2', '5:1', '5:2', '6:1']);
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
    const rowsBefore = admin.ctx.store.all('SELECT id FROM scan_index').length;
    admin.users.remove('noor');
    // Written again one for one: no row left behind under the old key but the former worker's.
    expect(admin.ctx.store.all('SELECT id FROM scan_index').length).toBe(rowsBefore);
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

const CASEFACING: [string, string[]][] = [
  ['workers', ['team']],
  ['teams', ['name', 'settings']],
  ['cases', ['reference', 'team', 'risk']],
  ['compromises', ['details']],
  ['pseudonyms', ['name', 'formal', 'end_reason']],
];

/** How many sealed case-facing cells open with `key`, and how many there are. */
function opened(v: Vault, key: Uint8Array): { opened: number; cells: number } {
  let n = 0;
  let cells = 0;
  for (const [table, columns] of CASEFACING) {
    for (const row of v.ctx.store.all<Record<string, Uint8Array | string | null>>(`SELECT id, ${columns.join(', ')} FROM ${table}`)) {
      for (const column of columns) {
        const box = row[column];
        if (box === null || box === undefined) continue;
        cells++;
        try {
          openField(key, box as Uint8Array, { table, column, rowId: row.id as string });
          n++;
        } catch {
          /* sealed under another key */
        }
      }
    }
  }
  return { opened: n, cells };
}

describe('the records after removing a caseworker', () => {
  it('every case-facing cell of every table opens under the new key, none under the old', async () => {
    const { admin } = await setUp();
    const oldKey = new Uint8Array(admin.ctx.keyring.get('casefacing')!);
    const before = opened(admin, oldKey);
    expect(before.opened).toBe(before.cells);
    expect(before.cells).toBe(3 + 2 + 3 + 1 + 5);
    admin.users.remove('noor');
    expect(opened(admin, admin.ctx.keyring.get('casefacing')!)).toEqual(before);
    expect(opened(admin, oldKey).opened).toBe(0);
    // Found again by what the lookup hashes were computed from.
    expect(admin.teams.list().map((t) => [t.name, t.settings.code_prefix])).toEqual([['Team Noord', 'NR']]);
    expect(admin.cases.show('JB-1').reference).toBe('JB-1');
  });

  it('a retired pseudonym is still stopped by the gate', async () => {
    const { admin } = await setUp();
    admin.users.remove('noor');
    const found = (await new Scanner(admin.scanIndex).scan([{ location: 'brief', text: `Groet, ${retired}` }])).findings;
    expect(found.map((f) => [f.kind, f.text])).toEqual([['pseudonym-retired', retired]]);
  });
});

describe('user remove, unfinished and finished', () => {
  it('a user who never joined: her enrolment is withdrawn, nothing else changes', async () => {
    const { admin } = await setUp();
    addUser(admin.ctx, admin.audit, { name: 'joris', role: 'security' });
    const epochs = new UserStore(admin.ctx.store).epochs();
    expect(admin.users.remove('joris')).toEqual({ user: 'joris', role: 'security', was: 'pending', rotated: null });
    expect(new UserStore(admin.ctx.store).enrolment('joris')).toBeUndefined();
    expect(new UserStore(admin.ctx.store).epochs()).toEqual(epochs);
    expect(admin.audit.entries().at(-1)).toMatchObject({ action: 'user.withdraw', subject: 'joris', details: { role: 'security' } });
  });

  it('interrupted while sealing: she is out, the keys are not replaced yet, the administrator is told; the second run finishes', async () => {
    const { file, admin } = await setUp();
    const stop = () => {
      throw new Error('interrupted');
    };
    expect(() => admin.users.remove('noor', stop)).toThrow('interrupted');
    expect(new UserStore(admin.ctx.store).user('noor')!.status).toBe('removed');
    expect(new UserStore(admin.ctx.store).epochs().filter((e) => e.state === 'current').every((e) => e.epoch === 1)).toBe(true);
    bench.closeAll();
    const again = await bench.unlock(file);
    const notice = 'the keys of "noor" were not all replaced yet (the removal was interrupted); until they are, she can still read what is written: run "schuilnaam user remove noor" to finish';
    expect(again.ctx.notices).toEqual([notice]);
    expect(() => addUser(again.ctx, again.audit, { name: 'nieuw', role: 'caseworker' })).toThrow('the removal of "noor" is not finished');
    const steps: string[] = [];
    const r = again.users.remove('noor', (step, done, total) => steps.push(`${step} ${done}/${total}`));
    expect(r.was).toBe('removed');
    expect(r.rotated!.epochs).toEqual({ casefacing: 2, scan: 2, audit: 2 });
    expect(steps.slice(0, 3)).toEqual(['workers 0/3', 'workers 1/3', 'workers 2/3']);
    expect(steps).toContain('pseudonyms 1/2');
    expect(again.ctx.notices).toEqual([]);
    bench.closeAll();
    expect((await bench.unlock(file)).ctx.notices).toEqual([]);
  });

  it('two removals, the first unfinished: one run replaces what both held', async () => {
    const { file, admin } = await setUp();
    await join(file, admin, 'sven', 'security', SVEN);
    expect(() =>
      admin.users.remove('noor', () => {
        throw new Error('interrupted');
      }),
    ).toThrow('interrupted');
    bench.closeAll();
    const again = await bench.unlock(file);
    const r = again.users.remove('sven');
    expect(r.rotated!.epochs).toEqual({ casefacing: 2, scan: 2, audit: 2, identity: 2, blind: 2 });
    expect(again.audit.entries().at(-1)).toMatchObject({ action: 'keys.rotate', details: { after_removing: ['noor', 'sven'] } });
    expect(again.verify().problems).toEqual([]);
  });
});

describe('after removing a security officer (the blind key replaced too)', () => {
  it('the former worker\'s leak rows get a new owner and sealed worker: the administrator still learns who it was', async () => {
    const { file, admin, w } = await setUp();
    await join(file, admin, 'sven', 'security', SVEN);
    const r = admin.users.remove('sven');
    expect(r.rotated!.epochs).toEqual({ identity: 2, casefacing: 2, blind: 2, scan: 2, audit: 2 });
    expect(await findings(admin, 'Ilse Vermaat en Mila Brouwershaven')).toEqual([
      ['Ilse Vermaat', 'high', w.ilse, true],
      ['Mila Brouwershaven', 'high', w.mila, false],
    ]);
    // Found by e-mail through the new blind index; the log says who was removed and how many grants went.
    expect(admin.workers.list().map((x) => x.email).sort()).toEqual(['mila@voorbeeld.nl', 'noor@voorbeeld.nl', null].sort());
    expect(admin.audit.entries().find((e) => e.action === 'user.remove')).toMatchObject({ subject: 'sven', details: { role: 'security', grants_revoked: 5 } });
    expect(admin.verify().problems).toEqual([]);
  });
});

describe('the rows rotation writes', () => {
  it('only to protected tables and columns', async () => {
    const { admin } = await setUp();
    const { RekeyStore } = await import('../../src/store/rekey.js');
    const rekey = new RekeyStore(admin.ctx.store);
    expect(() => rekey.rows('sqlite_master', 'name', ['sql'])).toThrow('not a protected column: sqlite_master.name,sql');
    expect(() => rekey.rows('workers', 'id', ['team', 'id; DROP TABLE workers'])).toThrow('not a protected column');
    expect(() => rekey.update('workers', 'id', 'W-x', { evil: null })).toThrow('not a protected column: workers.id,evil');
    expect(rekey.rows('cases', 'id', ['risk']).length).toBe(1);
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
