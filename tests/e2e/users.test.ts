// Users and roles on the built CLI (issue #9): enrolment with a one-time
// code, whoami, user list, and the rights table, one test per cell: a
// refused action exits 3 and names the roles that may do it. Invented
// people only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';
import { openAsAttacker } from '../helpers/tamper.js';

const ok = expectOk;
const refused = (r: RunResult, mentions: RegExp) => expectCleanError(r, 3, mentions);

type Role = 'admin' | 'security' | 'caseworker';
const USERS: Record<Exclude<Role, 'admin'>, { name: string; pass: string }> = {
  security: { name: 'sven', pass: 'sven zijn eigen lange wachtzin' },
  caseworker: { name: 'noor', pass: 'noor kiest haar eigen wachtzin' },
};

let sb: Sandbox;
const ids = { noor: '', teun: '', spare: [] as string[] };
const CASE_OWN = 'JB-2026/0042';
const CASE_OTHER = 'JB-2026/0043';

function secretFile(name: string, text: string): string {
  const file = path.join(sb.dir, name);
  fs.writeFileSync(file, `${text}\n`, { mode: 0o600 });
  return file;
}

/** Runs as one role: the administrator with the sandbox passphrase, the others with their own. */
function as(role: Role, args: string[], opts: { input?: string } = {}): Promise<RunResult> {
  if (role === 'admin') return sb.runP(args, opts);
  const u = USERS[role];
  return sb.run([...args, '--passphrase-file', path.join(sb.dir, `${u.name}.pass`)], { ...opts, env: { SCHUILNAAM_USER: u.name } });
}

async function enrol(name: string, role: string, extra: string[] = []): Promise<{ user: string; role: string; enrolment_code: string; expires: string }> {
  return json(ok(await sb.runP(['user', 'add', name, '--role', role, ...extra, '--json'])));
}

/** Joins with the code; the passphrase goes to <file>.pass (by default the user's own, which `as` reads). */
async function join(name: string, code: string, pass: string, file = name): Promise<RunResult> {
  return sb.run(['user', 'join', name, '--code-file', secretFile(`${file}.code`, code), '--new-passphrase-file', secretFile(`${file}.pass`, pass)]);
}

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  const add = async (first: string, last: string) => ok(await sb.runP(['worker', 'add', '--first-name', first, '--last-name', last, '--team', 'Team Noord'])).stdout.trim();
  ids.noor = await add('Noor', 'Hazeveld');
  ids.teun = await add('Teun', 'Brakel');
  for (const [first, last] of [['Ilse', 'Vermaat'], ['Joris', 'Kleinjan'], ['Fenna', 'Oudshoorn']] as const) ids.spare.push(await add(first, last));
  ok(await sb.runP(['case', 'add', CASE_OWN, '--team', 'Team Noord']));
  ok(await sb.runP(['case', 'add', CASE_OTHER, '--team', 'Team Noord']));
  ok(await sb.runP(['case', 'assign', CASE_OWN, ids.noor]));
  ok(await sb.runP(['case', 'assign', CASE_OTHER, ids.teun]));
  const sven = await enrol('sven', 'security');
  ok(await join('sven', sven.enrolment_code, USERS.security.pass));
  const noor = await enrol('noor', 'caseworker', ['--worker', ids.noor]);
  ok(await join('noor', noor.enrolment_code, USERS.caseworker.pass));
}, 120_000);

afterAll(() => sb.cleanup());

