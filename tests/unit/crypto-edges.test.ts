// Fixed answers and edges of src/crypto that crypto.test.ts's round trips do
// not pin down. A vault file stores the output of these functions, so a
// changed domain string or encoding would make every existing vault
// unreadable (or its integrity check fail) without any round-trip test
// noticing. The expected digests below were computed independently with
// Python's hashlib.blake2b (key = bytes 0..31, digest_size = 32).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationFailure, associatedData, open, openText, seal } from '../../src/crypto/aead.js';
import { blindIndex, deriveSubkey } from '../../src/crypto/blind-index.js';
import { chainHash, chainMac, equalBytes, GENESIS } from '../../src/crypto/chain.js';
import { integrityHasher } from '../../src/crypto/integrity.js';
import { checkKdfParams, decodeKdfParams, kdfProfile, type KdfParams } from '../../src/crypto/kdf.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { systemRandom } from '../../src/crypto/random.js';
import { newSessionToken, parseSessionToken, vaultTag } from '../../src/crypto/session-token.js';
import { loadSodium, sodium } from '../../src/crypto/sodium.js';
import { IntegrityError, UsageError } from '../../src/errors.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);
const MiB = 1024 * 1024;

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  await loadSodium();
});

describe('known answers (the bytes stored in vault files)', () => {
  it('deriveSubkey: keyed BLAKE2b of "schuilnaam-subkey␟<purpose>"', () => {
    expect(hex(deriveSubkey(KEY, 'integrity'))).toBe('55e105f36ce70b47dce374d596fb2f72ea5a5234d943d958868e86feeafae4f2');
  });

  it('blindIndex: keyed BLAKE2b of "<domain>␟<value>"', () => {
    expect(hex(blindIndex(KEY, 'email', 'tess.vermeulen@example.org'))).toBe(
      '1153228b495999710a447406f2444c81e2b22f37e60e4cb31628d99cd3a75e09',
    );
  });

  it('integrity row hash: keyed BLAKE2b of "schuilnaam␟1␟row␟<table>␟<row text>"', () => {
    const h = integrityHasher(KEY);
    const expected = 'b3ebfdbb2fdf29a75a55b1c91431f4341a528cefad84134683f420041d6fcddf';
    expect(hex(h.row('workers', 'integer:01,text:414243'))).toBe(expected);
    // Asked again (the table's prefix now cached) and from a second hasher: the same bytes.
    expect(hex(h.row('workers', 'integer:01,text:414243'))).toBe(expected);
    expect(hex(integrityHasher(KEY).row('workers', 'integer:01,text:414243'))).toBe(expected);
    // Another table with the same row text is another hash (the table is in the domain).
    expect(hex(h.row('cases', 'integer:01,text:414243'))).not.toBe(expected);
  });

  it('integrity seal: keyed BLAKE2b of the message alone', () => {
    expect(hex(integrityHasher(KEY).seal(utf8('seal')))).toBe('3820c6ffbe39b0283b4838fa95f99ce62dac2ff5113ed80e56d101ee124c6840');
  });

  it('the integrity hasher keeps its own copy of the key', () => {
    const k = Uint8Array.from(KEY);
    const h = integrityHasher(k);
    k.fill(0);
    expect(hex(h.seal(utf8('seal')))).toBe('3820c6ffbe39b0283b4838fa95f99ce62dac2ff5113ed80e56d101ee124c6840');
  });

  it('audit chain: unkeyed BLAKE2b of previous hash || entry, and a keyed MAC of the hash', () => {
    expect(hex(chainHash(GENESIS, utf8('entry')))).toBe('be3c084da30a980521021bd46f8df2a64a14d5ac56b74bc59a9a3311cf19b7d8');
    expect(hex(chainMac(KEY, new Uint8Array(32)))).toBe('dd081e9175db8c2ed7317715363a48445598d6f65a562f7f21581371916bec51');
    expect(hex(GENESIS)).toBe('00'.repeat(32));
  });

  it('vaultTag: first 32 hex digits of SHA-256 of "schuilnaam-session␟<vault id>"', () => {
    expect(vaultTag('0f5e2a7c-1111-4222-8333-444455556666')).toBe('75ab3971374cccc3265f895ea01401df');
  });
});

