// `user remove` on the built CLI (issue #9): who may, what is refused, what
// the removed user's session and passphrase open afterwards (nothing), what
// the users who stay can still do, and a removal interrupted at two points
// that a second run finishes. Invented people only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, onTerminal, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

const ok = expectOk;
const USERS = {
  noor: { role: 'caseworker', pass: 'noor haar eigen lange wachtzin' },
  mila: { role: 'caseworker', pass: 'mila kiest een andere wachtzin' },
  sven: { role: 'security', pass: 'sven zijn wachtzin voor security' },
  ada: { role: 'admin', pass: 'ada de tweede beheerder hier' },
} as const;
type Name = keyof typeof USERS;

let sb: Sandbox;
const w: Record<string, string> = {};
const CASE = 'JB-2026/0042';

function file(name: string, text: string): string {
  const f = path.join(sb.dir, name);
  fs.writeFileSync(f, `${text}\n`, { mode: 0o600 });
  return f;
}

const as = (name: Name | 'admin', args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
  name === 'admin' ? sb.runP(args, { env }) : sb.run([...args, '--passphrase-file', path.join(sb.dir, `${name}.pass`)], { env: { SCHUILNAAM_USER: name, ...env } });

async function enrol(name: Name, worker?: string): Promise<void> {
  const added = json<{ enrolment_code: string }>(ok(await sb.runP(['user', 'add', name, '--role', USERS[name].role, ...(worker ? ['--worker', worker] : []), '--json'])));
  ok(await sb.run(['user', 'join', name, '--code-file', file(`${name}.code`, added.enrolment_code), '--new-passphrase-file', file(`${name}.pass`, USERS[name].pass)]));
}

/** The status `user list` gives (a warning on stderr allowed: an unfinished removal says so). */
async function statusOf(name: string): Promise<string | undefined> {
  const r = await sb.runP(['user', 'list', '--json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return json<{ users: { user: string; status: string }[] }>(r).users.find((u) => u.user === name)?.status;
}

interface ScanJson {
  files: { findings: { text: string; confidence: string; worker: string | null }[] }[];
}

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  const add = async (first: string, last: string) => ok(await sb.runP(['worker', 'add', '--first-name', first, '--last-name', last, '--team', 'Team Noord'])).stdout.trim();
  w.noor = await add('Noor', 'Hazeveld');
  w.mila = await add('Mila', 'Brouwershaven');
  w.ilse = await add('Ilse', 'Vermaat');
  ok(await sb.runP(['case', 'add', CASE, '--team', 'Team Noord']));
  ok(await sb.runP(['case', 'assign', CASE, w.noor]));
  ok(await sb.runP(['case', 'assign', CASE, w.mila]));
  ok(await sb.runP(['worker', 'offboard', w.ilse, '--yes']));
  const name = ok(await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', w.mila])).stdout.trim();
  ok(await sb.runP(['pseudonym', 'resolve', name, '--reason', 'verzoek politie 2026-118']));
  await enrol('noor', w.noor);
  await enrol('mila', w.mila);
  await enrol('sven');
  await enrol('ada');
}, 180_000);

afterAll(() => sb.cleanup());

describe('user remove: who may, and what is refused', () => {
  it.each([
    ['mila', 'caseworker'],
    ['sven', 'security'],
  ] as const)('%s (%s) is refused with exit 3, naming the role that may', async (name, role) => {
    expectCleanError(await as(name, ['user', 'remove', 'noor', '--yes']), 3, new RegExp(`the ${role} role may not add, list or remove users.*\\n.*only admin may`, 'u'));
    expect(await statusOf('noor')).toBe('active');
  });

  it('an unknown user, and oneself, are refused with exit 2', async () => {
    expectCleanError(await sb.runP(['user', 'remove', 'niemand', '--yes']), 2, /no user "niemand" in this vault/u);
    expectCleanError(await sb.runP(['user', 'remove', 'admin', '--yes']), 2, /you cannot remove yourself/u);
  });

  it('without --yes and no terminal to ask on, nothing is removed (exit 2)', async () => {
    expectCleanError(await sb.runP(['user', 'remove', 'noor']), 2, /cannot be undone; confirm it with --yes[\s\S]*user remove noor --yes/u);
    expect(await statusOf('noor')).toBe('active');
  });

  it('a user who never joined only loses her code: it opens nothing afterwards', async () => {
    const added = json<{ enrolment_code: string }>(ok(await sb.runP(['user', 'add', 'joris', '--role', 'caseworker', '--json'])));
    const r = json<Record<string, unknown>>(ok(await sb.runP(['user', 'remove', 'joris', '--yes', '--json'])));
    expect(r).toEqual({ user: 'joris', role: 'caseworker', removed: true, keys_replaced: [], records_resealed: 0, enrolments_withdrawn: [], sessions_ended: 0 });
    expect(await statusOf('joris')).toBeUndefined();
    const join = await sb.run(['user', 'join', 'joris', '--code-file', file('joris.code', added.enrolment_code), '--new-passphrase-file', file('joris.pass', 'joris zijn wachtzin hier')]);
    expect(join.exitCode).not.toBe(0);
    expect(join.stderr).toMatch(/no enrolment is waiting for user "joris"/u);
  });
});

describe('after removing a caseworker', () => {
  let noorToken = '';
  let adminToken = '';
  let removal: Record<string, unknown>;

  beforeAll(async () => {
    // A document in the register: its record is sealed under the case-facing key too.
    ok(await sb.runP(['render', file('brief.md', 'Beste ouders,\n\n{{worker.name}}'), '--case', CASE, '--worker', w.mila!, '--out', path.join(sb.dir, 'brief-uit.md')]));
    noorToken = ok(await as('noor', ['unlock'])).stdout.trim();
    adminToken = ok(await sb.runP(['unlock'])).stdout.trim();
    removal = json(ok(await sb.runP(['user', 'remove', 'noor', '--yes', '--json'])));
    // Written after the removal.
    w.fleur = ok(await sb.runP(['worker', 'add', '--first-name', 'Fleur', '--last-name', 'Zandvoort', '--team', 'Team Noord'])).stdout.trim();
  }, 120_000);

  it('prints what was replaced; her record stays, marked removed', async () => {
    expect(removal).toMatchObject({ user: 'noor', role: 'caseworker', removed: true, keys_replaced: ['casefacing', 'scan', 'audit'], enrolments_withdrawn: [], sessions_ended: 1 });
    expect(removal.records_resealed).toBeGreaterThan(3);
    expect(await statusOf('noor')).toBe('removed');
  });

  it('her session token and her passphrase open nothing (exit 3)', async () => {
    expectCleanError(await sb.run(['whoami'], { env: { SCHUILNAAM_SESSION: noorToken } }), 3, /session has ended/u);
    expectCleanError(await as('noor', ['whoami']), 3, /no user "noor" in this vault/u);
  });

  it('a session opened before the removal holds replaced keys: unlock again', async () => {
    expectCleanError(await sb.run(['worker', 'list'], { env: { SCHUILNAAM_SESSION: adminToken } }), 3, /keys were replaced since this session began[\s\S]*hint: .*schuilnaam unlock/u);
  });

  it('the other caseworker scans: a former worker (hashed under the old key) and one added after are both found, worker hidden', async () => {
    const r = await as('mila', ['scan', file('brief.txt', 'Ilse Vermaat en Fleur Zandvoort komen langs.'), '--json']);
    expect(r.exitCode).toBe(1);
    const found = json<ScanJson>(r).files[0]!.findings.filter((f) => f.confidence === 'high');
    expect(found.map((f) => [f.text, f.worker])).toEqual([
      ['Ilse Vermaat', null],
      ['Fleur Zandvoort', null],
    ]);
    expect(ok(await as('mila', ['pseudonym', 'get', '--case', CASE])).stdout.trim()).not.toBe('');
  });

  it('security reads the reason written before the keys were replaced; audit verify and verify pass', async () => {
    const log = json<{ action: string; reason: string | null }[]>(ok(await as('sven', ['audit', 'log', '--json'])));
    expect(log.find((e) => e.action === 'pseudonym.resolve')?.reason).toBe('verzoek politie 2026-118');
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['user.remove', 'keys.rotate']));
    ok(await as('sven', ['audit', 'verify']));
    ok(await as('mila', ['audit', 'verify']));
    // verify opens every record, the rendered document's included.
    expect(ok(await sb.runP(['verify'])).stdout).toMatch(/1 document/u);
    expect(json<{ documents: unknown[] }>(ok(await sb.runP(['document', 'list', '--json']))).documents.length).toBe(1);
  });
});

