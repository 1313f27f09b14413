// One sealed field (src/vault/sealing.ts): where it may be opened, and the one
// error every failure becomes, naming the record.
import { beforeAll, describe, expect, it } from 'vitest';
import { associatedData, seal, sealText } from '../../src/crypto/aead.js';
import { systemRandom } from '../../src/crypto/random.js';
import { loadSodium } from '../../src/crypto/sodium.js';
import { IntegrityError } from '../../src/errors.js';
import { openField, openKey, sealField, sealKey, tamperError, type FieldAddress } from '../../src/vault/sealing.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
const AT: FieldAddress = { table: 'workers', column: 'last_name', rowId: 'W-3f9a' };

function integrityError(f: () => unknown): IntegrityError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IntegrityError);
    return e as IntegrityError;
  }
  throw new Error('expected an IntegrityError');
}

beforeAll(async () => {
  await loadSodium();
});

describe('sealed fields', () => {
  it('open where they were sealed', () => {
    expect(openField(KEY, sealField(KEY, 'Zwanenburgh', AT, systemRandom), AT)).toBe('Zwanenburgh');
    const key = systemRandom(32);
    expect(openKey(KEY, sealKey(KEY, key, AT, systemRandom), AT)).toEqual(key);
  });

  it('are bound to "schuilnaam", the crypto format, table, column and row, in that order', () => {
    const box = sealField(KEY, 'Zwanenburgh', AT, systemRandom);
    // Sealed by hand with the documented associated data: the same field.
    const byHand = sealText(KEY, 'Zwanenburgh', associatedData('schuilnaam', 1, 'workers', 'last_name', 'W-3f9a'), systemRandom);
    expect(openField(KEY, byHand, AT)).toBe('Zwanenburgh');
    expect(openKey(KEY, seal(KEY, Uint8Array.of(7), associatedData('schuilnaam', 1, 'workers', 'last_name', 'W-3f9a'), systemRandom), AT)).toEqual(Uint8Array.of(7));
    for (const elsewhere of [
      { ...AT, table: 'cases' },
      { ...AT, column: 'first_name' },
      { ...AT, rowId: 'W-3f9b' },
    ]) {
      const e = integrityError(() => openField(KEY, box, elsewhere));
      expect(e.message).toBe(`record ${elsewhere.rowId} (${elsewhere.table}.${elsewhere.column}) failed its integrity check: it was altered or moved from another record`);
    }
  });

  it('every failure is the same tamper error with its hint: wrong key, flipped bit, too short, missing', () => {
    const box = sealField(KEY, 'Zwanenburgh', AT, systemRandom);
    const flipped = Uint8Array.from(box);
    flipped[30]! ^= 4;
    const keyBox = sealKey(KEY, systemRandom(32), AT, systemRandom);
    const cases: [string, () => unknown][] = [
      ['wrong key', () => openField(systemRandom(32), box, AT)],
      ['flipped bit', () => openField(KEY, flipped, AT)],
      ['too short', () => openField(KEY, box.subarray(0, 20), AT)],
      ['missing', () => openField(KEY, null, AT)],
      ['key: wrong key', () => openKey(systemRandom(32), keyBox, AT)],
      ['key: missing', () => openKey(KEY, null, AT)],
      ['key: too short', () => openKey(KEY, keyBox.subarray(0, 30), AT)],
    ];
    for (const [what, f] of cases) {
      const e = integrityError(f);
      expect(e.message, what).toBe(tamperError(AT).message);
      expect(e.hint, what).toBe('run "schuilnaam verify" and restore the vault from a backup');
    }
  });

  it('a key of the wrong size is a tamper error too (libsodium throws a TypeError)', () => {
    const box = sealField(KEY, 'Zwanenburgh', AT, systemRandom);
    expect(integrityError(() => openField(new Uint8Array(16), box, AT)).message).toBe(tamperError(AT).message);
  });

  it('a field is padded: a short and a long surname give boxes of one length', () => {
    expect(sealField(KEY, 'Bos', AT, systemRandom).length).toBe(sealField(KEY, 'Zwanenburgh-Hollewand', AT, systemRandom).length);
  });
});
