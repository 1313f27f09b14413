// The format-2 keyslot payload: its exact bytes, and every other layout refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../src/crypto/sodium.js';
import { decodeUserSecrets, encodeUserSecrets, wipeUserSecrets } from '../../src/crypto/user-secrets.js';
import { IntegrityError } from '../../src/errors.js';

const fill = (v: number) => new Uint8Array(32).fill(v);

beforeAll(async () => {
  await loadSodium();
});

describe('user secrets in a keyslot', () => {
  it('are the version byte 2, then the box secret, the signing seed and the organisation key', () => {
    const bytes = encodeUserSecrets({ keys: { box: fill(1), sign: fill(2) }, orgSign: fill(3) });
    expect([...bytes]).toEqual([2, ...fill(1), ...fill(2), ...fill(3)]);
    expect(decodeUserSecrets(bytes)).toEqual({ keys: { box: fill(1), sign: fill(2) }, orgSign: fill(3) });
  });

  it('decoded keys are copies: wiping them leaves the bytes they came from alone', () => {
    const bytes = encodeUserSecrets({ keys: { box: fill(1), sign: fill(2) }, orgSign: fill(3) });
    const s = decodeUserSecrets(bytes);
    wipeUserSecrets(s);
    expect(s.keys).toEqual({ box: fill(0), sign: fill(0) });
    expect(s.orgSign).toEqual(fill(3));
    expect(decodeUserSecrets(bytes).keys.box).toEqual(fill(1));
  });

  it('another version, one byte more or less, or a format-1 keyring is an unknown layout', () => {
    const good = encodeUserSecrets({ keys: { box: fill(1), sign: fill(2) }, orgSign: fill(3) });
    const bad = [good.slice(0, 96), new Uint8Array([...good, 0]), new Uint8Array([1, ...good.subarray(1)]), new Uint8Array([3, ...good.subarray(1)]), new Uint8Array([1, 0])];
    for (const b of bad) {
      expect(() => decodeUserSecrets(b)).toThrow(IntegrityError);
      expect(() => decodeUserSecrets(b)).toThrow('keyslot has an unknown layout');
    }
  });
});