describe('equalBytes', () => {
  it('is false for different lengths (and does not throw as memcmp would)', () => {
    expect(equalBytes(new Uint8Array(32), new Uint8Array(31))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(1))).toBe(false);
  });

  it('is true for equal bytes and false for one changed byte', () => {
    const a = Uint8Array.from(KEY);
    expect(equalBytes(a, Uint8Array.from(KEY))).toBe(true);
    a[31] ^= 1;
    expect(equalBytes(a, KEY)).toBe(false);
  });
});

describe('aead failures', () => {
  it('an AuthenticationFailure says so and is named so', () => {
    const e = caught(() => open(KEY, new Uint8Array(10), associatedData('t')));
    expect(e).toBeInstanceOf(AuthenticationFailure);
    expect(e.message).toBe('ciphertext failed authentication');
    expect(e.name).toBe('AuthenticationFailure');
  });

  it('openText refuses an authentic box whose text is not UTF-8, rather than returning U+FFFD', () => {
    const ad = associatedData('workers', 'last_name', 1);
    const notUtf8 = sodium().pad(Uint8Array.from([0x42, 0xff, 0xfe, 0x43]), 32);
    const box = seal(KEY, notUtf8, ad);
    expect(open(KEY, box, ad).length).toBe(32);
    expect(caught(() => openText(KEY, box, ad))).toBeInstanceOf(AuthenticationFailure);
  });
});

describe('kdf parameter checks', () => {
  const params = (over: Partial<KdfParams>): KdfParams => ({ alg: 'argon2id13', opslimit: 2, memlimit: 19 * MiB, salt: new Uint8Array(16), ...over });

  it('accepts the bounds themselves: 8 KiB and 4 GiB of memory, 1 and 20 passes', () => {
    for (const p of [{ memlimit: 8192 }, { memlimit: 4096 * MiB }, { opslimit: 1 }, { opslimit: 20 }]) {
      expect(() => checkKdfParams(params(p), 'keyslot')).not.toThrow();
    }
    for (const p of [{ memlimit: 8191 }, { memlimit: 4096 * MiB + 1 }, { opslimit: 0 }, { opslimit: 21 }]) {
      expect(() => checkKdfParams(params(p), 'keyslot'), JSON.stringify(p)).toThrow(IntegrityError);
    }
  });

  it('text that is not JSON, or JSON that is not an object, is "unreadable" (an IntegrityError, not a SyntaxError)', () => {
    for (const text of ['{not json', '', '5', '"argon2id13"', 'null', '[2, 19]', 'true']) {
      const e = caught(() => decodeKdfParams(text, 'keyslot of user "admin"'));
      expect(e, text).toBeInstanceOf(IntegrityError);
      expect(e.message, text).toBe('keyslot of user "admin" has unreadable key-derivation parameters');
    }
  });

  it('an unknown profile name hints at the ones that exist', () => {
    const e = caught(() => kdfProfile('paranoid')) as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('unknown key-derivation profile "paranoid"');
    expect(e.hint).toBe('use one of: owasp-floor, moderate, sensitive');
  });
});

