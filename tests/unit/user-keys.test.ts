// A user's own key pairs (src/crypto/user-keys.ts): the X25519 and Ed25519
// answers are the RFC 7748 and RFC 8032 test vectors, and the fingerprint was
// computed independently with Python's hashlib.blake2b (digest_size = 10).
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationFailure, associatedData } from '../../src/crypto/aead.js';
import { loadSodium, sodium } from '../../src/crypto/sodium.js';
import { fingerprint, generateUserKeys, openSealed, publicKeysOf, sealTo, signDetached, verifyDetached } from '../../src/crypto/user-keys.js';

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 7748 section 6.1 (Alice) and RFC 8032 section 7.1 (TEST 1).
const X25519_SECRET = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const X25519_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const ED25519_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const ED25519_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const ED25519_EMPTY_SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

/** A random source handing out the given bytes in order. */
function script(...chunks: string[]) {
  const queue = chunks.map(fromHex);
  return (n: number) => {
    const next = queue.shift()!;
    expect(next.length).toBe(n);
    return next;
  };
}

beforeAll(async () => {
  await loadSodium();
});

describe('user key pairs', () => {
  it('derive the RFC public keys from the random bytes drawn (box first, then sign)', () => {
    const keys = generateUserKeys(script(X25519_SECRET, ED25519_SEED));
    expect(hex(keys.public.box)).toBe(X25519_PUBLIC);
    expect(hex(keys.public.sign)).toBe(ED25519_PUBLIC);
    expect(hex(keys.secret.box)).toBe(X25519_SECRET);
    expect(hex(keys.secret.sign)).toBe(ED25519_SEED);
    expect(publicKeysOf(keys.secret)).toEqual(keys.public);
  });

  it('differ for every user made from the system random source', () => {
    const a = generateUserKeys();
    const b = generateUserKeys();
    expect(hex(a.public.box)).not.toBe(hex(b.public.box));
    expect(hex(a.public.sign)).not.toBe(hex(b.public.sign));
  });

  it('have a fingerprint of four groups of four, the same for the same keys', () => {
    const keys = generateUserKeys(script(X25519_SECRET, ED25519_SEED));
    expect(fingerprint(keys.public)).toBe('pp5c-ey29-y7mh-4q3u');
    const other = generateUserKeys();
    expect(fingerprint(other.public)).toMatch(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/u);
    expect(fingerprint(other.public)).not.toBe('pp5c-ey29-y7mh-4q3u');
  });
});

describe('signatures', () => {
  it('match RFC 8032 and verify only for the same key and message', () => {
    const seed = fromHex(ED25519_SEED);
    const pk = fromHex(ED25519_PUBLIC);
    expect(hex(signDetached(seed, new Uint8Array(0)))).toBe(ED25519_EMPTY_SIG);
    const msg = associatedData('grant', 'identity', 'anouk');
    const sig = signDetached(seed, msg);
    expect(verifyDetached(pk, msg, sig)).toBe(true);
    expect(verifyDetached(pk, associatedData('grant', 'identity', 'anoek'), sig)).toBe(false);
    expect(verifyDetached(generateUserKeys().public.sign, msg, sig)).toBe(false);
    const flipped = sig.slice();
    flipped[10]! ^= 1;
    expect(verifyDetached(pk, msg, flipped)).toBe(false);
  });

  it('of the wrong size, or with a key of the wrong size, are refused without an error', () => {
    const seed = fromHex(ED25519_SEED);
    const pk = fromHex(ED25519_PUBLIC);
    const sig = signDetached(seed, new Uint8Array([1]));
    expect(verifyDetached(pk, new Uint8Array([1]), sig.subarray(0, 63))).toBe(false);
    expect(verifyDetached(pk, new Uint8Array([1]), new Uint8Array([...sig, 0]))).toBe(false);
    expect(verifyDetached(pk.subarray(0, 31), new Uint8Array([1]), sig)).toBe(false);
    expect(verifyDetached(new Uint8Array(0), new Uint8Array([1]), new Uint8Array(0))).toBe(false);
  });
});

describe('keys sealed to a user', () => {
  const context = associatedData('schuilnaam', 1, 'grants', 'identity', 'anouk', 1);

  it('open with that user\'s keys and the same context, giving the bytes back', () => {
    const user = generateUserKeys();
    const key = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
    const box = sealTo(user.public.box, key, context);
    expect(box.length).toBe(32 + 32 + 48); // context hash + key + crypto_box_seal overhead
    expect(openSealed({ public: user.public.box, secret: user.secret.box }, box, context)).toEqual(key);
    expect(Array.from(key)).toEqual(Array.from({ length: 32 }, (_, i) => 200 - i));
  });

  it('fail for another user, another context, or a changed byte, with the same error', () => {
    const user = generateUserKeys();
    const other = generateUserKeys();
    const box = sealTo(user.public.box, new Uint8Array([7, 7, 7]), context);
    const attempts: [string, () => unknown][] = [
      ['another user', () => openSealed({ public: other.public.box, secret: other.secret.box }, box, context)],
      ['another context', () => openSealed({ public: user.public.box, secret: user.secret.box }, box, associatedData('schuilnaam', 1, 'grants', 'casefacing', 'anouk', 1))],
      ['a changed byte', () => {
        const bad = box.slice();
        bad[bad.length - 1]! ^= 1;
        return openSealed({ public: user.public.box, secret: user.secret.box }, bad, context);
      }],
      ['a cut box', () => openSealed({ public: user.public.box, secret: user.secret.box }, box.subarray(0, 40), context)],
    ];
    for (const [what, attempt] of attempts) expect(attempt, what).toThrow(AuthenticationFailure);
  });

  it('fail when the sealed content is shorter than the context hash', () => {
    const user = generateUserKeys();
    // Sealed without the context prefix, as some other tool would.
    const box = sodium().crypto_box_seal(new Uint8Array(31), user.public.box);
    expect(() => openSealed({ public: user.public.box, secret: user.secret.box }, box, context)).toThrow(AuthenticationFailure);
  });
});
