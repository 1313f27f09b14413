import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationFailure, associatedData, open, openText, seal, sealText } from '../../src/crypto/aead.js';
import { blindIndex } from '../../src/crypto/blind-index.js';
import {
  DEFAULT_KDF_PROFILE,
  KDF_FLOOR,
  KDF_PROFILES,
  checkKdfParams,
  decodeKdfParams,
  deriveKek,
  encodeKdfParams,
  isBelowFloor,
  isKdfProfile,
  kdfProfile,
  newKdfParams,
  type KdfParams,
} from '../../src/crypto/kdf.js';
import { ALL_COMPARTMENTS, COMPARTMENTS, Keyring } from '../../src/crypto/keyring.js';
import { systemRandom, type RandomSource } from '../../src/crypto/random.js';
import { newSessionToken, parseSessionToken, vaultTag } from '../../src/crypto/session-token.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { IntegrityError, UsageError } from '../../src/errors.js';

const MiB = 1024 * 1024;
const key = () => new Uint8Array(randomBytes(32));

/** A repeatable random source: byte i of the stream is (seed + i) mod 256. */
function counter(seed = 0): RandomSource {
  let n = seed;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = n++ & 0xff;
    return out;
  };
}

beforeAll(async () => {
  await loadSodium();
});

describe('aead', () => {
  it('associatedData joins its parts with a unit separator', () => {
    expect(Buffer.from(associatedData('workers', 'first_name', 'W-abc', 1)).toString()).toBe('workers\u001ffirst_name\u001fW-abc\u001f1');
    // "a|b" + "c" must not collide with "a" + "b|c"
    expect(associatedData('ab', 'c')).not.toEqual(associatedData('a', 'bc'));
  });

  it('open(seal(x)) returns x for any bytes and any associated data', () => {
    const k = key();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.uint8Array({ maxLength: 128 }), (plain, ad) => {
        const box = seal(k, plain, ad);
        expect(box.length).toBe(24 + plain.length + 16);
        expect(open(k, box, ad)).toEqual(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh nonce per seal: the same plaintext gives different boxes', () => {
    const k = key();
    const ad = associatedData('workers', 'email', 'W-aaaaaaaa');
    const plain = new TextEncoder().encode('s.wal@example.org');
    const a = seal(k, plain, ad);
    const b = seal(k, plain, ad);
    expect(Buffer.from(a.subarray(0, 24)).equals(Buffer.from(b.subarray(0, 24)))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('takes the nonce from the injected random source', () => {
    const k = key();
    const box = seal(k, new Uint8Array([1, 2, 3]), new Uint8Array(), counter(10));
    expect([...box.subarray(0, 24)]).toEqual(Array.from({ length: 24 }, (_, i) => 10 + i));
  });

  it('refuses a box moved to another table, column or row', () => {
    const k = key();
    const plain = new TextEncoder().encode('Sanne');
    const box = seal(k, plain, associatedData('workers', 'first_name', 'W-aaaaaaaa', 1));
    expect(open(k, box, associatedData('workers', 'first_name', 'W-aaaaaaaa', 1))).toEqual(plain);
    for (const other of [
      associatedData('keyslots', 'first_name', 'W-aaaaaaaa', 1), // other table
      associatedData('workers', 'last_name', 'W-aaaaaaaa', 1), // other column
      associatedData('workers', 'first_name', 'W-bbbbbbbb', 1), // other row
      associatedData('workers', 'first_name', 'W-aaaaaaaa', 2), // other format version
      new Uint8Array(),
    ]) {
      expect(() => open(k, box, other)).toThrow(AuthenticationFailure);
    }
  });

  it('refuses the wrong key', () => {
    const ad = associatedData('t', 'c', 'r');
    const box = seal(key(), new Uint8Array([1, 2, 3]), ad);
    expect(() => open(key(), box, ad)).toThrow(AuthenticationFailure);
  });

  it('a flipped bit anywhere in the box (nonce, ciphertext or tag) fails authentication', () => {
    const k = key();
    const ad = associatedData('workers', 'phone', 'W-aaaaaaaa');
    const box = seal(k, new TextEncoder().encode('+31641234567'), ad);
    const bits = box.length * 8;
    // every single bit, not a sample
    for (let bit = 0; bit < bits; bit++) {
      const tampered = new Uint8Array(box);
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => open(k, tampered, ad), `bit ${bit}`).toThrow(AuthenticationFailure);
    }
  });

  it('refuses truncated, extended and too-short boxes', () => {
    const k = key();
    const ad = associatedData('x');
    const box = seal(k, new Uint8Array(10), ad);
    expect(() => open(k, box.subarray(0, box.length - 1), ad)).toThrow(AuthenticationFailure);
    const longer = new Uint8Array(box.length + 1);
    longer.set(box);
    expect(() => open(k, longer, ad)).toThrow(AuthenticationFailure);
    expect(() => open(k, new Uint8Array(39), ad)).toThrow(AuthenticationFailure);
    expect(() => open(k, new Uint8Array(), ad)).toThrow(AuthenticationFailure);
  });

  it('sealText/openText round-trip any Unicode text', () => {
    const k = key();
    const ad = associatedData('workers', 'last_name', 'W-aaaaaaaa');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(openText(k, sealText(k, text, ad), ad)).toBe(text);
      }),
      { numRuns: 200 },
    );
    expect(openText(k, sealText(k, 'Özdemir', ad), ad)).toBe('Özdemir');
    expect(openText(k, sealText(k, '', ad), ad)).toBe('');
  });

  it('sealText pads: "Jo" and "Johannes" give ciphertexts of equal length', () => {
    const k = key();
    const ad = associatedData('workers', 'first_name', 'W-aaaaaaaa');
    const short = sealText(k, 'Jo', ad);
    const long = sealText(k, 'Johannes', ad);
    expect(short.length).toBe(long.length);
    expect(short.length).toBe(24 + 32 + 16);
    // a name of 32 bytes needs the next block (padding adds at least one byte)
    expect(sealText(k, 'x'.repeat(31), ad).length).toBe(24 + 32 + 16);
    expect(sealText(k, 'x'.repeat(32), ad).length).toBe(24 + 64 + 16);
  });

  it('openText rejects a box whose plaintext is not validly padded', () => {
    const k = key();
    const ad = associatedData('workers', 'first_name', 'W-aaaaaaaa');
    // all zero bytes: no 0x80 marker
    expect(() => openText(k, seal(k, new Uint8Array(32), ad), ad)).toThrow(AuthenticationFailure);
    // not a multiple of the block size and no marker
    expect(() => openText(k, seal(k, new TextEncoder().encode('Johannes'), ad), ad)).toThrow(AuthenticationFailure);
    // empty plaintext
    expect(() => openText(k, seal(k, new Uint8Array(), ad), ad)).toThrow(AuthenticationFailure);
    // but a correctly padded one opens
    const ok = new Uint8Array(32);
    ok.set(new TextEncoder().encode('Jo'));
    ok[2] = 0x80;
    expect(openText(k, seal(k, ok, ad), ad)).toBe('Jo');
  });
});

describe('kdf', () => {
  it('ships moderate (3 passes, 256 MiB) as the default', () => {
    expect(DEFAULT_KDF_PROFILE).toBe('moderate');
    expect(KDF_PROFILES.moderate).toEqual({ opslimit: 3, memlimit: 256 * MiB });
    expect(kdfProfile(undefined)).toBe('moderate');
    expect(kdfProfile('')).toBe('moderate');
  });

  it('has the OWASP floor (2 passes, 19 MiB) as its cheapest profile, and nothing below it', () => {
    expect(KDF_PROFILES['owasp-floor']).toEqual({ opslimit: 2, memlimit: 19 * MiB });
    expect(KDF_FLOOR).toEqual({ opslimit: 2, memlimit: 19 * MiB });
    for (const [name, p] of Object.entries(KDF_PROFILES)) {
      expect(isBelowFloor(p), name).toBe(false);
      expect(p.opslimit, name).toBeGreaterThanOrEqual(2);
      expect(p.memlimit, name).toBeGreaterThanOrEqual(19 * MiB);
    }
    expect(Object.keys(KDF_PROFILES).sort()).toEqual(['moderate', 'owasp-floor', 'sensitive']);
    expect(isBelowFloor({ opslimit: 2, memlimit: 19 * MiB - 1 })).toBe(true);
    expect(isBelowFloor({ opslimit: 1, memlimit: 64 * MiB })).toBe(true);
    expect(isBelowFloor({ opslimit: 2, memlimit: 19 * MiB })).toBe(false);
  });

  it('knows the profile names and rejects others with a UsageError', () => {
    expect(isKdfProfile('sensitive')).toBe(true);
    expect(isKdfProfile('interactive')).toBe(false);
    expect(isKdfProfile('toString')).toBe(false);
    expect(kdfProfile('owasp-floor')).toBe('owasp-floor');
    expect(() => kdfProfile('interactive')).toThrow(UsageError);
    expect(() => kdfProfile('__proto__')).toThrow(UsageError);
  });

  it('newKdfParams takes the profile and a 16-byte salt from the random source', () => {
    const p = newKdfParams('sensitive', counter(5));
    expect(p.alg).toBe('argon2id13');
    expect(p.opslimit).toBe(4);
    expect(p.memlimit).toBe(1024 * MiB);
    expect([...p.salt]).toEqual(Array.from({ length: 16 }, (_, i) => 5 + i));
  });

  it('encode/decode round-trips the parameters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 8192, max: 4096 * MiB }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (opslimit, memlimit, salt) => {
          const p: KdfParams = { alg: 'argon2id13', opslimit, memlimit, salt };
          const back = decodeKdfParams(encodeKdfParams(p), 'keyslot admin');
          expect(back).toEqual(p);
        },
      ),
    );
  });

  const good = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ alg: 'argon2id13', opslimit: 2, memlimit: 19 * MiB, salt: Buffer.alloc(16, 1).toString('base64'), ...over });

  it('decodeKdfParams accepts sane parameters', () => {
    expect(decodeKdfParams(good(), 'keyslot x').opslimit).toBe(2);
  });

  it.each([
    ['not JSON', '{alg:'],
    ['empty', ''],
    ['wrong algorithm', good({ alg: 'argon2i13' })],
    ['no algorithm', good({ alg: undefined })],
    ['zero passes', good({ opslimit: 0 })],
    ['absurd passes', good({ opslimit: 1_000_000 })],
    ['fractional passes', good({ opslimit: 2.5 })],
    ['passes as a string', good({ opslimit: '2' })],
    ['1 TB of memory', good({ memlimit: 1024 * 1024 * MiB })],
    ['tiny memory', good({ memlimit: 1024 })],
    ['negative memory', good({ memlimit: -1 })],
    ['memory as a string', good({ memlimit: '19922944' })],
    ['short salt', good({ salt: Buffer.alloc(8).toString('base64') })],
    ['long salt', good({ salt: Buffer.alloc(32).toString('base64') })],
    ['salt not a string', good({ salt: [1, 2, 3] })],
    ['no salt', good({ salt: undefined })],
    ['an array', '[]'],
    ['a number', '42'],
    ['a string', '"argon2id13"'],
    ['null', 'null'],
  ])('decodeKdfParams rejects %s with an IntegrityError naming the place', (_what, text) => {
    let caught: unknown;
    try {
      decodeKdfParams(text, 'keyslot of hr-beheer');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IntegrityError);
    expect((caught as Error).message).toContain('keyslot of hr-beheer');
  });

  it('checkKdfParams rejects a salt of the wrong length', () => {
    expect(() => checkKdfParams({ alg: 'argon2id13', opslimit: 2, memlimit: 19 * MiB, salt: new Uint8Array(15) }, 'x')).toThrow(IntegrityError);
  });

  describe('deriveKek (owasp-floor, to keep it fast)', () => {
    const params = (salt: Uint8Array): KdfParams => ({ alg: 'argon2id13', ...KDF_PROFILES['owasp-floor'], salt });
    const pass = new TextEncoder().encode('kabouter plop eet stroopwafels');
    const saltA = new Uint8Array(16).fill(1);
    const saltB = new Uint8Array(16).fill(2);
    let kekA: Uint8Array;

    beforeAll(() => {
      kekA = deriveKek(pass, params(saltA));
    });

    it('gives a 32-byte key, the same one for the same passphrase and salt', () => {
      expect(kekA.length).toBe(32);
      expect(deriveKek(pass, params(new Uint8Array(saltA)))).toEqual(kekA);
    });

    it('gives a different key for another salt', () => {
      expect(Buffer.from(deriveKek(pass, params(saltB))).equals(Buffer.from(kekA))).toBe(false);
    });

    it('gives a different key for another passphrase', () => {
      const other = new TextEncoder().encode('kabouter plop eet stroopwafelS');
      expect(Buffer.from(deriveKek(other, params(saltA))).equals(Buffer.from(kekA))).toBe(false);
    });

    it('gives a different key for other cost parameters', () => {
      const p = { ...params(saltA), opslimit: 3 };
      expect(Buffer.from(deriveKek(pass, p)).equals(Buffer.from(kekA))).toBe(false);
    });
  });
});