describe('keyring decoding', () => {
  it('names the problem for every malformed keyring', () => {
    for (const bytes of [new Uint8Array(0), Uint8Array.from([1]), Uint8Array.from([2, 0]), Uint8Array.from([3, 0]), Uint8Array.from([1, 1, 1])]) {
      const e = caught(() => Keyring.decode(bytes));
      expect(e).toBeInstanceOf(IntegrityError);
      expect(e.message).toBe('keyring has an unknown layout');
    }
  });

  // Format 2 (after a user was removed): each key with its epoch, and retired keys.
  const k = (b: number) => new Uint8Array(32).fill(b);
  const rotated = () => {
    const ring = Keyring.of([
      ['audit', k(1)],
      ['scan', k(2)],
    ]);
    ring.setEpoch('audit', 3);
    ring.addRetired('audit', 2, k(9));
    ring.addRetired('casefacing', 1, k(8));
    return ring;
  };

  it('format 2 keeps each key, its epoch and the retired keys through encode and decode', () => {
    const bytes = rotated().encode();
    expect(bytes[0]).toBe(2);
    expect(bytes.length).toBe(2 + 4 * 36);
    expect(Keyring.encodedLength(Uint8Array.from([...bytes, 7, 7]))).toBe(bytes.length);
    const back = Keyring.decode(bytes);
    expect(back.compartments()).toEqual(['audit', 'scan']);
    expect([back.epochOf('audit'), back.epochOf('scan')]).toEqual([3, 1]);
    expect(back.keyAt('audit', 3)).toEqual(k(1));
    expect(back.keyAt('audit', 2)).toEqual(k(9));
    expect(back.keyAt('audit', 1)).toBeUndefined();
    expect(back.keyAt('casefacing', 1)).toEqual(k(8));
    expect(back.get('casefacing')).toBeUndefined();
    expect(back.allKeysOf('audit')).toEqual([k(1), k(9)]);
    // A subset keeps only the retired keys of its compartments.
    expect(back.subset(['audit']).retiredKeys()).toEqual([['audit', 2, k(9)]]);
  });

  it('a keyring of epoch-1 keys only is still written as format 1 (what keyslots before users and roles hold)', () => {
    const ring = Keyring.of([['audit', k(1)]]);
    ring.setEpoch('audit', 1);
    expect(ring.encode()[0]).toBe(1);
    expect(Keyring.encodedLength(ring.encode())).toBe(2 + 33);
  });

  it('refuses a format-2 keyring with epoch 0, an unknown flag, two current keys of one compartment, an unknown compartment or a wrong length', () => {
    const good = rotated().encode();
    const bad = (edit: (b: Uint8Array) => Uint8Array) => caught(() => Keyring.decode(edit(Uint8Array.from(good))));
    for (const e of [
      bad((b) => ((b[3] = 0), (b[4] = 0), b)), // first entry's epoch 0
      bad((b) => ((b[5] = 2), b)), // flag neither 0 nor 1
      bad((b) => ((b[2 + 36] = b[2]!), b)), // second current key of the same compartment
      bad((b) => ((b[2] = 99), b)), // unknown compartment
      bad((b) => b.subarray(0, b.length - 1)),
    ]) {
      expect(e).toBeInstanceOf(IntegrityError);
      expect(e.message).toBe('keyring has an unknown layout');
    }
  });
});

describe('systemRandom', () => {
  it('returns exactly the length asked for, around and beyond its pool (1 KiB, 4 KiB)', () => {
    for (const n of [0, 1, 24, 1023, 1024, 1025, 2048, 4095, 4096, 4097, 5000, 16_385, 70_000]) {
      expect(systemRandom(n).length, String(n)).toBe(n);
    }
  });

  it('never hands out the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const b = hex(systemRandom(24));
      expect(seen.has(b)).toBe(false);
      seen.add(b);
    }
    const big = systemRandom(5000);
    expect(big.some((x) => x !== 0)).toBe(true);
  });
});

describe('session token parsing', () => {
  it('refuses a token with anything before or after the 64 base64url characters', () => {
    const { token } = newSessionToken(systemRandom);
    const body = token.slice('sns1_'.length);
    expect(parseSessionToken(token)).toBeDefined();
    for (const bad of [`sns1_!!${body}`, `sns1_..${body}`, `sns1_${body}!!`, `sns1_ ${body}`, `sns1_A${body}`]) {
      expect(parseSessionToken(bad), bad).toBeUndefined();
    }
  });
});

describe('sodium loading', () => {
  it('sodium() before loadSodium() resolves is a clear programming error', async () => {
    vi.resetModules();
    const fresh = await import('../../src/crypto/sodium.js');
    expect(() => fresh.sodium()).toThrow('libsodium used before loadSodium() resolved');
    const s = await fresh.loadSodium();
    expect(fresh.sodium()).toBe(s);
    expect(await fresh.loadSodium()).toBe(s);
  });
});
