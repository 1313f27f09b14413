// Keyslots and the NFC rule: new keyslots are sealed under the passphrase's
// NFC form; a keyslot sealed before the rule (under the exact bytes given)
// keeps opening with those bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import { associatedData, seal } from '../../src/crypto/aead.js';
import { deriveKek, encodeKdfParams, newKdfParams } from '../../src/crypto/kdf.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { systemRandom } from '../../src/crypto/random.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { AccessError } from '../../src/errors.js';
import type { KeyslotRow } from '../../src/store/store.js';
import { CRYPTO_FORMAT } from '../../src/vault/deps.js';
import { openKeyslot, passphraseForms, sealKeyslot } from '../../src/vault/keyslots.js';

const VAULT = '0123456789abcdef0123456789abcdef';
const NFC = 'Joukje eet één crème brûlée';
const NFD = NFC.normalize('NFD');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const slotHead = { id: 'K-aaaaaaaa', user: 'admin', role: 'admin' };

function row(kdf: string, wrapped: Uint8Array): KeyslotRow {
  return { ...slotHead, kdf, wrapped, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' } as KeyslotRow;
}

describe('keyslots and Unicode normalisation', () => {
  beforeAll(async () => {
    await loadSodium();
  });

  it('passphraseForms: NFC first, then the bytes as given; one form when already NFC or not UTF-8', () => {
    expect(passphraseForms(bytes(NFC)).map((b) => Buffer.from(b).toString('utf8'))).toEqual([NFC]);
    expect(passphraseForms(bytes(NFD)).map((b) => Buffer.from(b).toString('utf8'))).toEqual([NFC, NFD]);
    expect(passphraseForms(new Uint8Array([0xff, 0x41]))).toHaveLength(1);
  });

  it('a new keyslot sealed from NFD bytes opens with NFC bytes, and the other way round', () => {
    const keyring = Keyring.generate(systemRandom);
    const a = sealKeyslot(VAULT, slotHead, keyring, bytes(NFD), 'owasp-floor', systemRandom);
    expect(openKeyslot(VAULT, row(a.kdf, a.wrapped), bytes(NFC)).legacy).toBe(false);
    const b = sealKeyslot(VAULT, slotHead, keyring, bytes(NFC), 'owasp-floor', systemRandom);
    expect(openKeyslot(VAULT, row(b.kdf, b.wrapped), bytes(NFD)).legacy).toBe(false);
  });

  it('a keyslot sealed under raw NFD bytes (before the rule) still opens with them, flagged as legacy', () => {
    const keyring = Keyring.generate(systemRandom);
    const params = newKdfParams('owasp-floor', systemRandom);
    // As the code before the NFC rule sealed it: the KEK from the bytes as given.
    const kek = deriveKek(bytes(NFD), params);
    const ad = associatedData('schuilnaam', CRYPTO_FORMAT, 'keyslots', 'wrapped', slotHead.id, VAULT, slotHead.user, slotHead.role);
    const legacy = row(encodeKdfParams(params), seal(kek, keyring.encode(), ad, systemRandom));
    const opened = openKeyslot(VAULT, legacy, bytes(NFD));
    expect(opened.legacy).toBe(true);
    expect(Buffer.from(opened.keyring.encode())).toEqual(Buffer.from(keyring.encode()));
    // Typed in NFC it cannot open: that keyslot was sealed under other bytes.
    expect(() => openKeyslot(VAULT, legacy, bytes(NFC))).toThrow(AccessError);
  });
});
