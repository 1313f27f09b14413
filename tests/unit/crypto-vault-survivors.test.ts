// Exact answers that the earlier tests left open in src/crypto/user-keys.ts
// and src/vault/integrity.ts (found as surviving mutants): an empty sealed
// payload, libsodium failing inside verifyDetached, the integrity key's
// derivation label, and the seal entry a new vault starts its audit log with.
// The BLAKE2b answers were computed independently with Python's
// hashlib.blake2b(digest_size=32, key=...). Invented people only.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { associatedData } from '../../src/crypto/aead.js';
import type { IntegrityHasher } from '../../src/crypto/integrity.js';
import { loadSodium, sodium } from '../../src/crypto/sodium.js';
import { generateUserKeys, openSealed, sealTo, signDetached, verifyDetached } from '../../src/crypto/user-keys.js';
import type { VaultContext } from '../../src/vault/context.js';
import { armIntegrity } from '../../src/vault/integrity.js';
import { makeBench, readRows, type Bench } from '../helpers/inproc.js';

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 8032 section 7.1, TEST 1.
const ED25519_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const ED25519_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

let bench: Bench | undefined;

beforeAll(async () => {
  await loadSodium();
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  bench?.cleanup();
});

describe('sealTo / openSealed with an empty payload', () => {
  it('round-trips zero bytes: the box holds only the 32-byte context hash', () => {
    const user = generateUserKeys();
    const context = associatedData('schuilnaam', 1, 'grants', 'identity', 'anouk', 1);
    const box = sealTo(user.public.box, new Uint8Array(0), context);
    expect(box.length).toBe(32 + 48);
    const out = openSealed({ public: user.public.box, secret: user.secret.box }, box, context);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out.length).toBe(0);
  });
});

describe('verifyDetached when libsodium itself throws', () => {
  it('answers false (not undefined, not true) for a well-sized signature and key', () => {
    const seed = fromHex(ED25519_SEED);
    const msg = new Uint8Array([1, 2, 3]);
    const sig = signDetached(seed, msg);
    const spy = vi.spyOn(sodium(), 'crypto_sign_verify_detached').mockImplementation(() => {
      throw new Error('libsodium failure');
    });
    expect(verifyDetached(fromHex(ED25519_PUBLIC), msg, sig)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe('armIntegrity', () => {
  it('hands the store a hasher keyed with the audit key\'s "integrity" subkey', () => {
    const auditKey = Uint8Array.from({ length: 32 }, (_, i) => i);
    let hasher: IntegrityHasher | undefined;
    const ctx = {
      keyring: { has: (c: string) => c === 'audit' },
      key: (c: string) => {
        expect(c).toBe('audit');
        return auditKey;
      },
      store: {
        setIntegrityHasher: (h: IntegrityHasher) => {
          hasher = h;
        },
      },
    } as unknown as VaultContext;
    armIntegrity(ctx);
    expect(hasher).toBeDefined();
    // subkey = BLAKE2b-256("schuilnaam-subkey\x1fintegrity", key = 00 01 .. 1f)
    //        = 55e105f36ce70b47dce374d596fb2f72ea5a5234d943d958868e86feeafae4f2
    expect(hex(hasher!.seal(new TextEncoder().encode('schuilnaam seal test')))).toBe(
      'ce1a19881028c6504ada5dfa849379bf37cddb987a7f0a552e54f4b8ecb7506f',
    );
    expect(hex(hasher!.row('workers', 't:W1|x:0a0b'))).toBe('7a26790835af980926dc6e0ef2e9aebc5497098597699e643d4a4d0db7caf7f8');
  });
});

describe('a new vault\'s first audit entry', () => {
  it('is the seal: action vault.seal, subject "vault", details {"tables":17}', async () => {
    bench = makeBench('schuilnaam-cv-survivors-');
    const file = await bench.create('seal.db');
    const rows = readRows<{ seq: number; actor: string; action: string; subject: string; details: string; sealed: unknown }>(
      file,
      'SELECT seq, actor, action, subject, details, sealed FROM audit_log ORDER BY seq',
    );
    expect(rows[0]).toEqual({ seq: 1, actor: 'admin', action: 'vault.seal', subject: 'vault', details: '{"tables":17}', sealed: null });
  });
});