describe('blind index', () => {
  const k1 = new Uint8Array(32).fill(7);
  const k2 = new Uint8Array(32).fill(8);

  it('is deterministic: 32 bytes, equal for equal input', () => {
    const a = blindIndex(k1, 'email', 's.wal@example.org');
    expect(a.length).toBe(32);
    expect(blindIndex(new Uint8Array(k1), 'email', 's.wal@example.org')).toEqual(a);
  });

  it('depends on the key', () => {
    expect(blindIndex(k1, 'email', 's.wal@example.org')).not.toEqual(blindIndex(k2, 'email', 's.wal@example.org'));
  });

  it('depends on the value', () => {
    expect(blindIndex(k1, 'email', 's.wal@example.org')).not.toEqual(blindIndex(k1, 'email', 's.wal@example.com'));
  });

  it('is domain-separated: the same value as e-mail and as personnel number differ', () => {
    expect(blindIndex(k1, 'email', 'P10231')).not.toEqual(blindIndex(k1, 'employee_no', 'P10231'));
  });

  it('has no collisions over random distinct values (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(Buffer.from(blindIndex(k1, 'email', a)).equals(Buffer.from(blindIndex(k1, 'email', b)))).toBe(false);
      }),
    );
  });
});

describe('Keyring', () => {
  it('generate makes a 32-byte key for every compartment, from the random source', () => {
    const ring = Keyring.generate(counter(0));
    expect(ring.compartments()).toEqual(ALL_COMPARTMENTS);
    expect(ALL_COMPARTMENTS).toEqual(['identity', 'casefacing', 'blind', 'scan', 'audit', 'org']);
    for (const c of ALL_COMPARTMENTS) expect(ring.get(c)?.length).toBe(32);
    expect([...ring.get('identity')!]).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(ring.get('casefacing')![0]).toBe(32);
  });

  it('encode/decode round-trips every key', () => {
    const ring = Keyring.generate(systemRandom);
    const bytes = ring.encode();
    expect(bytes.length).toBe(2 + 6 * 33);
    expect(bytes[0]).toBe(1);
    expect(bytes[1]).toBe(6);
    const back = Keyring.decode(bytes);
    expect(back.compartments()).toEqual(ring.compartments());
    for (const c of ALL_COMPARTMENTS) expect(back.get(c)).toEqual(ring.get(c));
  });

  it('round-trips any subset (property)', () => {
    const full = Keyring.generate(systemRandom);
    fc.assert(
      fc.property(fc.subarray([...ALL_COMPARTMENTS]), (cs) => {
        const back = Keyring.decode(full.subset(cs).encode());
        expect(back.compartments().sort()).toEqual([...cs].sort());
        for (const c of cs) expect(back.get(c)).toEqual(full.get(c));
      }),
    );
  });

  it('subset keeps only the chosen compartments, as copies', () => {
    const full = Keyring.generate(systemRandom);
    const caseworker = full.subset(['casefacing', 'scan']);
    expect(caseworker.compartments().sort()).toEqual(['casefacing', 'scan']);
    expect(caseworker.has('identity')).toBe(false);
    expect(caseworker.get('identity')).toBeUndefined();
    expect(caseworker.get('blind')).toBeUndefined();
    expect(caseworker.get('scan')).toEqual(full.get('scan'));
    // a copy: destroying the subset leaves the original intact
    const scan = new Uint8Array(full.get('scan')!);
    caseworker.destroy();
    expect(full.get('scan')).toEqual(scan);
    expect(caseworker.compartments()).toEqual([]);
  });

  it('subset of a compartment the ring lacks does not invent a key', () => {
    const partial = Keyring.generate(systemRandom, ['casefacing']);
    expect(partial.subset(['identity', 'casefacing']).compartments()).toEqual(['casefacing']);
  });

  it('destroy wipes the keys', () => {
    const ring = Keyring.generate(systemRandom);
    const id = ring.get('identity')!;
    ring.destroy();
    expect([...id].every((b) => b === 0)).toBe(true);
    expect(ring.has('identity')).toBe(false);
  });

  it('decode rejects wrong lengths, versions and unknown compartment ids', () => {
    const good = Keyring.generate(systemRandom, ['identity', 'audit']).encode();
    expect(Keyring.decode(good).compartments()).toEqual(['identity', 'audit']);
    const bad: [string, Uint8Array][] = [
      ['empty', new Uint8Array()],
      ['one byte', new Uint8Array([1])],
      ['one byte short', good.slice(0, -1)],
      ['one byte long', Uint8Array.from([...good, 0])],
      ['count too high', Uint8Array.from([1, 3, ...good.slice(2)])],
      ['count too low', Uint8Array.from([1, 1, ...good.slice(2)])],
      ['version 0', Uint8Array.from([0, ...good.slice(1)])],
      ['version 2', Uint8Array.from([2, ...good.slice(1)])],
    ];
    for (const id of [0, 7, 255]) {
      const b = new Uint8Array(good);
      b[2 + 33] = id; // second entry's compartment id
      bad.push([`compartment id ${id}`, b]);
    }
    for (const [what, bytes] of bad) expect(() => Keyring.decode(bytes), what).toThrow(IntegrityError);
  });

  it('compartment ids are stable (they are stored in files)', () => {
    expect(COMPARTMENTS).toEqual({ identity: 1, casefacing: 2, blind: 3, scan: 4, audit: 5, org: 6 });
  });
});