describe('a removal interrupted, finished by running it again', () => {
  it.each([
    ['revoked:1', 'ada'],
    ['resealed:3', 'sven'],
  ] as const)('killed at %s: %s is shut out at once, the administrator is told, and a second run finishes', async (fault, name) => {
    const killed = await sb.runP(['user', 'remove', name, '--yes'], { env: { SCHUILNAAM_FAULT: fault } });
    expect(killed.exitCode).not.toBe(0);
    expect(killed.stdout).toBe('');
    // Shut out already: the first transaction committed before the keys were replaced.
    expect(await statusOf(name)).toBe('removed');
    expectCleanError(await as(name, ['whoami']), 3, new RegExp(`no user "${name}" in this vault`, 'u'));
    const warned = await sb.runP(['case', 'list']);
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toMatch(new RegExp(`warning: the keys of "${name}" were not all replaced yet.*user remove ${name}`, 'u'));
    const refused = await sb.runP(['user', 'add', 'nieuw', '--role', 'caseworker']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`error: the removal of "${name}" is not finished[^\n]*\nschuilnaam: hint: run "schuilnaam user remove ${name}" first`, 'u'));
    const checked = await sb.runP(['verify']);
    expect(checked.exitCode, checked.stderr).toBe(0);
    const done = ok(await sb.runP(['user', 'remove', name, '--yes']));
    expect(done.stdout).toMatch(new RegExp(`^finished removing ${name} \\(${USERS[name].role}\\): replaced the .* keys`, 'u'));
    expect((await sb.runP(['case', 'list'])).stderr).toBe('');
    ok(await sb.runP(['verify']));
    // The caseworker who stays still works with her own passphrase (after an administrator's removal: a new organisation key).
    ok(await as('mila', ['pseudonym', 'get', '--case', CASE]));
    ok(await as('mila', ['audit', 'verify']));
    expectCleanError(await sb.runP(['user', 'remove', name, '--yes']), 2, new RegExp(`user "${name}" was already removed`, 'u'));
  }, 120_000);
});

// On a real pseudo-terminal (onTerminal): each answer is typed once its prompt shows.
describe('user remove on a terminal', () => {
  it('asks first: "no" changes nothing (exit 2); "yes" removes, with a progress bar per table', async () => {
    const no = onTerminal(sb, [['Remove user mila and replace every key she held?', 'n']], ['user', 'remove', 'mila', '--passphrase-file', sb.passFile]);
    expect(no.exitCode).toBe(2);
    expect(no.stdout).toContain('cancelled; nothing was changed');
    expect(await statusOf('mila')).toBe('active');
    const yes = onTerminal(sb, [['Remove user mila and replace every key she held?', 'y']], ['user', 'remove', 'mila', '--passphrase-file', sb.passFile]);
    expect(yes.exitCode, yes.stdout).toBe(0);
    expect(yes.stdout).toMatch(/re-sealing workers \[/u);
    expect(yes.stdout).toMatch(/removed mila \(caseworker\): replaced the casefacing, scan, audit keys/u);
    expect(await statusOf('mila')).toBe('removed');
  }, 120_000);
});
