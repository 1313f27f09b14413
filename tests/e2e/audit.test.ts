// End-to-end behaviour of the audit log on the built CLI: `audit verify`,
// `audit log`, what the audit_log table holds in its raw columns, and
// tampering with the vault file directly (edit, delete, reorder, cut the tail).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError as fails, expectOk as ok } from '../helpers/expect.js';
import { openAsAttacker } from '../helpers/tamper.js';

interface AuditEntryJson {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  reason?: string | null;
}

interface AuditReportJson {
  ok: boolean;
  problems: string[];
  entries: number;
  head: { seq: number; hash: string } | null;
  first_broken?: number | null;
}

interface RawAuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  sealed: Buffer | null;
  prev: Buffer;
  hash: Buffer;
  mac: Buffer;
}

/** `audit verify` found a problem: exit 1, the report on stdout, nothing on stderr, no stack trace. */
function broken(r: RunResult): AuditReportJson {
  expect(r.exitCode, `exit code; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(1);
  expect(r.stderr).not.toMatch(/^\s+at /mu);
  expect(r.stderr).not.toMatch(/internal error/u);
  const report = json<AuditReportJson>(r);
  expect(report.ok).toBe(false);
  expect(report.problems.length).toBeGreaterThan(0);
  return report;
}

describe('the audit log', () => {
  let sb: Sandbox;
  let token = '';
  const cli = (args: string[]) => sb.run(args, { env: { SCHUILNAAM_SESSION: token } });

  const people = [
    { first: 'Hiske', last: 'Oosterwoldema', email: 'hiske.oosterwoldema@jeugdzorg-proef.nl', employeeNo: 'AUD-77123' },
    { first: 'Ruurd', last: 'Feddemastra', email: 'r.feddemastra@jeugdzorg-proef.nl', employeeNo: 'AUD-77124' },
  ];
  const REF = 'AUDQ-2026-5150';
  const REF2 = 'AUDQ-2026-5151';
  const ROTATE_REASON = 'schuilnaam gedeeld op forum xq9';
  const RESOLVE_REASON = 'aangifte politie zaak 2026-zk41';
  const workers: string[] = [];
  const pseudonyms: string[] = [];
  let entries: AuditEntryJson[] = [];
  let report: AuditReportJson;

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    token = ok(await sb.runP(['unlock'])).stdout.trim();
    for (const p of people) {
      const r = ok(await cli(['worker', 'add', '--first-name', p.first, '--last-name', p.last, '--email', p.email, '--employee-no', p.employeeNo, '--team', 'Team Zuid', '--json']));
      workers.push(json<{ id: string }>(r).id);
    }
    ok(await cli(['case', 'add', REF, '--team', 'Team Zuid', '--risk', 'high']));
    ok(await cli(['case', 'add', REF2, '--team', 'Team Zuid']));
    ok(await cli(['case', 'assign', REF, workers[0]!]));
    ok(await cli(['case', 'assign', REF, workers[1]!]));
    ok(await cli(['case', 'assign', REF2, workers[0]!]));
    for (const [ref, w] of [[REF, workers[0]!], [REF, workers[1]!], [REF2, workers[0]!]] as const) {
      pseudonyms.push(ok(await cli(['pseudonym', 'get', '--case', ref, '--worker', w])).stdout.trim());
    }
    const rot = json<{ rotated: { new: string }[] }>(ok(await cli(['rotate', '--pseudonym', pseudonyms[0]!, '--reason', ROTATE_REASON, '--yes', '--json'])));
    pseudonyms.push(rot.rotated[0]!.new);
    ok(await cli(['pseudonym', 'resolve', pseudonyms[0]!, '--reason', RESOLVE_REASON]));
  });
  afterAll(() => sb?.cleanup());

  it('audit verify --json on an untouched log: ok, no problems, entry count and chain head', async () => {
    const r = ok(await cli(['audit', 'verify', '--json']));
    report = json<AuditReportJson>(r);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.entries).toBeGreaterThanOrEqual(12);
    expect(report.head).not.toBeNull();
    expect(report.head!.seq).toBe(report.entries);
    expect(report.head!.hash).toMatch(/^[0-9a-f]{64}$/u);

    const human = ok(await cli(['audit', 'verify']));
    expect(human.stdout).toContain(`${report.head!.seq}:${report.head!.hash}`);
    // the head it printed proves the log is whole
    expect(json<AuditReportJson>(ok(await cli(['audit', 'verify', '--head', `${report.head!.seq}:${report.head!.hash}`, '--json']))).ok).toBe(true);
    // and the whole-vault check still passes
    const v = json<{ ok: boolean; problems: string[] }>(ok(await cli(['verify', '--json'])));
    expect(v).toMatchObject({ ok: true, problems: [] });
  });

  it('audit log --json lists every action with ids, and the reasons decrypted', async () => {
    entries = json<AuditEntryJson[]>(ok(await cli(['audit', 'log', '--json'])));
    expect(entries).toHaveLength(report.entries);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (const e of entries) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['seq', 'at', 'actor', 'action', 'subject', 'details']));
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      expect(e.actor).toBe('admin');
      expect(typeof e.details).toBe('object');
    }
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['worker.add', 'case.add', 'case.assign', 'pseudonym.issue', 'compromise.record', 'pseudonym.rotate', 'pseudonym.resolve']) {
      expect(actions, `action ${a}`).toContain(a);
    }
    expect(entries.filter((e) => e.action === 'worker.add').map((e) => e.subject).sort()).toEqual([...workers].sort());
    expect(entries.filter((e) => e.action === 'case.assign')).toHaveLength(3);
    expect(entries.filter((e) => e.action === 'pseudonym.issue')).toHaveLength(4); // three issued, one replacement
    const resolve = entries.find((e) => e.action === 'pseudonym.resolve')!;
    expect(resolve.reason).toBe(RESOLVE_REASON);
    expect(resolve.details).toMatchObject({ worker: workers[0] });
    expect(entries.find((e) => e.action === 'compromise.record')!.reason).toBe(ROTATE_REASON);
    expect(entries.find((e) => e.action === 'compromise.record')!.subject).toMatch(/^X-/u);

    // human form: a table, one row per entry, with the reason
    const human = ok(await cli(['audit', 'log']));
    expect(human.stdout).toContain('pseudonym.resolve');
    expect(human.stdout).toContain(RESOLVE_REASON);
  });

  it('the audit_log table holds no real name, e-mail, personnel number, case reference or pseudonym; reasons are sealed', () => {
    const db = new Database(sb.vault, { readonly: true, fileMustExist: true });
    let rows: RawAuditRow[];
    try {
      rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as RawAuditRow[];
    } finally {
      db.close();
    }
    expect(rows).toHaveLength(report.entries);
    const forbidden = [
      ...people.flatMap((p) => [p.first, p.last, p.email, p.employeeNo, `${p.first} ${p.last}`]),
      REF,
      REF2,
      ...pseudonyms,
    ].map((s) => s.toLowerCase());
    for (const r of rows) {
      const text = [r.at, r.actor, r.action, r.subject, r.details].join('\u0000').toLowerCase();
      for (const f of forbidden) expect(text.includes(f), `"${f}" in audit entry ${r.seq}`).toBe(false);
      if (r.sealed) {
        const sealed = Buffer.from(r.sealed).toString('latin1').toLowerCase();
        for (const f of [...forbidden, ROTATE_REASON.toLowerCase(), RESOLVE_REASON.toLowerCase()]) {
          expect(sealed.includes(Buffer.from(f, 'utf8').toString('latin1')), `"${f}" in plaintext in the sealed column of entry ${r.seq}`).toBe(false);
        }
      }
      for (const f of [ROTATE_REASON, RESOLVE_REASON]) expect(text.includes(f.toLowerCase())).toBe(false);
    }
    expect(rows.filter((r) => r.sealed !== null).length).toBeGreaterThanOrEqual(2);
  });

  it('audit log --since filters by time', async () => {
    const middle = entries[Math.floor(entries.length / 2)]!;
    const since = json<AuditEntryJson[]>(ok(await cli(['audit', 'log', '--since', middle.at, '--json'])));
    const expected = entries.filter((e) => e.at >= middle.at).map((e) => e.seq);
    expect(since.map((e) => e.seq)).toEqual(expected);
    expect(since.length).toBeLessThan(entries.length);
    expect(since.map((e) => e.seq)).toContain(middle.seq);
    const past = json<AuditEntryJson[]>(ok(await cli(['audit', 'log', '--since', '2000-01-01', '--json'])));
    expect(past).toHaveLength(entries.length);
    const future = json<AuditEntryJson[]>(ok(await cli(['audit', 'log', '--since', '2999-01-01', '--json'])));
    expect(future).toEqual([]);
    fails(await cli(['audit', 'log', '--since', 'yesterday-ish']), 2, /--since/u);
  });

  describe('tampering with a copy of the vault file', () => {
    let n = 0;
    /** A fresh copy of the vault (no CLI process is running), changed with SQL. */
    function tampered(change: (db: Database.Database) => void): string {
      const copy = path.join(sb.dir, `tampered-${++n}.db`);
      fs.copyFileSync(sb.vault, copy);
      for (const ext of ['-wal', '-shm']) if (fs.existsSync(sb.vault + ext)) fs.copyFileSync(sb.vault + ext, copy + ext);
      const db = openAsAttacker(copy);
      try {
        change(db);
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      return copy;
    }
    const verifyAt = (vault: string, extra: string[] = []) => cli(['audit', 'verify', '--vault', vault, ...extra]);
    const seqOf = (action: string) => entries.find((e) => e.action === action)!.seq;

    it('an edited entry: exit 1 naming that entry', async () => {
      const seq = seqOf('case.assign');
      const copy = tampered((db) => {
        db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(JSON.stringify({ worker: 'W-aaaaaaaa' }), seq);
      });
      const plain = await verifyAt(copy);
      expect(plain.exitCode).toBe(1);
      expect(plain.stdout).toMatch(new RegExp(`\\b${seq}\\b`, 'u'));
      expect(plain.stderr).not.toMatch(/^\s+at /mu);
      const r = broken(await verifyAt(copy, ['--json']));
      expect(r.problems[0]).toMatch(new RegExp(`\\bentry ${seq}\\b`, 'u'));
      expect(r.first_broken).toBe(seq);
      // the untouched original still verifies
      ok(await cli(['audit', 'verify']));
    });

    it('an edited actor or timestamp is caught too', async () => {
      const seq = seqOf('pseudonym.resolve');
      const copy = tampered((db) => {
        db.prepare("UPDATE audit_log SET actor = 'someone-else', at = '2020-01-01T00:00:00.000Z' WHERE seq = ?").run(seq);
      });
      const r = broken(await verifyAt(copy, ['--json']));
      expect(r.first_broken).toBe(seq);
    });

    it('an edited actor alone (time, action and chain fields untouched) is caught', async () => {
      const seq = seqOf('pseudonym.resolve');
      const copy = tampered((db) => {
        expect(db.prepare("UPDATE audit_log SET actor = 'beheer-2' WHERE seq = ?").run(seq).changes).toBe(1);
      });
      const r = broken(await verifyAt(copy, ['--json']));
      expect(r.first_broken).toBe(seq);
      expect(r.problems).toEqual([`audit entry ${seq}: was altered after it was written`]);
    });

    it('a MAC replaced while the hash chain stays intact is caught', async () => {
      const seq = seqOf('case.add');
      const copy = tampered((db) => {
        // Another key's MAC over the entry's own hash: the chain still links up.
        const mac = Buffer.alloc(32, 0x5a);
        expect(db.prepare('UPDATE audit_log SET mac = ? WHERE seq = ?').run(mac, seq).changes).toBe(1);
      });
      const r = broken(await verifyAt(copy, ['--json']));
      expect(r.first_broken).toBe(seq);
      expect(r.problems).toEqual([`audit entry ${seq}: has an invalid MAC (not written by this vault)`]);
    });

    it('a deleted middle entry: exit 1 naming the missing seq', async () => {
      const seq = Math.floor(report.entries / 2);
      const copy = tampered((db) => {
        db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
      });
      const r = broken(await verifyAt(copy, ['--json']));
      expect(r.problems[0]).toMatch(new RegExp(`\\b${seq}\\b`, 'u'));
      expect(r.problems[0]).toMatch(/missing|deleted/u);
      expect(r.first_broken).toBe(seq);
    });

    it('two entries swapped (reordered): exit 1', async () => {
      const a = 3;
      const b = 5;
      const copy = tampered((db) => {
        const get = db.prepare('SELECT * FROM audit_log WHERE seq = ?');
        const ra = get.get(a) as RawAuditRow;
        const rb = get.get(b) as RawAuditRow;
        const put = db.prepare('UPDATE audit_log SET at = ?, actor = ?, action = ?, subject = ?, details = ?, sealed = ?, prev = ?, hash = ?, mac = ? WHERE seq = ?');
        db.transaction(() => {
          put.run(rb.at, rb.actor, rb.action, rb.subject, rb.details, rb.sealed, rb.prev, rb.hash, rb.mac, a);
          put.run(ra.at, ra.actor, ra.action, ra.subject, ra.details, ra.sealed, ra.prev, ra.hash, ra.mac, b);
        })();
      });
      const r = broken(await verifyAt(copy, ['--json']));
      expect(r.first_broken).toBe(a);
      expect(r.problems[0]).toMatch(new RegExp(`\\bentry ${a}\\b`, 'u'));
    });

    it('only the contents swapped, chain fields left in place: exit 1', async () => {
      const copy = tampered((db) => {
        const get = db.prepare('SELECT * FROM audit_log WHERE seq = ?');
        const ra = get.get(2) as RawAuditRow;
        const rb = get.get(3) as RawAuditRow;
        const put = db.prepare('UPDATE audit_log SET at = ?, actor = ?, action = ?, subject = ?, details = ?, sealed = ? WHERE seq = ?');
        db.transaction(() => {
          put.run(rb.at, rb.actor, rb.action, rb.subject, rb.details, rb.sealed, 2);
          put.run(ra.at, ra.actor, ra.action, ra.subject, ra.details, ra.sealed, 3);
        })();
      });
      expect(broken(await verifyAt(copy, ['--json'])).first_broken).toBe(2);
    });

    it('the last entry deleted: caught with the chain head kept before', async () => {
      const head = report.head!;
      const copy = tampered((db) => {
        db.prepare('DELETE FROM audit_log WHERE seq = ?').run(head.seq);
      });
      // Without a kept head the shortened chain looks whole to `audit verify`:
      // the chain alone cannot tell a cut end (that is what the kept head is for) ...
      const plain = json<AuditReportJson>(ok(await verifyAt(copy, ['--json'])));
      expect(plain).toMatchObject({ ok: true, problems: [], entries: head.seq - 1, first_broken: null });
      expect(plain.head!.seq).toBe(head.seq - 1);
      // ... but the vault's integrity seal recorded the end of the log, so `verify` does.
      const whole = await cli(['verify', '--vault', copy, '--json']);
      expect(whole.exitCode, whole.stderr).toBe(1);
      expect(json<{ ok: boolean; problems: string[] }>(whole).problems).toContain(
        `the end of the audit log changed outside schuilnaam (sealed at entry ${head.seq}, now ${head.seq - 1})`,
      );
      const withHead = await verifyAt(copy, ['--head', `${head.seq}:${head.hash}`]);
      expect(withHead.exitCode).toBe(1);
      expect(withHead.stdout).toMatch(/deleted from the end/u);
      const r = broken(await verifyAt(copy, ['--head', `${head.seq}:${head.hash}`, '--json']));
      expect(r.problems.some((p) => /deleted from the end/u.test(p))).toBe(true);
    });

    it('a head that does not match the log: exit 1; a malformed --head: exit 2', async () => {
      const head = report.head!;
      const wrong = (head.hash[0] === '0' ? '1' : '0') + head.hash.slice(1);
      const r = broken(await cli(['audit', 'verify', '--head', `${head.seq}:${wrong}`, '--json']));
      expect(r.problems.join('\n')).toMatch(new RegExp(`\\b${head.seq}\\b`, 'u'));
      for (const bad of ['nonsense', `${head.seq}`, `${head.seq}:abc`, `x:${head.hash}`, `${head.seq}:${head.hash}zz`]) {
        fails(await cli(['audit', 'verify', '--head', bad]), 2, /--head/u);
      }
    });
  });
});