describe('session token', () => {
  it('new/parse round-trip: id is 32 hex chars, secret 32 bytes', () => {
    const { token, parsed } = newSessionToken(systemRandom);
    expect(token).toMatch(/^sns1_[A-Za-z0-9_-]{64}$/u);
    expect(parsed.id).toMatch(/^[0-9a-f]{32}$/u);
    expect(parsed.secret.length).toBe(32);
    const back = parseSessionToken(token);
    expect(back).toEqual(parsed);
  });

  it('parses what the random source produced', () => {
    const { token, parsed } = newSessionToken(counter(0));
    expect(parsed.id).toBe('000102030405060708090a0b0c0d0e0f');
    expect([...parsed.secret]).toEqual(Array.from({ length: 32 }, (_, i) => 16 + i));
    expect(parseSessionToken(token)).toEqual(parsed);
  });

  it('round-trips for any random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), (bytes) => {
        let at = 0;
        const src: RandomSource = (n) => bytes.slice(at, (at += n));
        const { token, parsed } = newSessionToken(src);
        expect(parseSessionToken(token)).toEqual(parsed);
      }),
    );
  });

  it('tolerates surrounding whitespace (a token pasted from a shell)', () => {
    const { token, parsed } = newSessionToken(systemRandom);
    expect(parseSessionToken(`  ${token}\n`)).toEqual(parsed);
  });

  it('rejects a wrong prefix, a wrong length and garbage', () => {
    const { token } = newSessionToken(systemRandom);
    const body = token.slice('sns1_'.length);
    for (const [what, t] of [
      ['no prefix', body],
      ['other version', 'sns2_' + body],
      ['upper-case prefix', 'SNS1_' + body],
      ['short', token.slice(0, -4)],
      ['long', token + 'AAAA'],
      ['prefix only', 'sns1_'],
      ['empty', ''],
      ['garbage', 'sns1_!!!!not-a-token!!!!'],
      ['words', 'hallo wereld'],
    ] as const) {
      expect(parseSessionToken(t), what).toBeUndefined();
    }
  });

  it('rejects characters outside base64url inside an otherwise well-sized token', () => {
    // Buffer.from(…, 'base64url') silently skips characters it does not know,
    // so a strict parser has to check the alphabet itself.
    const { token } = newSessionToken(systemRandom);
    const body = token.slice('sns1_'.length);
    expect(parseSessionToken(`sns1_${body.slice(0, 32)}$${body.slice(32)}`)).toBeUndefined();
    expect(parseSessionToken(`sns1_${body}==`)).toBeUndefined();
  });

  it('vaultTag is a stable 32-hex tag per vault id', () => {
    expect(vaultTag('V-1')).toMatch(/^[0-9a-f]{32}$/u);
    expect(vaultTag('V-1')).toBe(vaultTag('V-1'));
    expect(vaultTag('V-1')).not.toBe(vaultTag('V-2'));
  });
});
