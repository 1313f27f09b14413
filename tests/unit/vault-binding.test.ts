// What binds the vault's records together, tested in-process against src/ so
// that each check has a test that fails when it is taken out (a hand-made
// mutation audit found these unguarded): the audit log's MAC and what an
// entry's hash covers, a session's expiry, a keyslot's role, and what
// `verify` compares. Invented people only.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomId } from '../../src/core/ids.js';
import { chainMac } from '../../src/crypto/chain.js';
import { systemRandom } from '../../src/crypto/random.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { AccessError } from '../../src/errors.js';
import { addUser, joinUser } from '../../src/vault/enrolment.js';
import { VaultFile } from '../../src/vault/vault.js';
import { ROLE_COMPARTMENTS } from '../../src/vault/roles.js';
import { openSession } from '../../src/vault/session.js';
import { makeBench, readRows, type Bench } from '../helpers/inproc.js';
import { openAsAttacker } from '../helpers/tamper.js';

let bench: Bench;
beforeAll(async () => {
  await loadSodium();
});
afterEach(() => {
  vi.restoreAllMocks();
  bench?.cleanup();
});

const WIETSKE = { first_name: 'Wietske', prefix: 'van der', last_name: 'Hoekstraat', initials: 'W.J.', email: 'w.vdhoekstraat@jeugdhulp-proef.nl', phone: '06-48127736', employee_no: 'VB-40417', team: 'Team Oost' };
const BAREND = { first_name: 'Barend', last_name: 'Kloosterhuis', email: 'b.kloosterhuis@jeugdhulp-proef.nl', employee_no: 'VB-40418', team: 'Team Oost' };

/** Changes the file as an attacker without the key would (no stored digest moves). */
function tamper(file: string, change: (db: ReturnType<typeof openAsAttacker>) => void): void {
  const db = openAsAttacker(file);
  try {
    change(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

describe('the audit log', () => {
  async function vaultWithEntries(): Promise<{ file: string; seq: number }> {
    bench = makeBench('schuilnaam-bind-');
    const file = await bench.create();
    const v = await bench.unlock(file);
    v.workers.add(WIETSKE);
    const id = v.workers.add(BAREND);
    v.workers.update(id, { ...BAREND, phone: '06-48127737' });
    expect(v.audit.verify()).toMatchObject({ ok: true, problems: [] });
    const seq = v.audit.entries().find((e) => e.action === 'worker.update')!.seq;
    bench.closeAll();
    return { file, seq };
  }

  it('an entry whose hash chain is intact but whose MAC is not the vault key\'s fails, naming the entry', async () => {
    const { file, seq } = await vaultWithEntries();
    // A MAC made with some other key over the entry's true hash: only checking the MAC can tell.
    tamper(file, (db) => {
      const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: Buffer };
      db.prepare('UPDATE audit_log SET mac = ? WHERE seq = ?').run(Buffer.from(chainMac(systemRandom(32), new Uint8Array(row.hash))), seq);
    });
    const report = (await bench.unlock(file)).audit.verify();
    expect(report.ok).toBe(false);
    expect(report.first_broken).toBe(seq);
    expect(report.problems).toEqual([`audit entry ${seq}: has an invalid MAC (not written by this vault)`]);
  });

  it('an entry whose actor alone was changed fails: the actor is part of what the hash covers', async () => {
    const { file, seq } = await vaultWithEntries();
    const before = readRows<{ at: string; actor: string }>(file, 'SELECT at, actor FROM audit_log WHERE seq = ?', seq)[0]!;
    expect(before.actor).toBe('admin');
    tamper(file, (db) => {
      db.prepare("UPDATE audit_log SET actor = 'beheerder2' WHERE seq = ?").run(seq);
    });
    const after = readRows<{ at: string; actor: string }>(file, 'SELECT at, actor FROM audit_log WHERE seq = ?', seq)[0]!;
    expect(after).toEqual({ at: before.at, actor: 'beheerder2' });
    const report = (await bench.unlock(file)).audit.verify();
    expect(report.first_broken).toBe(seq);
    expect(report.problems).toEqual([`audit entry ${seq}: was altered after it was written`]);
  });
});

describe('a session', () => {
  const NOW = Date.parse('2026-03-10T09:00:00Z');

  async function sessionAt(createdAt: number, ttlMs: number): Promise<{ runtime: string; token: string; vaultId: string }> {
    bench = makeBench('schuilnaam-bind-', () => new Date(createdAt));
    const file = await bench.create();
    const v = await bench.unlock(file);
    const runtime = path.join(bench.dir, 'run');
    const { token } = v.createSession(runtime, ttlMs);
    return { runtime, token, vaultId: v.ctx.vaultId };
  }

  function sessionFile(runtime: string): string {
    const [name] = fs.readdirSync(runtime).filter((n) => n.endsWith('.session'));
    return path.join(runtime, name!);
  }

  function accessError(fn: () => unknown): AccessError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(AccessError);
      expect((e as AccessError).exitCode).toBe(3);
      return e as AccessError;
    }
    throw new Error('expected an AccessError');
  }

  it('opens until its expiry and not from that moment on, by the injected clock', async () => {
    const { runtime, token, vaultId } = await sessionAt(NOW, 15 * 60_000);
    expect(openSession(runtime, token, vaultId, new Date(NOW + 15 * 60_000 - 1)).user).toBe('admin');
    const e = accessError(() => openSession(runtime, token, vaultId, new Date(NOW + 15 * 60_000)));
    expect(e.message).toBe('the session has expired');
    // An expired session's file is removed: its sealed keys are not left lying around.
    expect(fs.readdirSync(runtime).filter((n) => n.endsWith('.session'))).toEqual([]);
  });

  it('with its expiry moved later in the file, it no longer opens: the expiry is bound to the sealed keys', async () => {
    const { runtime, token, vaultId } = await sessionAt(NOW, 60_000);
    const file = sessionFile(runtime);
    const f = JSON.parse(fs.readFileSync(file, 'utf8')) as { expires: string };
    expect(f.expires).toBe(new Date(NOW + 60_000).toISOString());
    fs.writeFileSync(file, JSON.stringify({ ...f, expires: new Date(NOW + 12 * 3_600_000).toISOString() }));
    // Still before the original expiry: only the binding can refuse it.
    const e = accessError(() => openSession(runtime, token, vaultId, new Date(NOW + 30_000)));
    expect(e.message).toBe('the session token does not match its session file');
  });
});

