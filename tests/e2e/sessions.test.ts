// End-to-end behaviour of sessions (unlock / lock), passphrase changes and the
// vault location, on the built CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, PASSPHRASE, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';
import { systemRandom } from '../../src/crypto/random.js';
import { VaultFile } from '../../src/vault/vault.js';

const ok = expectOk;
const denied = (r: RunResult) => expectCleanError(r, 3);
const usage = (r: RunResult) => expectCleanError(r, 2);

const sessionDir = (sb: Sandbox) => path.join(sb.runtime, 'schuilnaam');

function sessionFiles(sb: Sandbox): string[] {
  return fs.existsSync(sessionDir(sb)) ? fs.readdirSync(sessionDir(sb)).filter((n) => n.endsWith('.session')) : [];
}

/** The session file a token names (its id is the first 16 bytes of the token). */
function sessionFileOf(sb: Sandbox, token: string): string {
  const id = Buffer.from(token.trim().slice('sns1_'.length), 'base64url').subarray(0, 16).toString('hex');
  const file = path.join(sessionDir(sb), `${id}.session`);
  expect(fs.existsSync(file), `session file of the token in ${sessionDir(sb)}`).toBe(true);
  return file;
}

/** A session made by the vault service in-process, as if unlocked at `at` (ms) for `ttlMs`. */
async function sessionMadeAt(sb: Sandbox, at: number, ttlMs: number): Promise<string> {
  const deps = { clock: () => new Date(at), random: systemRandom, kdfProfile: 'owasp-floor' as const };
  const v = (await VaultFile.open(sb.vault, deps)).unlockWithPassphrase(new TextEncoder().encode(PASSPHRASE));
  try {
    return v.createSession(sessionDir(sb), ttlMs).token;
  } finally {
    v.close();
  }
}

function writeSecret(sb: Sandbox, name: string, text: string): string {
  const file = path.join(sb.dir, name);
  fs.writeFileSync(file, text + '\n', { mode: 0o600 });
  return file;
}

