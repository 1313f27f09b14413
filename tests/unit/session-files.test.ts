// Session files (src/vault/session.ts) in-process, with an injected clock:
// what is written, who may read it, when a session stops opening, and which
// files each way of ending sessions removes. The CLI's view of the same is in
// tests/e2e/sessions.test.ts; these are the checks a mutation tool can see.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_COMPARTMENTS, Keyring } from '../../src/crypto/keyring.js';
import { systemRandom } from '../../src/crypto/random.js';
import { vaultTag } from '../../src/crypto/session-token.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { AccessError, IoError } from '../../src/errors.js';
import { createSession, endSessions, endUserSessions, ensurePrivateDir, openSession } from '../../src/vault/session.js';
import { testTmpDir } from '../helpers/tmp.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const VAULT = 'a3c1e0f2-0000-4000-8000-00000000000a';
const OTHER_VAULT = 'a3c1e0f2-0000-4000-8000-00000000000b';
const HINT = 'run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" for a new session';

let base: string;
let dir: string;

beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  base = testTmpDir('schuilnaam-sessfile-');
  dir = path.join(base, 'runtime');
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

function ring(): Keyring {
  return Keyring.generate(systemRandom, ['casefacing', 'scan', 'audit']);
}

function make(opts: { user?: string; vault?: string; ttlMs?: number; now?: Date; keyring?: Keyring } = {}) {
  return createSession(dir, {
    vaultId: opts.vault ?? VAULT,
    user: opts.user ?? 'anouk',
    role: 'caseworker',
    keyring: opts.keyring ?? ring(),
    ttlMs: opts.ttlMs ?? 15 * 60_000,
    now: opts.now ?? NOW,
    random: systemRandom,
  });
}

function accessError(f: () => unknown): AccessError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AccessError);
    return e as AccessError;
  }
  throw new Error('expected an AccessError');
}

const files = () => fs.readdirSync(dir).sort();
const idOf = (token: string) => Buffer.from(token.slice(5), 'base64url').subarray(0, 16).toString('hex');

