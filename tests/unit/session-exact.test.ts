// Session files (src/vault/session.ts), the edges tests/unit/session-files.test.ts
// leaves open: the exact associated data a session box is sealed under (a
// file written by one build must open in another), the token secret wiped
// after use, no file handle left open, a private folder's own mode left
// alone, a system without user ids, an error without a system code, and
// sessions ended by another shell at the same moment (a race that must not
// turn into a crash). Invented users only.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { associatedData, open, seal } from '../../src/crypto/aead.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { systemRandom } from '../../src/crypto/random.js';
import { parseSessionToken, vaultTag, type SessionToken } from '../../src/crypto/session-token.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { AccessError, IntegrityError, IoError } from '../../src/errors.js';
import { CRYPTO_FORMAT } from '../../src/vault/deps.js';
import { createSession, endSessions, endUserSessions, ensurePrivateDir, openSession } from '../../src/vault/session.js';
import { testTmpDir } from '../helpers/tmp.js';

// Every token the session code parses, to look at its secret afterwards.
const parsedTokens = vi.hoisted(() => [] as SessionToken[]);
vi.mock('../../src/crypto/session-token.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/crypto/session-token.js')>();
  return {
    ...actual,
    parseSessionToken: (token: string) => {
      const p = actual.parseSessionToken(token);
      if (p) parsedTokens.push(p);
      return p;
    },
  };
});

const NOW = new Date('2026-04-14T13:30:00Z');
const TTL = 10 * 60_000;
const VAULT = 'c0ffee00-1111-4222-8333-000000000001';
const OTHER_VAULT = 'c0ffee00-1111-4222-8333-000000000002';
const HINT = 'run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" for a new session';

let base: string;
let dir: string;

beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  base = testTmpDir('schuilnaam-sessexact-');
  dir = path.join(base, 'run');
  parsedTokens.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});

function ring(): Keyring {
  return Keyring.generate(systemRandom, ['casefacing', 'scan', 'audit']);
}

function make(o: { user?: string; vault?: string; now?: Date; keyring?: Keyring } = {}) {
  return createSession(dir, {
    vaultId: o.vault ?? VAULT,
    user: o.user ?? 'femke',
    role: 'caseworker',
    keyring: o.keyring ?? ring(),
    ttlMs: TTL,
    now: o.now ?? NOW,
    random: systemRandom,
  });
}

const files = () => fs.readdirSync(dir).sort();
const idOf = (token: string) => parseSessionToken(token)!.id;
const fileOf = (token: string) => path.join(dir, `${idOf(token)}.session`);
const isZero = (b: Uint8Array) => b.every((x) => x === 0);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** The associated data a session box is bound to, spelled out here as the file format. */
function expectedAd(id: string, vaultId: string, f: { user: string; role: string; expires: string }): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'session', id, vaultId, f.user, f.role, f.expires);
}

/** Another process (a lock in a second shell) removes the file right after we read it. */
function removedAfterRead(match: (p: string) => boolean) {
  const real = fs.readFileSync;
  return vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
    const out = (real as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(p, o);
    if (typeof p === 'string' && match(p)) fs.rmSync(p, { force: true });
    return out;
  }) as typeof fs.readFileSync);
}

/** Records every path under the session folder read or removed. */
function watchFolder() {
  const reads: string[] = [];
  const removes: string[] = [];
  const realRead = fs.readFileSync;
  const realRm = fs.rmSync;
  vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
    if (typeof p === 'string' && p.startsWith(dir + path.sep)) reads.push(path.basename(p));
    return (realRead as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(p, o);
  }) as typeof fs.readFileSync);
  vi.spyOn(fs, 'rmSync').mockImplementation(((p: fs.PathLike, o?: fs.RmOptions) => {
    if (typeof p === 'string' && p.startsWith(dir + path.sep)) removes.push(path.basename(p));
    return realRm(p, o);
  }) as typeof fs.rmSync);
  return { reads, removes };
}

