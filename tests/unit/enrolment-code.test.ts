// Enrolment codes and the base32 people type: exact encodings, what is
// accepted as typed, what is refused, and the keys derived from a code.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base32, fromBase32, groupsOfFour } from '../../src/crypto/base32.js';
import { enrolmentKeys, newEnrolmentCode, parseEnrolmentCode } from '../../src/crypto/enrolment-code.js';
import { loadSodium } from '../../src/crypto/sodium.js';

beforeAll(async () => {
  await loadSodium();
});

const bytes = (...b: number[]) => new Uint8Array(b);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('base32', () => {
  it('encodes five bits a character, most significant first, in its own alphabet', () => {
    expect(base32(bytes(0, 0, 0, 0, 0))).toBe('aaaaaaaa');
    expect(base32(bytes(255, 255, 255, 255, 255))).toBe('99999999');
    // 00000 00001 00010 00011 00100 00101 00110 00111 = 0x00 0x44 0x32 0x14 0xc7
    expect(base32(bytes(0x00, 0x44, 0x32, 0x14, 0xc7))).toBe('abcdefgh');
    // 01000 … 01111: i j k m n p q r (no l, no o)
    expect(base32(bytes(0x42, 0x54, 0xb6, 0x35, 0xcf))).toBe('ijkmnpqr');
    // 11000 … 11111: 2 3 4 5 6 7 8 9 (no 0, no 1)
    expect(base32(bytes(0xc6, 0x75, 0xbe, 0x77, 0xdf))).toBe('23456789');
  });

  it('drops bits that do not fill a character', () => {
    expect(base32(bytes(0xff))).toBe('9');
    expect(base32(bytes())).toBe('');
  });

  it('decodes what it encodes, for any whole number of 5-byte groups', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }).chain((n) => fc.uint8Array({ minLength: n * 5, maxLength: n * 5 })), (b) => {
        expect(fromBase32(base32(b))).toEqual(b);
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('refuses a length that is not a multiple of 8, and characters outside the alphabet', () => {
    expect(fromBase32('aaaaaaa')).toBeUndefined();
    for (const bad of ['l', 'o', '0', '1', 'A', '-', ' ', 'é']) expect(fromBase32('aaaaaaa' + bad), bad).toBeUndefined();
  });

  it('groups by four, the last group shorter when it must be', () => {
    expect(groupsOfFour('abcdefgh')).toBe('abcd-efgh');
    expect(groupsOfFour('abcdefghij')).toBe('abcd-efgh-ij');
  });
});

describe('enrolment codes', () => {
  it('are 160 random bits, shown as 8 groups of 4 characters', () => {
    const calls: number[] = [];
    const code = newEnrolmentCode((n) => (calls.push(n), new Uint8Array(n).fill(0x42)));
    expect(calls).toEqual([20]);
    // 0x42 0x42 0x42 0x42 0x42 = 01000 01001 00001 00100 00100 10000 10010 00010
    expect(code).toBe('ijbe-esuc-ijbe-esuc-ijbe-esuc-ijbe-esuc');
    expect(parseEnrolmentCode(code)).toEqual(new Uint8Array(20).fill(0x42));
  });

  it('are read as typed: any case, with or without dashes, spaces or a line break', () => {
    const want = new Uint8Array(20).fill(0x42);
    for (const typed of ['IJBE-ESUC-IJBE-ESUC-IJBE-ESUC-IJBE-ESUC', 'ijbeesucijbeesucijbeesucijbeesuc', ' ijbe esuc ijbe esuc\nijbe esuc ijbe esuc\n', 'ijbe--esuc-ijbe-esuc-ijbe-esuc-ijbe-esuc']) {
      expect(parseEnrolmentCode(typed), typed).toEqual(want);
    }
  });

  it('a code one character short or long, or with a look-alike, is not a code', () => {
    for (const typed of ['ijbe-esuc-ijbe-esuc-ijbe-esuc-ijbe-esu', 'ijbe-esuc-ijbe-esuc-ijbe-esuc-ijbe-esuca', 'ijbe-esuc-ijbe-esuc-ijbe-esuc-ijbe-esu0', 'ijbe-esuc-ijbe-esuc-ijbe-esuc-ijbe-esul', '']) {
      expect(parseEnrolmentCode(typed), typed).toBeUndefined();
    }
  });

  it('give two different 32-byte keys, fixed for a code, different for another code', () => {
    const a = enrolmentKeys(new Uint8Array(20).fill(0x42));
    expect(a.box).toHaveLength(32);
    expect(a.check).toHaveLength(32);
    expect(hex(a.box)).not.toBe(hex(a.check));
    expect(enrolmentKeys(new Uint8Array(20).fill(0x42))).toEqual(a);
    const b = enrolmentKeys(new Uint8Array(20).fill(0x43));
    expect(hex(b.box)).not.toBe(hex(a.box));
    expect(hex(b.check)).not.toBe(hex(a.check));
  });
});
