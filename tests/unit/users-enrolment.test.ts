// Users and roles, in-process (issue #9): an administrator adds a user, the
// user joins with the one-time code and a passphrase of her own, and what
// her keys open is what her role allows, whatever the code does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openField } from '../../src/vault/sealing.js';
import { addUser, joinUser } from '../../src/vault/enrolment.js';
import { VaultFile, type Vault } from '../../src/vault/vault.js';
import { AccessError } from '../../src/errors.js';
import { makeBench, type Bench } from '../helpers/inproc.js';
import { openAsAttacker } from '../helpers/tamper.js';
import { chainHash, chainMac } from '../../src/crypto/chain.js';
import { signDetached } from '../../src/crypto/user-keys.js';
import { auditSignedBytes, canonical } from '../../src/vault/audit.js';

const NOOR_PASS = new TextEncoder().encode('zeven zilveren zeilboten');

let bench: Bench;
let file: string;
let admin: Vault;
let workerIds: string[] = [];

beforeAll(async () => {
  bench = makeBench('schuilnaam-users-');
  file = await bench.create();
  admin = await bench.unlock(file);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < 50; i++) {
    const tag = letters[i % 26]! + letters[Math.floor(i / 26)]!;
    workerIds.push(admin.workers.add({ first_name: `Fenna${tag}`, last_name: `Kooistra${tag}`, email: `medewerker${i}@voorbeeld.nl`, team: 'Team Noord' }));
  }
});
afterAll(() => bench?.cleanup());

async function join(name: string, code: string, pass = NOOR_PASS) {
  const vf = await VaultFile.open(file, bench.deps);
  try {
    return joinUser(vf.store, vf.vaultId, name, code, pass, bench.deps);
  } finally {
    vf.close();
  }
}