describe('a keyslot', () => {
  const MIRA_PASS = new TextEncoder().encode('mira heeft een eigen zin');

  /** A vault with a second user, "mira", a caseworker who joined with her own passphrase. */
  async function vaultWithCaseworker(): Promise<string> {
    bench = makeBench('schuilnaam-bind-');
    const file = await bench.create();
    const v = await bench.unlock(file);
    const { enrolment_code } = addUser(v.ctx, v.audit, { name: 'mira', role: 'caseworker' });
    bench.closeAll();
    const vf = await VaultFile.open(file, bench.deps);
    try {
      joinUser(vf.store, vf.vaultId, 'mira', enrolment_code, MIRA_PASS, bench.deps);
    } finally {
      vf.close();
    }
    return file;
  }

  it('opens with the role it was sealed with', async () => {
    const file = await vaultWithCaseworker();
    const v = await bench.unlock(file, 'mira', MIRA_PASS);
    expect(v.role).toBe('caseworker');
    expect(v.ctx.keyring.has('identity')).toBe(false);
  });

  it.each(['admin', 'security'])('relabelled as %s in the file, it no longer opens: the role is bound to the sealed keys', async (role) => {
    const file = await vaultWithCaseworker();
    tamper(file, (db) => {
      expect(db.prepare("UPDATE keyslots SET role = ? WHERE user = 'mira'").run(role).changes).toBe(1);
    });
    await expect(bench.unlock(file, 'mira', MIRA_PASS)).rejects.toThrow(AccessError);
    await expect(bench.unlock(file, 'mira', MIRA_PASS)).rejects.toThrow(/wrong passphrase/u);
    // The administrator's own keyslot is untouched and still opens.
    expect((await bench.unlock(file)).role).toBe('admin');
  });
});