describe('enrolment', () => {
  it('user add prints a code valid for 72 hours, once; the administrator never sets the new passphrase', async () => {
    const t0 = Date.now();
    const added = await enrol('ilse', 'caseworker', ['--worker', ids.spare[0]!]);
    expect(Object.keys(added).sort()).toEqual(['enrolment_code', 'expires', 'role', 'user']);
    expect(added).toMatchObject({ user: 'ilse', role: 'caseworker' });
    expect(added.enrolment_code).toMatch(/^(?:[a-z2-9]{4}-){7}[a-z2-9]{4}$/u);
    const expires = Date.parse(added.expires);
    expect(expires).toBeGreaterThan(t0 + 72 * 3_600_000 - 60_000);
    expect(expires).toBeLessThan(Date.now() + 72 * 3_600_000 + 60_000);
    ok(await join('ilse', added.enrolment_code, 'ilse haar geheime wachtzin'));
    // Used once: the same code again is refused, and nothing changes.
    const again = refused(await join('ilse', added.enrolment_code, 'een andere wachtzin hier', 'ilse-again'), /no enrolment is waiting for user "ilse"/u);
    expect(again.stderr).toContain('user add ilse');
    // Her passphrase opens her keyslot; the administrator's does not.
    const me = json<{ user: string; role: string; worker: string }>(ok(await sb.run(['whoami', '--json', '--passphrase-file', path.join(sb.dir, 'ilse.pass')], { env: { SCHUILNAAM_USER: 'ilse' } })));
    expect(me).toMatchObject({ user: 'ilse', role: 'caseworker', worker: ids.spare[0] });
    refused(await sb.runP(['whoami'], { env: { SCHUILNAAM_USER: 'ilse' } }), /passphrase/u);
  });

  it('a wrong code, a code for another name and a mistyped code are refused, and the enrolment stays usable', async () => {
    const joris = await enrol('joris', 'security');
    const fenna = await enrol('fenna', 'caseworker');
    refused(await join('joris', fenna.enrolment_code, 'joris kiest een wachtzin'), /wrong enrolment code for user "joris"/u);
    expectCleanError(await join('joris', 'abcd-efgh', 'joris kiest een wachtzin'), 2, /not an enrolment code/u);
    // Typed with spaces and capitals, as read out over the phone.
    ok(await join('joris', joris.enrolment_code.toUpperCase().replaceAll('-', ' '), 'joris kiest een wachtzin'));
  });

  it('user join without a code file or terminal says how to give the code', async () => {
    const r = refused(await sb.run(['user', 'join', 'fenna']), /no enrolment code/u);
    expect(r.stderr).toContain('--code-file');
  });

  it('user list shows users with role, worker, fingerprint, and codes not used yet', async () => {
    const listed = json<{ users: { user: string; role: string; worker: string | null; status: string; fingerprint: string | null; expires: string | null }[] }>(
      ok(await sb.runP(['user', 'list', '--json'])),
    );
    const by = new Map(listed.users.map((u) => [u.user, u]));
    expect(by.get('admin')).toMatchObject({ role: 'admin', status: 'active', worker: null, expires: null });
    expect(by.get('noor')).toMatchObject({ role: 'caseworker', status: 'active', worker: ids.noor });
    expect(by.get('sven')).toMatchObject({ role: 'security', status: 'active' });
    expect(by.get('fenna')).toMatchObject({ role: 'caseworker', status: 'pending', fingerprint: null });
    expect(by.get('noor')!.fingerprint).toMatch(/^[a-z2-9]{4}(?:-[a-z2-9]{4}){3}$/u);
    // The fingerprint whoami shows is the one the administrator sees.
    const me = json<{ fingerprint: string }>(ok(await as('caseworker', ['whoami', '--json'])));
    expect(me.fingerprint).toBe(by.get('noor')!.fingerprint);
  });

  it('whoami names the session and when it ends', async () => {
    const token = ok(await as('caseworker', ['unlock'])).stdout.trim();
    const me = json<{ user: string; role: string; worker: string; session_expires: string | null }>(ok(await sb.run(['whoami', '--json'], { env: { SCHUILNAAM_SESSION: token } })));
    expect(me).toMatchObject({ user: 'noor', role: 'caseworker', worker: ids.noor });
    expect(Date.parse(me.session_expires!)).toBeGreaterThan(Date.now());
    const plain = json<{ session_expires: string | null }>(ok(await as('caseworker', ['whoami', '--json'])));
    expect(plain.session_expires).toBeNull();
  });
});