describe('unlock and lock', () => {
  let sb: Sandbox;
  let listed: unknown;
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    ok(await sb.runP(['worker', 'add', '--first-name', 'Roos', '--prefix', 'de', '--last-name', 'Kanter', '--team', 'Team Noord']));
    listed = json(ok(await sb.runP(['worker', 'list', '--json'])));
  });
  afterAll(() => sb.cleanup());

  const unlock = async (...extra: string[]): Promise<string> => {
    const r = ok(await sb.runP(['unlock', ...extra]));
    return r.stdout.trim();
  };
  const withSession = (token: string) => ({ env: { SCHUILNAAM_SESSION: token } });

  it('unlock prints only the token: one line on stdout, nothing on stderr', async () => {
    const r = ok(await sb.runP(['unlock']));
    expect(r.stdout).toMatch(/^\S+\n$/u);
    expect(r.stdout.trim().length).toBeGreaterThanOrEqual(20);
    expect(r.stdout).not.toContain(PASSPHRASE);
  });

  it('unlock --json gives {session, expires} with expires about 15 minutes from now', async () => {
    const t0 = Date.now();
    const r = ok(await sb.runP(['unlock', '--json']));
    const out = json<{ session: string; expires: string }>(r);
    expect(typeof out.session).toBe('string');
    expect(out.session).toMatch(/^\S{20,}$/u);
    const expires = Date.parse(out.expires);
    expect(Number.isNaN(expires)).toBe(false);
    expect(expires).toBeGreaterThan(t0 + 15 * 60_000 - 60_000);
    expect(expires).toBeLessThan(Date.now() + 15 * 60_000 + 60_000);
    // The token from --json works like the plain one.
    expect(json(ok(await sb.run(['worker', 'list', '--json'], withSession(out.session))))).toEqual(listed);
  });

  it('with SCHUILNAAM_SESSION set, commands need no passphrase (no file, stdin ignored)', async () => {
    const token = await unlock();
    const r = ok(await sb.run(['worker', 'list', '--json'], withSession(token)));
    expect(json(r)).toEqual(listed);
    const human = ok(await sb.run(['worker', 'list'], withSession(token)));
    expect(human.stdout).toContain('Roos de Kanter');
  });

  it('without a session or passphrase file and no TTY: exit 3 with a hint', async () => {
    const r = denied(await sb.run(['worker', 'list']));
    expect(r.stderr).toMatch(/^schuilnaam: hint: .*(--passphrase-file|unlock)/mu);
  });

  it('lock ends the session; using it afterwards is exit 3 with a hint mentioning unlock', async () => {
    const token = await unlock();
    ok(await sb.run(['worker', 'list'], withSession(token)));
    const r = ok(await sb.run(['lock'], withSession(token)));
    expect(r.stdout).not.toContain(token);
    const after = denied(await sb.run(['worker', 'list'], withSession(token)));
    expect(after.stderr).toMatch(/^schuilnaam: hint: .*unlock/mu);
  });

  it('lock with two sessions open ends both', async () => {
    const a = await unlock();
    const b = await unlock();
    expect(a).not.toBe(b);
    ok(await sb.run(['worker', 'list'], withSession(a)));
    ok(await sb.run(['worker', 'list'], withSession(b)));
    ok(await sb.run(['lock'], withSession(a)));
    denied(await sb.run(['worker', 'list'], withSession(a)));
    denied(await sb.run(['worker', 'list'], withSession(b)));
  });

  it('lock without SCHUILNAAM_SESSION ends the open sessions too', async () => {
    const a = await unlock();
    ok(await sb.run(['lock']));
    denied(await sb.run(['worker', 'list'], withSession(a)));
  });

  it('lock with no session open is exit 0, says so, and leaves no session file', async () => {
    ok(await sb.run(['lock']));
    expect(ok(await sb.run(['lock'])).stdout).toBe('no open session\n');
    expect(json(ok(await sb.run(['lock', '--json'])))).toEqual({ ended: 0 });
    expect(sessionFiles(sb)).toEqual([]);
  });

  it('unlock --ttl 90s: the session expires 90 s after it was made', async () => {
    const t0 = Date.now();
    const r = json<{ session: string; expires: string }>(ok(await sb.runP(['unlock', '--ttl', '90s', '--json'])));
    const t1 = Date.now();
    // Bounds, not a wait: expires = the moment of unlocking + 90 s.
    expect(Date.parse(r.expires)).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000 + 90_000);
    expect(Date.parse(r.expires)).toBeLessThanOrEqual(t1 + 90_000);
    const f = JSON.parse(fs.readFileSync(sessionFileOf(sb, r.session), 'utf8')) as { expires: string };
    expect(f.expires).toBe(r.expires);
    ok(await sb.run(['lock'], withSession(r.session)));
  });

  // The CLI has no clock to set, so the session is made in-process by the real
  // API with a clock 20 minutes in the past: its 15 minutes are over now.
  it('a session whose time is up: exit 3 naming the expiry, and its file is removed', async () => {
    const token = await sessionMadeAt(sb, Date.now() - 20 * 60_000, 15 * 60_000);
    const r = denied(await sb.run(['worker', 'list'], withSession(token)));
    expect(r.stderr).toBe(
      'schuilnaam: error: the session has expired\nschuilnaam: hint: run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" for a new session\n',
    );
    expect(sessionFiles(sb)).toEqual([]);
    // Made the same way but still within its time, the CLI takes it: the refusal above is the expiry.
    const fresh = await sessionMadeAt(sb, Date.now() - 60_000, 15 * 60_000);
    expect(json(ok(await sb.run(['worker', 'list', '--json'], withSession(fresh))))).toEqual(listed);
    ok(await sb.run(['lock'], withSession(fresh)));
  });

  it('a session file whose expiry was moved later: exit 3, the expiry is bound to the sealed keys', async () => {
    const token = await unlock('--ttl', '5m');
    const file = sessionFileOf(sb, token);
    const f = JSON.parse(fs.readFileSync(file, 'utf8')) as { expires: string };
    fs.writeFileSync(file, JSON.stringify({ ...f, expires: new Date(Date.parse(f.expires) + 11 * 3_600_000).toISOString() }));
    const r = denied(await sb.run(['worker', 'list'], withSession(token)));
    expect(r.stderr).toMatch(/^schuilnaam: error: the session token does not match its session file\n/u);
    // Put back as it was, the same token works again: nothing else was wrong.
    fs.writeFileSync(file, JSON.stringify(f));
    ok(await sb.run(['worker', 'list'], withSession(token)));
    ok(await sb.run(['lock'], withSession(token)));
  });

  it('--ttl 13h and --ttl abc are usage errors and print no token', async () => {
    for (const ttl of ['13h', 'abc', '0s']) {
      const r = usage(await sb.runP(['unlock', '--ttl', ttl]));
      expect(r.stderr).toContain('ttl');
    }
    // 12h is the maximum and allowed.
    const token = await unlock('--ttl', '12h');
    ok(await sb.run(['lock'], withSession(token)));
  });

  it('a session used with --user someone-else is exit 3', async () => {
    const token = await unlock();
    denied(await sb.run(['worker', 'list', '--user', 'someone-else'], withSession(token)));
    denied(await sb.run(['--user', 'someone-else', 'worker', 'list'], { env: { SCHUILNAAM_SESSION: token } }));
    // The session itself is still fine.
    ok(await sb.run(['worker', 'list'], withSession(token)));
  });

  it('a garbage SCHUILNAAM_SESSION is exit 3', async () => {
    denied(await sb.run(['worker', 'list'], withSession('not-a-session-token')));
  });

  it('--passphrase-file wins over a session: a wrong file with a valid session is exit 3', async () => {
    const token = await unlock();
    const wrong = writeSecret(sb, 'wrong.txt', 'dit is niet de goede zin');
    const r = denied(await sb.run(['worker', 'list', '--passphrase-file', wrong], withSession(token)));
    expect(r.stderr).toContain('wrong passphrase');
    ok(await sb.run(['worker', 'list', '--passphrase-file', sb.passFile], withSession(token)));
  });
});