describe('verify', () => {
  /**
   * A vault with two workers; `change` runs with the key (through the vault's
   * own connection, so the integrity seal follows it), so that only the check
   * under test can see it.
   */
  async function verifyAfter(change: (v: Awaited<ReturnType<Bench['unlock']>>, ids: string[]) => void): Promise<string[]> {
    bench = makeBench('schuilnaam-bind-');
    const file = await bench.create();
    const v = await bench.unlock(file);
    const ids = [v.workers.add(WIETSKE), v.workers.add(BAREND)];
    expect(v.verify()).toMatchObject({ ok: true, problems: [] });
    v.ctx.store.transaction(() => change(v, ids));
    const report = v.verify();
    expect(report.ok).toBe(false);
    return report.problems;
  }

  it('reports name guards that no longer match the workers', async () => {
    const problems = await verifyAfter((v) => {
      expect(v.ctx.store.run('DELETE FROM name_guards WHERE digest = (SELECT min(digest) FROM name_guards)').changes).toBe(1);
    });
    expect(problems).toEqual(['name guards do not match the workers: pseudonyms may not be kept unlike every real name']);
  });

  it('reports a name guard count that is off by one', async () => {
    const problems = await verifyAfter((v) => {
      expect(v.ctx.store.run('UPDATE name_guards SET refs = refs + 1 WHERE digest = (SELECT min(digest) FROM name_guards)').changes).toBe(1);
    });
    expect(problems).toEqual(['name guards do not match the workers: pseudonyms may not be kept unlike every real name']);
  });

  it('reports an e-mail blind index that does not match the record', async () => {
    let target = '';
    const problems = await verifyAfter((v, ids) => {
      target = ids[1]!;
      v.ctx.store.run('UPDATE workers SET bi_email = ? WHERE id = ?', Buffer.from(systemRandom(32)), target);
    });
    expect(problems).toEqual([`worker ${target}: e-mail blind index does not match the record`]);
  });

  it('reports a personnel-number blind index that does not match the record', async () => {
    let target = '';
    const problems = await verifyAfter((v, ids) => {
      target = ids[0]!;
      v.ctx.store.run('UPDATE workers SET bi_employee_no = ? WHERE id = ?', Buffer.from(systemRandom(32)), target);
    });
    expect(problems).toEqual([`worker ${target}: personnel-number blind index does not match the record`]);
  });

  it('reports any identity column left on an offboarded worker, naming the columns', async () => {
    for (const column of ['phone', 'prefix', 'bi_employee_no', 'data_key'] as const) {
      let target = '';
      const problems = await verifyAfter((v, ids) => {
        target = ids[0]!;
        const stale = v.ctx.store.get<Record<string, Buffer>>(`SELECT ${column} AS c FROM workers WHERE id = ?`, target)!.c;
        v.ctx.store.shredWorker(target, v.ctx.now());
        v.ctx.store.run(`UPDATE workers SET ${column} = ? WHERE id = ?`, stale, target);
      });
      expect(problems, column).toContain(`worker ${target}: offboarded, but identity data is still present (${column})`);
      bench.cleanup();
    }
  });

  it("reports what SQLite's own integrity check finds", async () => {
    bench = makeBench('schuilnaam-bind-');
    const v = await bench.unlock(await bench.create());
    v.workers.add(BAREND);
    // Damage SQLite finds in its B-trees cannot be made with SQL, and raw page
    // edits make other checks fail first; so the store reports it here.
    const check = vi.spyOn(v.ctx.store, 'integrityCheck').mockReturnValue(['row 2 missing from index sqlite_autoindex_workers_1', 'wrong # of entries in index sqlite_autoindex_workers_2']);
    const report = v.verify();
    expect(check).toHaveBeenCalledTimes(1);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['sqlite: row 2 missing from index sqlite_autoindex_workers_1', 'sqlite: wrong # of entries in index sqlite_autoindex_workers_2']);
  });
});

describe('offboarding', () => {
  const COLUMNS = ['data_key', 'first_name', 'prefix', 'last_name', 'initials', 'email', 'phone', 'employee_no', 'bi_email', 'bi_employee_no'] as const;
  type Raw = Record<(typeof COLUMNS)[number] | 'team' | 'status', Buffer | string | null>;

  it('leaves every identity column and both blind indexes NULL, and the old ciphertext nowhere in the file', async () => {
    bench = makeBench('schuilnaam-bind-');
    const file = await bench.create();
    const v = await bench.unlock(file);
    const id = v.workers.add(WIETSKE);
    const keep = v.workers.add(BAREND);
    const select = `SELECT status, team, ${COLUMNS.join(', ')} FROM workers WHERE id = ?`;
    const before = readRows<Raw>(file, select, id)[0]!;
    for (const c of COLUMNS) expect(before[c], `${c} before offboarding`).toBeInstanceOf(Buffer);

    v.workers.offboard(id);
    // While the vault is still open (closing it would checkpoint the journal
    // anyway): the old bytes are gone from the file and from its journal.
    const bytes = Buffer.concat(['', '-wal'].filter((x) => fs.existsSync(file + x)).map((x) => fs.readFileSync(file + x)));
    for (const c of COLUMNS) {
      // A 16-byte stretch from the middle of each old value: it cannot be there by chance.
      const old = before[c] as Buffer;
      const from = Math.max(0, (old.length >> 1) - 8);
      const probe = old.subarray(from, from + 16);
      expect(probe.length, c).toBe(Math.min(16, old.length));
      expect(bytes.includes(probe), `old ${c} bytes still in the vault file or its journal`).toBe(false);
    }
    bench.closeAll();

    const after = readRows<Raw>(file, select, id)[0]!;
    expect(after.status).toBe('offboarded');
    for (const c of COLUMNS) expect(after[c], `${c} after offboarding`).toBeNull();
    // The team is sealed under the case-facing key, not the worker's identity: it stays for the record.
    expect(after.team).toBeInstanceOf(Buffer);
    // The other worker is untouched.
    const other = readRows<Raw>(file, select, keep)[0]!;
    for (const c of COLUMNS) expect(other[c], `${c} of the other worker`).toBeInstanceOf(Buffer);

  });
});