describe('user add and user join', () => {
  it('a caseworker joins with the code and her own passphrase; her keyslot opens only the caseworker keys', async () => {
    const added = addUser(admin.ctx, admin.audit, { name: 'noor', role: 'caseworker', worker: workerIds[0] });
    expect(added).toMatchObject({ user: 'noor', role: 'caseworker', worker: workerIds[0] });
    expect(added.enrolment_code).toMatch(/^([a-km-z2-9]{4}-){7}[a-km-z2-9]{4}$/u);
    expect(await join('noor', added.enrolment_code)).toEqual({ user: 'noor', role: 'caseworker' });
    const noor = await bench.unlock(file, 'noor', NOOR_PASS);
    expect(noor.role).toBe('caseworker');
    expect(noor.ctx.keyring.compartments().sort()).toEqual(['audit', 'casefacing', 'scan']);
  });

  it('with everything her keyslot unwraps, not one identity cell of 50 workers opens', async () => {
    const noor = await bench.unlock(file, 'noor', NOOR_PASS);
    expect(noor.ctx.keyring.get('identity')).toBeUndefined();
    let opened = 0;
    for (const id of workerIds) {
      const row = noor.ctx.store.worker(id)!;
      for (const key of noor.ctx.keyring.compartments().map((c) => noor.ctx.keyring.get(c)!)) {
        try {
          openField(key, new Uint8Array(row.data_key!), { table: 'workers', column: 'data_key', rowId: id });
          opened++;
        } catch {
          /* expected: no key of hers opens a data key */
        }
      }
    }
    expect(opened).toBe(0);
  });

  it('the code works once', async () => {
    const added = addUser(admin.ctx, admin.audit, { name: 'sven', role: 'security' });
    await join('sven', added.enrolment_code, new TextEncoder().encode('acht achtzame adelaars'));
    await expect(join('sven', added.enrolment_code)).rejects.toThrow('no enrolment is waiting for user "sven"');
  });

  it('a worker record belongs to one user: a second link is refused, also while the first one is pending', async () => {
    // noor (first test) is linked to workerIds[0].
    expect(() => addUser(admin.ctx, admin.audit, { name: 'noor2', role: 'caseworker', worker: workerIds[0] })).toThrow(`worker ${workerIds[0]} is already linked to user "noor"`);
    addUser(admin.ctx, admin.audit, { name: 'wachtend', role: 'caseworker', worker: workerIds[1] });
    expect(() => addUser(admin.ctx, admin.audit, { name: 'tweede', role: 'caseworker', worker: workerIds[1] })).toThrow(`worker ${workerIds[1]} is already linked to user "wachtend"`);
    // Adding the pending user again (a new code) keeps her own link.
    expect(addUser(admin.ctx, admin.audit, { name: 'wachtend', role: 'caseworker', worker: workerIds[1] }).worker).toBe(workerIds[1]);
  });

  it('a wrong code, or the code of another user, is refused without using the enrolment', async () => {
    const a = addUser(admin.ctx, admin.audit, { name: 'ilse', role: 'caseworker' });
    const b = addUser(admin.ctx, admin.audit, { name: 'joris', role: 'caseworker' });
    await expect(join('ilse', b.enrolment_code)).rejects.toThrow('wrong enrolment code for user "ilse"');
    await expect(join('ilse', 'nope')).rejects.toThrow('that is not an enrolment code');
    expect(await join('ilse', a.enrolment_code)).toEqual({ user: 'ilse', role: 'caseworker' });
  });

  it('the audit log names who added and who joined, signed by each, and verifies', async () => {
    const entries = admin.audit.entries().filter((e) => e.action.startsWith('user.'));
    expect(entries.slice(0, 2).map((e) => [e.action, e.actor, e.subject])).toEqual([
      ['user.add', 'admin', 'noor'],
      ['user.join', 'noor', 'noor'],
    ]);
    expect(admin.audit.verify()).toMatchObject({ ok: true, problems: [] });
    const noor = await bench.unlock(file, 'noor', NOOR_PASS);
    expect(noor.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('a caseworker cannot add users: she holds no organisation key', async () => {
    const noor = await bench.unlock(file, 'noor', NOOR_PASS);
    expect(() => addUser(noor.ctx, noor.audit, { name: 'kees', role: 'admin' })).toThrow(AccessError);
    expect(() => addUser(noor.ctx, noor.audit, { name: 'kees', role: 'admin' })).toThrow('the caseworker role may not add, list or remove users');
  });

  it('an expired code is refused', async () => {
    const added = addUser(admin.ctx, admin.audit, { name: 'late', role: 'caseworker' });
    const vf = await VaultFile.open(file, bench.deps);
    try {
      const later = { ...bench.deps, clock: () => new Date(Date.parse(added.expires) + 1) };
      expect(() => joinUser(vf.store, vf.vaultId, 'late', added.enrolment_code, NOOR_PASS, later)).toThrow(`the enrolment code of user "late" expired at ${added.expires}`);
    } finally {
      vf.close();
    }
  });

  it('an entry rewritten by someone holding the audit key (a caseworker) fails its signature: the actor edited, or signed by another user', async () => {
    const noor = await bench.unlock(file, 'noor', NOOR_PASS);
    // Copies: closing the vault wipes its keys.
    const key = new Uint8Array(noor.ctx.key('audit'));
    const noorSeed = new Uint8Array(noor.ctx.signSeed!);
    const vaultId = noor.ctx.vaultId;
    const rows = [...noor.ctx.cases.iterateAudit()];
    const target = rows.find((r) => r.action === 'user.add' && r.subject === 'sven')!;
    bench.closeAll();
    // Rewrite the chain from the target on, with valid hashes and MACs: all a MAC key allows.
    const rewrite = (edit: (r: (typeof rows)[number]) => Partial<(typeof rows)[number]>) => {
      const db = openAsAttacker(file);
      let prev = new Uint8Array(rows[target.seq - 2]!.hash);
      for (const r of rows.slice(target.seq - 1)) {
        const next = { ...r, ...(r.seq === target.seq ? edit(r) : {}) };
        const hash = chainHash(prev, canonical(next));
        db.prepare('UPDATE audit_log SET actor = ?, prev = ?, hash = ?, mac = ?, sig = ? WHERE seq = ?').run(next.actor, prev, hash, chainMac(key, hash), next.sig, r.seq);
        prev = hash;
      }
      db.close();
    };
    // The actor edited: the administrator's entry now says noor did it.
    rewrite(() => ({ actor: 'noor' }));
    let v = await bench.unlock(file);
    let report = v.audit.verify();
    expect(report.ok).toBe(false);
    expect(report.first_broken).toBe(target.seq);
    expect(report.problems[0]).toBe(`audit entry ${target.seq}: is not signed by its actor "noor" (written or altered by someone else)`);
    bench.closeAll();
    // Signed by another user's key: noor signs the administrator's entry with her own key.
    rewrite((r) => ({ actor: 'admin', sig: signDetached(noorSeed, auditSignedBytes(vaultId, r.seq, chainHash(new Uint8Array(r.prev), canonical(r)))) }));
    v = await bench.unlock(file);
    report = v.audit.verify();
    expect(report.problems[0]).toBe(`audit entry ${target.seq}: is not signed by its actor "admin" (written or altered by someone else)`);
    bench.closeAll();
    // The signature taken away.
    rewrite(() => ({ sig: null }));
    v = await bench.unlock(file);
    expect(v.audit.verify().problems[0]).toBe(`audit entry ${target.seq}: is not signed (every entry from 1 on is signed by its actor)`);
  });
});