describe('passwd', () => {
  let sb: Sandbox;
  let listed: unknown;
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    ok(await sb.runP(['worker', 'add', '--first-name', 'Thijs', '--last-name', 'Van Eck', '--email', 't.vaneck@jeugd-voorbeeld.nl']));
    ok(await sb.runP(['worker', 'add', '--first-name', 'Merel', '--prefix', 'van den', '--last-name', 'Bosch-Çelik', '--employee-no', 'P-55 012']));
    listed = json(ok(await sb.runP(['worker', 'list', '--json'])));
  });
  afterAll(() => sb.cleanup());

  it('a new passphrase shorter than 12 characters is exit 2 and the old one still works', async () => {
    const short = writeSecret(sb, 'short.txt', 'elf tekens!');
    const r = usage(await sb.runP(['passwd', '--new-passphrase-file', short]));
    expect(r.stderr).toMatch(/12/u);
    expect(r.stderr).not.toContain('elf tekens');
    expect(json(ok(await sb.runP(['worker', 'list', '--json'])))).toEqual(listed);
  });

  it('after passwd the old passphrase is refused, the new one works, all workers intact', async () => {
    const next = writeSecret(sb, 'new.txt', 'nijlpaard danst de horlepiep');
    const r = ok(await sb.runP(['passwd', '--new-passphrase-file', next]));
    expect(r.stdout).not.toContain('nijlpaard');
    const old = denied(await sb.runP(['worker', 'list', '--json']));
    expect(old.stderr).toContain('wrong passphrase');
    const now = ok(await sb.run(['worker', 'list', '--json', '--passphrase-file', next]));
    expect(json(now)).toEqual(listed);
    ok(await sb.run(['verify', '--passphrase-file', next]));
  });
});

describe('vault location', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = makeSandbox();
  });
  afterAll(() => sb.cleanup());

  it('without SCHUILNAAM_VAULT, init creates $XDG_DATA_HOME/schuilnaam/vault.db', async () => {
    const dataHome = path.join(sb.dir, 'xdg-data');
    const env = { SCHUILNAAM_VAULT: undefined, XDG_DATA_HOME: dataHome };
    const r = await sb.run(['init', '--passphrase-file', sb.passFile], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const expected = path.join(dataHome, 'schuilnaam', 'vault.db');
    expect(fs.existsSync(expected)).toBe(true);
    expect(r.stdout).toContain(expected);
    expect(fs.existsSync(sb.vault)).toBe(false);
    ok(await sb.run(['worker', 'add', '--first-name', 'Floor', '--last-name', 'Hazeleger', '--passphrase-file', sb.passFile], { env }));
    const listed = json<{ last_name: string }[]>(ok(await sb.run(['worker', 'list', '--json', '--passphrase-file', sb.passFile], { env })));
    expect(listed.map((w) => w.last_name)).toEqual(['Hazeleger']);
  });

  it('--vault overrides SCHUILNAAM_VAULT', async () => {
    const chosen = path.join(sb.dir, 'chosen.db');
    ok(await sb.run(['init', '--vault', chosen, '--passphrase-file', sb.passFile]));
    expect(fs.existsSync(chosen)).toBe(true);
    expect(fs.existsSync(sb.vault)).toBe(false);
    ok(await sb.run(['--vault', chosen, 'worker', 'add', '--first-name', 'Jesse', '--last-name', 'Brink', '--passphrase-file', sb.passFile]));
    const listed = json<{ last_name: string }[]>(ok(await sb.run(['worker', 'list', '--json', '--vault', chosen, '--passphrase-file', sb.passFile])));
    expect(listed.map((w) => w.last_name)).toEqual(['Brink']);
    expect(fs.existsSync(sb.vault)).toBe(false);
  });

  it('init refuses to overwrite an existing vault', async () => {
    const chosen = path.join(sb.dir, 'chosen.db');
    const before = fs.readFileSync(chosen);
    const r = await sb.run(['init', '--vault', chosen, '--passphrase-file', sb.passFile]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(chosen).equals(before)).toBe(true);
  });
});