describe('the rights table', () => {
  describe('add, import, update, offboard workers: admin only', () => {
    const csv = () => secretFile('import.csv', 'first_name,last_name,team\nWieke,Zandbergen,Team Noord\n');
    it.each(['security', 'caseworker'] as const)('%s is refused each of them', async (role) => {
      refused(await as(role, ['worker', 'add', '--first-name', 'Roel', '--last-name', 'Dekkerman']), /the \w+ role may not add, import, update or offboard workers[^]*only admin may/u);
      refused(await as(role, ['worker', 'import', csv()]), /only admin may/u);
      refused(await as(role, ['worker', 'update', ids.spare[1]!, '--team', 'Team Zuid']), /only admin may/u);
      refused(await as(role, ['worker', 'offboard', ids.spare[2]!, '--yes']), /only admin may/u);
    });
    it('admin does each of them', async () => {
      ok(await as('admin', ['worker', 'add', '--first-name', 'Roel', '--last-name', 'Dekkerman']));
      ok(await as('admin', ['worker', 'import', csv()]));
      ok(await as('admin', ['worker', 'update', ids.spare[1]!, '--team', 'Team Zuid']));
      ok(await as('admin', ['worker', 'offboard', ids.spare[2]!, '--yes']));
    });
  });

  describe('read real identities: admin and security, each reading audited', () => {
    it.each(['admin', 'security'] as const)('%s lists and shows workers, and the audit log names who did', async (role) => {
      const listed = json<{ id: string; first_name: string | null }[]>(ok(await as(role, ['worker', 'list', '--json'])));
      expect(listed.find((w) => w.id === ids.noor)?.first_name).toBe('Noor');
      expect(json<{ last_name: string }>(ok(await as(role, ['worker', 'show', ids.teun, '--json']))).last_name).toBe('Brakel');
      const log = json<{ actor: string; action: string; subject: string }[]>(ok(await as('admin', ['audit', 'log', '--json'])));
      const actor = role === 'admin' ? 'admin' : 'sven';
      expect(log.some((e) => e.actor === actor && e.action === 'worker.list')).toBe(true);
      expect(log.some((e) => e.actor === actor && e.action === 'worker.show' && e.subject === ids.teun)).toBe(true);
    });
    it('caseworker is refused both, naming who may', async () => {
      refused(await as('caseworker', ['worker', 'list']), /the caseworker role may not read workers' real identities[^]*only admin or security may/u);
      refused(await as('caseworker', ['worker', 'show', ids.noor]), /only admin or security may/u);
    });
  });

  describe('cases, teams, assignments: admin changes; security reads; caseworker reads her own', () => {
    it.each(['security', 'caseworker'] as const)('%s may not add or change cases, teams or assignments', async (role) => {
      refused(await as(role, ['case', 'add', 'JB-2026/0999']), /may not add or change cases, teams or assignments[^]*only admin may/u);
      refused(await as(role, ['case', 'update', CASE_OWN, '--risk', 'high']), /only admin may/u);
      refused(await as(role, ['case', 'assign', CASE_OWN, ids.teun]), /only admin may/u);
      refused(await as(role, ['team', 'set', 'Team Noord', '--scope', 'worker']), /only admin may/u);
    });
    it('admin changes them', async () => {
      ok(await as('admin', ['case', 'add', 'JB-2026/0100', '--team', 'Team Zuid']));
      ok(await as('admin', ['case', 'update', 'JB-2026/0100', '--risk', 'high']));
      ok(await as('admin', ['case', 'assign', 'JB-2026/0100', ids.teun]));
      ok(await as('admin', ['team', 'set', 'Team Zuid', '--style', 'code']));
    });
    it('security reads every case', async () => {
      const cases = json<{ reference: string }[]>(ok(await as('security', ['case', 'list', '--json'])));
      expect(cases.map((c) => c.reference)).toEqual(expect.arrayContaining([CASE_OWN, CASE_OTHER]));
      ok(await as('security', ['case', 'show', CASE_OTHER]));
    });
    it('caseworker reads only the cases assigned to her worker record', async () => {
      const cases = json<{ reference: string }[]>(ok(await as('caseworker', ['case', 'list', '--json'])));
      expect(cases.map((c) => c.reference)).toEqual([CASE_OWN]);
      ok(await as('caseworker', ['case', 'show', CASE_OWN]));
      refused(await as('caseworker', ['case', 'show', CASE_OTHER]), new RegExp(`case "${CASE_OTHER}" is not one of your cases`, 'u'));
    });
  });

  describe('pseudonym get, render, redact: admin and security; caseworker on her own cases', () => {
    const letter = () => secretFile('brief.md', 'Beste ouders,\n\nMet vriendelijke groet,\n\n{{worker.name}}\n');
    const draft = () => secretFile('draft.txt', `Beste ouders,\nIk, Noor Hazeveld, en mijn collega Teun Brakel komen langs.\n`);
    it.each(['admin', 'security'] as const)('%s gets, renders and redacts for any case', async (role) => {
      const name = ok(await as(role, ['pseudonym', 'get', '--case', CASE_OTHER, '--worker', ids.teun])).stdout.trim();
      expect(name).not.toMatch(/Teun|Brakel/u);
      const out = path.join(sb.dir, `brief-${role}.txt`);
      ok(await as(role, ['render', letter(), '--case', CASE_OTHER, '--worker', ids.teun, '--out', out]));
      expect(fs.readFileSync(out, 'utf8')).toContain(name);
      const red = path.join(sb.dir, `red-${role}.txt`);
      ok(await as(role, ['redact', draft(), '--case', CASE_OWN, '--out', red]));
      const text = fs.readFileSync(red, 'utf8');
      expect(text).not.toMatch(/Noor|Hazeveld|Teun|Brakel/u);
    });
    it('caseworker gets her own pseudonym and renders without --worker, and nothing for a case not hers', async () => {
      const mine = json<{ worker: string; pseudonym: string }>(ok(await as('caseworker', ['pseudonym', 'get', '--case', CASE_OWN, '--json'])));
      expect(mine.worker).toBe(ids.noor);
      const out = path.join(sb.dir, 'brief-caseworker.txt');
      const rendered = json<{ worker: string }>(ok(await as('caseworker', ['render', letter(), '--case', CASE_OWN, '--out', out, '--json'])));
      expect(rendered.worker).toBe(ids.noor);
      expect(fs.readFileSync(out, 'utf8')).toContain(mine.pseudonym);
      refused(await as('caseworker', ['render', letter(), '--case', CASE_OTHER, '--worker', ids.teun, '--out', path.join(sb.dir, 'y.txt')]), /is not one of your cases/u);
      expect(fs.existsSync(path.join(sb.dir, 'y.txt'))).toBe(false);
      refused(await as('caseworker', ['pseudonym', 'get', '--case', CASE_OTHER, '--worker', ids.teun]), /is not one of your cases/u);
      refused(await as('caseworker', ['pseudonym', 'list', '--worker', ids.teun]), /her own worker record only/u);
    });
    it('caseworker redacts her own case: every worker\'s name becomes the placeholder', async () => {
      const red = path.join(sb.dir, 'red-caseworker.txt');
      ok(await as('caseworker', ['redact', draft(), '--case', CASE_OWN, '--out', red]));
      const text = fs.readFileSync(red, 'utf8');
      expect(text).not.toMatch(/Noor|Hazeveld|Teun|Brakel/u);
      refused(await as('caseworker', ['redact', draft(), '--case', CASE_OTHER, '--out', path.join(sb.dir, 'x.txt')]), /is not one of your cases/u);
      expect(fs.existsSync(path.join(sb.dir, 'x.txt'))).toBe(false);
    });
  });

  describe('scan: every role; the worker shown to admin and security only', () => {
    const doc = () => secretFile('scan.txt', 'Gesprek met Teun Brakel over de planning.\n');
    it.each([
      ['admin', 'teun'],
      ['security', 'teun'],
      ['caseworker', null],
    ] as const)('%s finds the name; worker %s', async (role, worker) => {
      const r = await as(role, ['scan', doc(), '--json']);
      expect(r.exitCode).toBe(1);
      const findings = json<{ files: { findings: { text: string; confidence: string; worker: string | null }[] }[] }>(r).files[0]!.findings;
      const hit = findings.find((f) => f.text === 'Teun Brakel');
      expect(hit?.confidence).toBe('high');
      expect(hit?.worker).toBe(worker === null ? null : ids.teun);
    });
  });

  describe('pseudonym resolve and rotate: admin and security', () => {
    it.each(['admin', 'security'] as const)('%s resolves (seeing the person) and rotates', async (role) => {
      const name = ok(await as('admin', ['pseudonym', 'get', '--case', CASE_OTHER, '--worker', ids.teun])).stdout.trim();
      const who = json<{ worker: string; name: string; team: string }>(ok(await as(role, ['pseudonym', 'resolve', name, '--reason', 'verzoek politie 2026-118', '--json'])));
      expect(who).toMatchObject({ worker: ids.teun, name: 'Teun Brakel', team: 'Team Noord' });
      ok(await as(role, ['rotate', '--pseudonym', name, '--reason', 'naam gezien op social media', '--yes']));
    });
    it('caseworker is refused both, naming who may', async () => {
      const name = ok(await as('caseworker', ['pseudonym', 'get', '--case', CASE_OWN])).stdout.trim();
      refused(await as('caseworker', ['pseudonym', 'resolve', name, '--reason', 'nieuwsgierig']), /the caseworker role may not resolve pseudonyms to workers[^]*only admin or security may/u);
      refused(await as('caseworker', ['rotate', '--pseudonym', name, '--reason', 'x', '--yes']), /only admin or security may/u);
    });
  });

  describe('users: admin only', () => {
    it.each(['security', 'caseworker'] as const)('%s may not add or list users', async (role) => {
      refused(await as(role, ['user', 'add', 'kees', '--role', 'admin']), /may not add, list or remove users[^]*only admin may/u);
      refused(await as(role, ['user', 'list']), /only admin may/u);
    });
  });

  describe('audit log: admin and security; audit verify: everyone', () => {
    it.each(['admin', 'security'] as const)('%s reads the log and verifies it', async (role) => {
      expect(json<unknown[]>(ok(await as(role, ['audit', 'log', '--json']))).length).toBeGreaterThan(5);
      ok(await as(role, ['audit', 'verify']));
    });
    it('an entry whose actor was edited in the file makes audit verify exit 1 naming it', async () => {
      const copy = path.join(sb.dir, 'edited.db');
      fs.copyFileSync(sb.vault, copy);
      const log = json<{ seq: number; actor: string; action: string }[]>(ok(await as('admin', ['audit', 'log', '--json'])));
      const target = log.find((e) => e.actor === 'sven' && e.action === 'worker.list')!;
      const db = openAsAttacker(copy);
      db.prepare("UPDATE audit_log SET actor = 'admin' WHERE seq = ?").run(target.seq);
      db.close();
      const r = await sb.runP(['audit', 'verify', '--json'], { env: { SCHUILNAAM_VAULT: copy } });
      expect(r.exitCode).toBe(1);
      const report = json<{ ok: boolean; problems: string[] }>(r);
      expect(report.ok).toBe(false);
      expect(report.problems[0]).toMatch(new RegExp(`^audit entry ${target.seq}: `, 'u'));
    });
    it('caseworker verifies the log but may not read it', async () => {
      expect(json<{ ok: boolean }>(ok(await as('caseworker', ['audit', 'verify', '--json']))).ok).toBe(true);
      refused(await as('caseworker', ['audit', 'log']), /the caseworker role may not read the audit log[^]*only admin or security may/u);
    });
  });
});
