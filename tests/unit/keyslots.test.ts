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
    const a = sealKeyslot(VAULT, slotHead, { keyring: keyring }, bytes(NFD), 'owasp-floor', systemRandom);
    expect(openKeyslot(VAULT, row(a.kdf, a.wrapped), bytes(NFC)).legacy).toBe(false);
    const b = sealKeyslot(VAULT, slotHead, { keyring: keyring }, bytes(NFC), 'owasp-floor', systemRandom);
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
    expect(Buffer.from((opened.payload as { keyring: Keyring }).keyring.encode())).toEqual(Buffer.from(keyring.encode()));
    // Typed in NFC it cannot open: that keyslot was sealed under other bytes.
    expect(() => openKeyslot(VAULT, legacy, bytes(NFC))).toThrow(AccessError);
  });
});

describe('what a keyslot is bound to', () => {
  beforeAll(async () => {
    await loadSodium();
  });

  const PASS = bytes('zeven zwijgzame zwaluwen');
  const sealed = () => sealKeyslot(VAULT, slotHead, { keyring: Keyring.generate(systemRandom, ['casefacing', 'scan', 'audit']) }, PASS, 'owasp-floor', systemRandom);

  it('opens with its passphrase, giving the compartments it was sealed with', () => {
    const s = sealed();
    const opened = openKeyslot(VAULT, row(s.kdf, s.wrapped), PASS);
    expect(opened.legacy).toBe(false);
    expect((opened.payload as { keyring: Keyring }).keyring.compartments().sort()).toEqual(['audit', 'casefacing', 'scan']);
  });

  it('a wrong passphrase is an AccessError naming the user, never which part was wrong', () => {
    const s = sealed();
    for (const [what, slot, vault, pass] of [
      ['passphrase', row(s.kdf, s.wrapped), VAULT, bytes('zeven zwijgzame zwaluwen ')],
      ['vault id', row(s.kdf, s.wrapped), 'fedcba9876543210fedcba9876543210', PASS],
      ['slot id', { ...row(s.kdf, s.wrapped), id: 'K-bbbbbbbb' }, VAULT, PASS],
      ['user', { ...row(s.kdf, s.wrapped), user: 'beheer2' }, VAULT, PASS],
      ['role', { ...row(s.kdf, s.wrapped), role: 'security' }, VAULT, PASS],
    ] as const) {
      try {
        openKeyslot(vault, slot as KeyslotRow, pass);
        throw new Error(`opened with another ${what}`);
      } catch (e) {
        expect(e, what).toBeInstanceOf(AccessError);
        expect((e as AccessError).message, what).toBe('wrong passphrase');
        expect((e as AccessError).hint, what).toBe(`the passphrase did not open the keyslot of user "${(slot as KeyslotRow).user}"`);
      }
    }
  });

  it('unreadable key-derivation parameters are an integrity problem, not a wrong passphrase', () => {
    const s = sealed();
    expect(() => openKeyslot(VAULT, row('{"alg":"argon2id13"}', s.wrapped), PASS)).toThrow('keyslot of user "admin" has invalid key-derivation parameters');
  });

  it('keeps the strength of the keyslot it replaces (atLeast), and the profile when that is stronger', () => {
    const keyring = Keyring.generate(systemRandom);
    const stronger = sealKeyslot(VAULT, slotHead, { keyring: keyring }, PASS, 'owasp-floor', systemRandom, { opslimit: 3, memlimit: 24 * 1024 * 1024 });
    expect(JSON.parse(stronger.kdf)).toMatchObject({ alg: 'argon2id13', opslimit: 3, memlimit: 24 * 1024 * 1024 });
    const weaker = sealKeyslot(VAULT, slotHead, { keyring: keyring }, PASS, 'owasp-floor', systemRandom, { opslimit: 1, memlimit: 8192 });
    expect(JSON.parse(weaker.kdf)).toMatchObject({ opslimit: 2, memlimit: 19 * 1024 * 1024 });
    expect((openKeyslot(VAULT, row(stronger.kdf, stronger.wrapped), PASS).payload as { keyring: Keyring }).keyring.compartments()).toHaveLength(6);
  });

  it('a keyslot whose sealed keyring is not a keyring is an integrity error (it opened, so the key was right)', () => {
    const params = newKdfParams('owasp-floor', systemRandom);
    const kek = deriveKek(PASS, params);
    const ad = associatedData('schuilnaam', CRYPTO_FORMAT, 'keyslots', 'wrapped', slotHead.id, VAULT, slotHead.user, slotHead.role);
    const odd = row(encodeKdfParams(params), seal(kek, new Uint8Array([9, 9, 9]), ad, systemRandom));
    expect(() => openKeyslot(VAULT, odd, PASS)).toThrow('keyring has an unknown layout');
  });

  it('the passphrase copy made for NFC is wiped after use; the caller\'s bytes are left alone', () => {
    for (const text of [NFD, NFC]) {
      const given = bytes(text);
      const before = Buffer.from(given);
      const keyring = Keyring.generate(systemRandom);
      const s = sealKeyslot(VAULT, slotHead, { keyring: keyring }, given, 'owasp-floor', systemRandom);
      expect(Buffer.from(given)).toEqual(before);
      openKeyslot(VAULT, row(s.kdf, s.wrapped), given);
      expect(Buffer.from(given)).toEqual(before);
    }
  });
});