describe('the session folder, exactly', () => {
  it('a folder only its owner may use keeps the mode the owner gave it (0500 stays 0500)', () => {
    fs.mkdirSync(dir, { mode: 0o500 });
    fs.chmodSync(dir, 0o500);
    ensurePrivateDir(dir);
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o500);
  });

  it('group or other access of any kind is taken away, the owner\'s bits become rwx', () => {
    for (const mode of [0o710, 0o701, 0o740, 0o702, 0o770]) {
      fs.mkdirSync(dir);
      fs.chmodSync(dir, mode);
      ensurePrivateDir(dir);
      expect(fs.statSync(dir).mode & 0o7777).toBe(0o700);
      fs.rmdirSync(dir);
    }
  });

  it('on a system without user ids (Windows) the folder\'s own owner is accepted', () => {
    const desc = Object.getOwnPropertyDescriptor(process, 'getuid')!;
    Object.defineProperty(process, 'getuid', { value: undefined, configurable: true, writable: true });
    try {
      ensurePrivateDir(dir);
    } finally {
      Object.defineProperty(process, 'getuid', desc);
    }
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('an error without a system code is named "error"', () => {
    vi.spyOn(fs, 'mkdirSync').mockImplementation(() => {
      throw new Error('something odd');
    });
    const e = thrown(() => ensurePrivateDir(dir));
    expect(e).toBeInstanceOf(IoError);
    expect((e as IoError).message).toBe(`cannot create the session folder ${dir}: error`);
  });
});

describe('the sealed box in a session file', () => {
  it('is sealed under the token secret, bound to "schuilnaam", the format, "session", the id, the vault, user, role and expiry', () => {
    const keyring = ring();
    const encoded = keyring.encode();
    const { token } = make({ keyring });
    const f = JSON.parse(fs.readFileSync(fileOf(token), 'utf8'));
    const { id, secret } = parseSessionToken(token)!;
    const box = Buffer.from(f.box, 'base64');
    const opened = open(secret, box, expectedAd(id, VAULT, { user: 'femke', role: 'caseworker', expires: '2026-04-14T13:40:00.000Z' }));
    expect(Buffer.from(opened).equals(Buffer.from(encoded))).toBe(true);
  });

  it('a box another build sealed the same way opens, giving back its keys', () => {
    const { token } = make();
    const file = fileOf(token);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    const { id, secret } = parseSessionToken(token)!;
    const keyring = Keyring.generate(systemRandom, ['casefacing', 'audit']);
    const box = seal(secret, keyring.encode(), expectedAd(id, VAULT, f), systemRandom);
    fs.writeFileSync(file, JSON.stringify({ ...f, box: Buffer.from(box).toString('base64') }));
    const s = openSession(dir, token, VAULT, NOW);
    expect(s.keyring.compartments().sort()).toEqual(['audit', 'casefacing']);
    expect(s.keyring.get('audit')).toEqual(keyring.get('audit'));
  });

  it('a box that opens but holds no keyring this build knows is an integrity error, not "does not match"', () => {
    const { token } = make();
    const file = fileOf(token);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    const { id, secret } = parseSessionToken(token)!;
    const box = seal(secret, Uint8Array.of(9, 0), expectedAd(id, VAULT, f), systemRandom);
    fs.writeFileSync(file, JSON.stringify({ ...f, box: Buffer.from(box).toString('base64') }));
    const e = thrown(() => openSession(dir, token, VAULT, NOW));
    expect(e).toBeInstanceOf(IntegrityError);
    expect((e as IntegrityError).message).toBe('keyring has an unknown layout');
  });
});

describe('the token secret', () => {
  it('is wiped once the session is opened', () => {
    const { token } = make();
    parsedTokens.length = 0;
    const s = openSession(dir, token, VAULT, NOW);
    expect(s.user).toBe('femke');
    expect(parsedTokens).toHaveLength(1);
    expect(parsedTokens[0]!.secret).toHaveLength(32);
    expect(isZero(parsedTokens[0]!.secret)).toBe(true);
  });

  it('is wiped when the box does not open', () => {
    const { token } = make();
    const file = fileOf(token);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...f, user: 'gerrit' }));
    parsedTokens.length = 0;
    const e = thrown(() => openSession(dir, token, VAULT, NOW));
    expect(e).toBeInstanceOf(AccessError);
    expect((e as AccessError).message).toBe('the session token does not match its session file');
    expect((e as AccessError).hint).toBe(HINT);
    expect(isZero(parsedTokens[0]!.secret)).toBe(true);
  });
});

describe('writing a session file', () => {
  it('leaves no open handle to it behind', () => {
    const fdDir = '/proc/self/fd';
    if (!fs.existsSync(fdDir)) return;
    const { token } = make();
    const file = fileOf(token);
    const open = fs.readdirSync(fdDir).flatMap((fd) => {
      try {
        return [fs.readlinkSync(path.join(fdDir, fd))];
      } catch {
        return [];
      }
    });
    expect(open).not.toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\{"v":1,"vault":"[0-9a-f]{32}","user":"femke","role":"caseworker","expires":"2026-04-14T13:40:00.000Z","box":"[A-Za-z0-9+/=]+"\}$/u);
  });
});

describe('a folder that cannot be listed', () => {
  function unlistable() {
    const real = fs.readdirSync;
    vi.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, o?: unknown) => {
      if (p === dir) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
      return (real as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
    }) as typeof fs.readdirSync);
  }

  it('a session is still made, and nothing else in it is read or removed', () => {
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'old.session'), 'garbage');
    const seen = watchFolder();
    unlistable();
    const { token } = make();
    vi.restoreAllMocks();
    expect(seen.removes).toEqual([]);
    expect(seen.reads).toEqual([]);
    expect(files()).toEqual([`${idOf(token)}.session`, 'old.session'].sort());
  });

  it('lock and a passphrase change end nothing there, and read nothing', () => {
    make();
    const seen = watchFolder();
    unlistable();
    expect(endSessions(dir, VAULT, undefined)).toBe(0);
    expect(endUserSessions(dir, VAULT, 'femke')).toBe(0);
    vi.restoreAllMocks();
    expect(seen.reads).toEqual([]);
    expect(seen.removes).toEqual([]);
    expect(files()).toHaveLength(1);
  });
});