describe('the session folder', () => {
  it('is created 0700, with its parents', () => {
    const deep = path.join(base, 'a', 'b', 'runtime');
    ensurePrivateDir(deep);
    expect(fs.statSync(deep).mode & 0o777).toBe(0o700);
  });

  it('an existing folder others can read is made private', () => {
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('a folder owned by someone else is refused, naming it, and left as it was', () => {
    // As root (CI), a folder of ours given away; otherwise "/", which root owns.
    let foreign = '/';
    if (process.getuid!() === 0) {
      foreign = dir;
      fs.mkdirSync(foreign, { mode: 0o755 });
      fs.chownSync(foreign, 4321, 4321);
    }
    const mode = fs.statSync(foreign).mode;
    const e = accessError(() => ensurePrivateDir(foreign));
    expect(e.message).toBe(`the session folder ${foreign} is not a private folder of yours`);
    expect(e.hint).toBe('remove it or set XDG_RUNTIME_DIR');
    expect(fs.statSync(foreign).mode).toBe(mode);
  });

  it('a file where the folder should be cannot be made a folder', () => {
    fs.writeFileSync(dir, 'not a folder');
    expect(() => ensurePrivateDir(dir)).toThrow(`cannot create the session folder ${dir}: EEXIST`);
    expect(fs.readFileSync(dir, 'utf8')).toBe('not a folder');
  });

  it('a symbolic link to a folder is refused (lstat, not stat)', () => {
    const real = path.join(base, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    fs.symlinkSync(real, dir);
    expect(accessError(() => ensurePrivateDir(dir)).message).toContain('is not a private folder of yours');
  });

  it('a folder that cannot be made is an IoError with the system code', () => {
    fs.writeFileSync(path.join(base, 'file'), '');
    try {
      ensurePrivateDir(path.join(base, 'file', 'runtime'));
      throw new Error('expected an IoError');
    } catch (e) {
      expect(e).toBeInstanceOf(IoError);
      expect((e as IoError).message).toBe(`cannot create the session folder ${path.join(base, 'file', 'runtime')}: ENOTDIR`);
    }
  });
});

describe('a session file', () => {
  it('is written 0600, named by the token id, holding the user, role, expiry and vault tag but no key', () => {
    const keyring = ring();
    const keys = keyring.compartments().map((c) => Buffer.from(keyring.get(c)!).toString('base64'));
    const { token, expires } = make({ keyring });
    expect(expires.toISOString()).toBe('2026-03-02T09:15:00.000Z');
    expect(files()).toEqual([`${idOf(token)}.session`]);
    const file = path.join(dir, files()[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    const f = JSON.parse(text);
    expect(Object.keys(f).sort()).toEqual(['box', 'expires', 'role', 'user', 'v', 'vault']);
    expect(f).toMatchObject({ v: 1, vault: vaultTag(VAULT), user: 'anouk', role: 'caseworker', expires: '2026-03-02T09:15:00.000Z' });
    expect(text).not.toContain(VAULT);
    for (const k of keys) expect(text).not.toContain(k);
    expect(text).not.toContain(token.slice(5));
  });

  it('opens with its token until its expiry, giving back the same keys', () => {
    const keyring = ring();
    const copy = Keyring.decode(keyring.encode());
    const { token } = make({ keyring });
    const s = openSession(dir, token, VAULT, new Date(NOW.getTime() + 15 * 60_000 - 1));
    expect(s.user).toBe('anouk');
    expect(s.role).toBe('caseworker');
    expect(s.expires.toISOString()).toBe('2026-03-02T09:15:00.000Z');
    expect(s.keyring.compartments().sort()).toEqual(['audit', 'casefacing', 'scan']);
    for (const c of copy.compartments()) expect(s.keyring.get(c)).toEqual(copy.get(c));
  });

  it('at its expiry it no longer opens, and its file is removed', () => {
    const { token } = make();
    const e = accessError(() => openSession(dir, token, VAULT, new Date(NOW.getTime() + 15 * 60_000)));
    expect(e.message).toBe('the session has expired');
    expect(e.hint).toBe(HINT);
    expect(files()).toEqual([]);
  });

  it('an expiry that is not a date never opens', () => {
    const { token } = make();
    const file = path.join(dir, files()[0]!);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...f, expires: 'never' }));
    expect(accessError(() => openSession(dir, token, VAULT, NOW)).message).toBe('the session has expired');
  });

  it('a token that is not a token, a missing file, another vault and a damaged box each say what happened', () => {
    const { token } = make();
    const e1 = accessError(() => openSession(dir, 'sns1_kapot', VAULT, NOW));
    expect(e1.message).toBe('SCHUILNAAM_SESSION does not hold a valid session token');
    expect(e1.hint).toBe(HINT);

    const e2 = accessError(() => openSession(dir, token, OTHER_VAULT, NOW));
    expect(e2.message).toBe('the session in SCHUILNAAM_SESSION belongs to another vault');
    expect(e2.hint).toBe(HINT);
    expect(files()).toHaveLength(1);

    const file = path.join(dir, files()[0]!);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    const box = Buffer.from(f.box, 'base64');
    box[box.length - 1]! ^= 1;
    fs.writeFileSync(file, JSON.stringify({ ...f, box: box.toString('base64') }));
    const e3 = accessError(() => openSession(dir, token, VAULT, NOW));
    expect(e3.message).toBe('the session token does not match its session file');
    expect(e3.hint).toBe(HINT);

    fs.writeFileSync(file, '{ not json');
    const e4 = accessError(() => openSession(dir, token, VAULT, NOW));
    expect(e4.message).toBe('the session has ended: it was locked, it expired, or its passphrase was changed');
    expect(e4.hint).toBe(HINT);
    fs.rmSync(file);
    expect(accessError(() => openSession(dir, token, VAULT, NOW)).message).toContain('the session has ended');
  });

  it('the user or role in the file cannot be changed: they are bound to the sealed keys', () => {
    const { token } = make();
    const file = path.join(dir, files()[0]!);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const change of [{ user: 'admin' }, { role: 'admin' }]) {
      fs.writeFileSync(file, JSON.stringify({ ...f, ...change }));
      expect(accessError(() => openSession(dir, token, VAULT, NOW)).message).toBe('the session token does not match its session file');
    }
  });

  it('a session file with a field removed or of the wrong type is refused as edited, never an internal error', () => {
    const { token } = make();
    const file = path.join(dir, files()[0]!);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    const edits: Record<string, unknown>[] = [{ box: undefined }, { box: 42 }, { box: null }, { user: undefined }, { role: ['admin'] }, { expires: 4102444800000 }];
    for (const edit of edits) {
      fs.writeFileSync(file, JSON.stringify({ ...f, ...edit }));
      const e = accessError(() => openSession(dir, token, VAULT, NOW));
      expect(e.message, JSON.stringify(edit)).toBe('the session token does not match its session file');
      expect(e.hint).toBe(HINT);
    }
  });

  it('making a session removes expired and unreadable session files, and keeps live ones and other files', () => {
    const old = make({ now: new Date(NOW.getTime() - 20 * 60_000) }); // expired at 08:55
    const edge = make({ now: new Date(NOW.getTime() - 15 * 60_000) }); // expires exactly now
    const live = make({ now: new Date(NOW.getTime() - 60_000) });
    fs.writeFileSync(path.join(dir, 'kapot.session'), 'garbage');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a session');
    const fresh = make();
    expect(files()).toEqual([`${idOf(fresh.token)}.session`, `${idOf(live.token)}.session`, 'notes.txt'].sort());
    expect(files()).not.toContain(`${idOf(old.token)}.session`);
    expect(files()).not.toContain(`${idOf(edge.token)}.session`);
  });
});

describe('ending sessions', () => {
  it('lock ends the token\'s own session and every session of the vault, and counts them', () => {
    const mine = make();
    make({ user: 'bram' });
    const other = make({ vault: OTHER_VAULT });
    expect(endSessions(dir, VAULT, mine.token)).toBe(2);
    expect(files()).toEqual([`${idOf(other.token)}.session`]);
  });

  it('without a vault, only the token\'s own session ends; a stale token ends nothing', () => {
    const mine = make();
    const kept = make({ user: 'bram' });
    expect(endSessions(dir, undefined, mine.token)).toBe(1);
    expect(files()).toEqual([`${idOf(kept.token)}.session`]);
    expect(endSessions(dir, undefined, mine.token)).toBe(0);
    expect(endSessions(dir, undefined, undefined)).toBe(0);
    expect(endSessions(dir, undefined, 'not a token')).toBe(0);
    expect(files()).toEqual([`${idOf(kept.token)}.session`]);
  });

  it('a session of another vault named by the token still ends (it is the caller\'s own)', () => {
    const foreign = make({ vault: OTHER_VAULT });
    expect(endSessions(dir, VAULT, foreign.token)).toBe(1);
    expect(files()).toEqual([]);
  });

  it('a missing folder ends nothing and makes nothing', () => {
    expect(endSessions(path.join(base, 'none'), VAULT, undefined)).toBe(0);
    expect(endUserSessions(path.join(base, 'none'), VAULT, 'anouk')).toBe(0);
    expect(fs.existsSync(path.join(base, 'none'))).toBe(false);
  });

  it('a passphrase change ends that user\'s sessions of this vault only', () => {
    make();
    make();
    const bram = make({ user: 'bram' });
    const elsewhere = make({ vault: OTHER_VAULT });
    fs.writeFileSync(path.join(dir, 'kapot.session'), 'garbage');
    expect(endUserSessions(dir, VAULT, 'anouk')).toBe(2);
    expect(files()).toEqual([`${idOf(bram.token)}.session`, `${idOf(elsewhere.token)}.session`, 'kapot.session'].sort());
  });

  it('every compartment survives the round trip through a session file', () => {
    const keyring = Keyring.generate(systemRandom, ALL_COMPARTMENTS);
    const { token } = make({ keyring: Keyring.decode(keyring.encode()) });
    const s = openSession(dir, token, VAULT, NOW);
    for (const c of ALL_COMPARTMENTS) expect(s.keyring.get(c)).toEqual(keyring.get(c));
  });
});