describe('lock without a vault', () => {
  it('removes only the token\'s own file, and opens no other session file', () => {
    const mine = make();
    const other = make({ user: 'gerrit' });
    const seen = watchFolder();
    expect(endSessions(dir, undefined, mine.token)).toBe(1);
    expect(endSessions(dir, undefined, undefined)).toBe(0);
    vi.restoreAllMocks();
    expect(seen.reads).toEqual([]);
    expect(seen.removes).toEqual([`${idOf(mine.token)}.session`]);
    expect(files()).toEqual([`${idOf(other.token)}.session`]);
  });
});

describe('damaged files while ending sessions', () => {
  it('lock passes over files that are no session (garbage, "null") and ends the vault\'s sessions', () => {
    const mine = make();
    make({ user: 'gerrit' });
    const foreign = make({ vault: OTHER_VAULT });
    fs.writeFileSync(path.join(dir, 'kapot.session'), '{ half');
    fs.writeFileSync(path.join(dir, 'leeg.session'), 'null');
    expect(endSessions(dir, VAULT, mine.token)).toBe(2);
    expect(files()).toEqual([`${idOf(foreign.token)}.session`, 'kapot.session', 'leeg.session'].sort());
    expect(endSessions(dir, VAULT, undefined)).toBe(0);
  });

  it('a passphrase change passes over them too', () => {
    make();
    fs.writeFileSync(path.join(dir, 'leeg.session'), 'null');
    expect(endUserSessions(dir, VAULT, 'femke')).toBe(1);
    expect(files()).toEqual(['leeg.session']);
  });
});

describe('a session ended by another shell at the same moment', () => {
  const isSession = (p: string) => p.startsWith(dir + path.sep) && p.endsWith('.session');

  it('an expired session removed while it is being opened still says "expired"', () => {
    const { token } = make();
    removedAfterRead(isSession);
    const e = thrown(() => openSession(dir, token, VAULT, new Date(NOW.getTime() + TTL)));
    expect(e).toBeInstanceOf(AccessError);
    expect((e as AccessError).message).toBe('the session has expired');
    expect((e as AccessError).hint).toBe(HINT);
    expect(files()).toEqual([]);
  });

  it('lock: the token\'s file gone between the check and the removal', () => {
    const { token } = make();
    const file = fileOf(token);
    const real = fs.existsSync;
    vi.spyOn(fs, 'existsSync').mockImplementation((p: fs.PathLike) => {
      const there = real(p);
      if (p === file) fs.rmSync(file, { force: true });
      return there;
    });
    expect(() => endSessions(dir, undefined, token)).not.toThrow();
    expect(files()).toEqual([]);
  });

  it('lock: a vault session gone between reading and removing it', () => {
    make();
    make({ user: 'gerrit' });
    removedAfterRead(isSession);
    expect(() => endSessions(dir, VAULT, undefined)).not.toThrow();
    expect(files()).toEqual([]);
  });

  it('passphrase change: a session of the user gone between reading and removing it', () => {
    make();
    removedAfterRead(isSession);
    expect(() => endUserSessions(dir, VAULT, 'femke')).not.toThrow();
    expect(files()).toEqual([]);
  });

  it('making a session: an expired one gone between reading and pruning it', () => {
    make({ now: new Date(NOW.getTime() - 2 * TTL) });
    removedAfterRead(isSession);
    const { token } = make();
    vi.restoreAllMocks();
    expect(files()).toEqual([`${idOf(token)}.session`]);
  });

  it('making a session: a listed file gone before it is read', () => {
    make({ now: new Date(NOW.getTime() - 2 * TTL) });
    const real = fs.readFileSync;
    vi.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
      if (typeof p === 'string' && isSession(p)) fs.rmSync(p, { force: true });
      return (real as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(p, o);
    }) as typeof fs.readFileSync);
    const { token } = make();
    vi.restoreAllMocks();
    expect(files()).toEqual([`${idOf(token)}.session`]);
  });
});

describe('expiry with an injected clock', () => {
  it('opens one millisecond before, not at, and the file goes only at expiry', () => {
    const { token, expires } = make();
    expect(expires.toISOString()).toBe('2026-04-14T13:40:00.000Z');
    expect(openSession(dir, token, VAULT, new Date(expires.getTime() - 1)).expires.toISOString()).toBe('2026-04-14T13:40:00.000Z');
    expect(files()).toEqual([`${idOf(token)}.session`]);
    const e = thrown(() => openSession(dir, token, VAULT, expires));
    expect((e as AccessError).message).toBe('the session has expired');
    expect(files()).toEqual([]);
  });

  it('another vault\'s session is never removed by opening it, even when expired', () => {
    const { token } = make({ vault: OTHER_VAULT });
    const e = thrown(() => openSession(dir, token, VAULT, new Date(NOW.getTime() + 2 * TTL)));
    expect((e as AccessError).message).toBe('the session in SCHUILNAAM_SESSION belongs to another vault');
    expect(files()).toEqual([`${idOf(token)}.session`]);
    expect(JSON.parse(fs.readFileSync(fileOf(token), 'utf8')).vault).toBe(vaultTag(OTHER_VAULT));
  });
});
