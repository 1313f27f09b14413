// Pure tests of the pseudonym generators: check characters, codes, weighted
// name draws, name lists, and the name forms used for resemblance and
// uniqueness. Invented people only.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_ALPHABET, isValidLuhnModN, luhnModN } from '../../src/core/check-char.js';
import { foldName, resemblanceKey, surnameCores, surnameKeys } from '../../src/core/name-forms.js';
import {
  drawCode,
  drawName,
  isValidCode,
  isValidCodePrefix,
  looksLikeCode,
  parseNameList,
  pseudonymKey,
  WeightedPool,
  type NamePools,
  type Random,
} from '../../src/core/pseudonym-gen.js';
import { loadNamePools } from '../../src/formats/name-lists.js';

// --- helpers ----------------------------------------------------------------

/** A repeatable random byte source (SHA-256 in counter mode over a seed). */
function seeded(seed: number | string): Random {
  let counter = 0;
  let buf = Buffer.alloc(0);
  return (n) => {
    while (buf.length < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      buf = Buffer.concat([buf, block]);
    }
    const out = new Uint8Array(buf.subarray(0, n));
    buf = buf.subarray(n);
    return out;
  };
}

/** A random source that returns the given uint32 values, big-endian, one per 4-byte request. */
function fixedUint32(...values: number[]): Random {
  let i = 0;
  return (n) => {
    expect(n).toBe(4);
    const v = values[i++ % values.length]! >>> 0;
    return new Uint8Array([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
  };
}

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const UPPER_ALNUM = DIGITS + LETTERS;

const DATA = new URL('../../data/names/', import.meta.url);
const readTsv = (file: string) =>
  fs
    .readFileSync(new URL(file, DATA), 'utf8')
    .split(/\r?\n/u)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
const FIRST_ROWS = readTsv('first-names.tsv'); // name, gender, weight, source
const SURNAME_ROWS = readTsv('surnames.tsv'); // surname, weight, source
const FIRST_NAMES = new Map(FIRST_ROWS.map((r) => [r[0]!, r[1]!]));
const SURNAMES = new Set(SURNAME_ROWS.map((r) => r[0]!));

/** Dutch initials computed independently of src: "IJsbrand" -> "IJ.", "Anne-Sophie" -> "A.S.". */
function expectedInitials(first: string): string {
  return first
    .split(/[\s-]+/u)
    .filter(Boolean)
    .map((p) => (/^ij/iu.test(p) ? 'IJ.' : p[0]!.toUpperCase() + '.'))
    .join('');
}

// Any prefix the team settings accept (whatever isValidCodePrefix allows today).
const prefixArb = fc
  .array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 4 })
  .map((a) => a.join(''))
  .filter((p) => isValidCodePrefix(p));
const codeArb = fc.record({
  prefix: prefixArb,
  digits: fc.integer({ min: 3, max: 9 }),
  bytes: fc.uint8Array({ minLength: 4, maxLength: 4 }),
});
const bodyArb = fc.array(fc.constantFrom(...CHECK_ALPHABET), { minLength: 1, maxLength: 16 }).map((a) => a.join(''));

// --- Luhn mod 34 ------------------------------------------------------------

describe('Luhn mod 34 check character (check-char.ts)', () => {
  it('uses 0-9 and A-Z without I and O (they read as 1 and 0)', () => {
    expect(CHECK_ALPHABET).toHaveLength(34);
    expect(new Set(CHECK_ALPHABET).size).toBe(34);
    for (const c of 'IO') expect(CHECK_ALPHABET).not.toContain(c);
    for (const c of 'LU') expect(CHECK_ALPHABET).toContain(c);
  });

  it('matches hand-computed values', () => {
    // "1": factor 2 -> 2 -> check (34 - 2) % 34 = 32 -> "Y".
    expect(luhnModN('1')).toBe('Y');
    // "0": sum 0 -> "0".
    expect(luhnModN('0')).toBe('0');
    // "Z" (33): 66 -> 1 + 32 = 33 -> check 1 -> "1".
    expect(luhnModN('Z')).toBe('1');
    // "12": from the right, "2" is doubled (4), "1" is not (1): sum 5 -> check 29 -> "V".
    expect(luhnModN('12')).toBe('V');
  });

  it('appending the check character always gives a valid string (property)', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        expect(isValidLuhnModN(body + luhnModN(body))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects strings too short or with characters outside the alphabet', () => {
    expect(isValidLuhnModN('')).toBe(false);
    expect(isValidLuhnModN('0')).toBe(false);
    expect(isValidLuhnModN('JB4821' + '-')).toBe(false);
    expect(isValidLuhnModN('jb4821' + luhnModN('JB4821'))).toBe(false);
    expect(() => luhnModN('-')).toThrow(RangeError);
    expect(() => luhnModN('a')).toThrow(RangeError);
  });

  it('detects every single-character substitution anywhere (property)', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        const full = body + luhnModN(body);
        for (let i = 0; i < full.length; i++) {
          for (const c of CHECK_ALPHABET) {
            if (c === full[i]) continue;
            const typo = full.slice(0, i) + c + full.slice(i + 1);
            if (isValidLuhnModN(typo)) throw new Error(`substitution ${full} -> ${typo} not detected`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('detects every adjacent transposition except 0<->Z (the known blind spot of Luhn mod N: values 0 and N-1)', () => {
    // Exhaustive over all ordered pairs, in every position of a random context.
    const missed = new Set<string>();
    const rnd = seeded('transpose');
    for (let trial = 0; trial < 40; trial++) {
      const ctxBytes = rnd(12);
      const ctx = [...ctxBytes].map((b) => CHECK_ALPHABET[b % 34]!);
      const at = trial % 11; // where the pair sits in the body
      for (const a of CHECK_ALPHABET) {
        for (const b of CHECK_ALPHABET) {
          if (a === b) continue;
          const body = [...ctx.slice(0, at), a, b, ...ctx.slice(at + 2)].join('');
          const full = body + luhnModN(body);
          const swapped = full.slice(0, at) + b + a + full.slice(at + 2);
          if (isValidLuhnModN(swapped)) missed.add([a, b].sort().join(''));
        }
      }
      // A pair that straddles the check character: last body character and the check.
      const body = ctx.join('');
      const full = body + luhnModN(body);
      const n = full.length;
      if (full[n - 2] !== full[n - 1]) {
        const swapped = full.slice(0, n - 2) + full[n - 1] + full[n - 2];
        if (isValidLuhnModN(swapped)) missed.add([full[n - 2]!, full[n - 1]!].sort().join(''));
      }
    }
    // Documented rate: 1 of the C(34,2) = 561 unordered pairs of distinct characters.
    expect([...missed]).toEqual(['0Z']);
  });

  it('the 0<->Z blind spot never affects codes: digits are 0-9 and a transposed code no longer has the code shape', () => {
    // Construct a code body whose check character is "Z" after a trailing "0", and one with prefix ending in Z before a 0.
    let found = 0;
    for (let n = 0; n < 10_000 && found < 3; n++) {
      const number = String(n).padStart(4, '0');
      if (!number.endsWith('0')) continue;
      const check = luhnModN('JB' + number);
      if (check !== 'Z') continue;
      found++;
      const code = `JB-${number}-Z`;
      expect(isValidCode(code)).toBe(true);
      const swapped = `JB-${number.slice(0, -1)}Z-0`;
      expect(isValidCode(swapped)).toBe(false);
      expect(isValidCode(swapped.replace(/-/gu, ''))).toBe(false);
    }
    expect(found).toBeGreaterThan(0);
  });
});

// --- codes ------------------------------------------------------------------

describe('drawCode / isValidCode', () => {
  it('draws codes of the shape PREFIX-DIGITS-CHECK with a valid check character (property)', () => {
    fc.assert(
      fc.property(codeArb, ({ prefix, digits, bytes }) => {
        const c = drawCode(prefix, digits, () => bytes);
        expect(c.style).toBe('code');
        expect(c.name).toMatch(new RegExp(`^[A-Z]{1,4}-\\d{${digits}}-[0-9A-Z]$`, 'u'));
        expect(c.name.startsWith(prefix + '-')).toBe(true);
        expect(c.formal).toBe(c.name);
        expect(c.surnameKeys).toEqual([]);
        const [p, num, check] = c.name.split('-') as [string, string, string];
        expect(check).toBe(luhnModN(p + num));
        expect(isValidCode(c.name)).toBe(true);
        expect(isValidCode(c.name.replace(/-/gu, ''))).toBe(true);
        expect(isValidCode(c.name.toLowerCase())).toBe(true);
        expect(looksLikeCode(c.name)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('draws the number from a big-endian uint32 modulo 10^digits', () => {
    expect(drawCode('JB', 4, fixedUint32(4821)).name).toBe(`JB-4821-${luhnModN('JB4821')}`);
    expect(drawCode('JB', 4, fixedUint32(14821)).name).toBe(`JB-4821-${luhnModN('JB4821')}`);
    expect(drawCode('JB', 4, fixedUint32(7)).name).toBe(`JB-0007-${luhnModN('JB0007')}`);
    expect(drawCode('K', 3, fixedUint32(0)).name).toBe(`K-000-${luhnModN('K000')}`);
  });

  /** Every substitution of one character in the given part of a drawn code is rejected. */
  const substitutionsCaught =
    (where: 'prefix' | 'digits or check') =>
    ({ prefix, digits, bytes }: { prefix: string; digits: number; bytes: Uint8Array }) => {
      const code = drawCode(prefix, digits, () => bytes).name;
      const checkAt = code.length - 1;
      for (let i = 0; i < code.length; i++) {
        if (code[i] === '-') continue;
        const isPrefix = i < prefix.length;
        if (isPrefix !== (where === 'prefix')) continue;
        const alphabet = isPrefix ? LETTERS : i === checkAt ? UPPER_ALNUM : DIGITS;
        for (const c of alphabet) {
          if (c === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          if (isValidCode(typo)) throw new Error(`isValidCode accepted the typo ${typo} of ${code}`);
          const raw = typo.replace(/-/gu, '');
          if (isValidCode(raw)) throw new Error(`isValidCode accepted the typo ${raw} of ${code}`);
          // The raw check over prefix+digits+check catches it too.
          if (isValidLuhnModN(raw)) throw new Error(`isValidLuhnModN accepted the typo ${raw} of ${code}`);
        }
      }
    };

  it('catches every single-character substitution in the digits or the check character (property)', () => {
    fc.assert(fc.property(codeArb, substitutionsCaught('digits or check')), { numRuns: 300 });
  });

  it('catches every single-character substitution in the prefix, by any capital letter (property)', () => {
    // A typo that passes the check but is not the issued code (pseudonymKey differs) is neither caught nor found.
    fc.assert(fc.property(codeArb, substitutionsCaught('prefix')), { numRuns: 300 });
  });

  it('catches every adjacent transposition of two different digits, also digit<->digit check character (property)', () => {
    fc.assert(
      fc.property(codeArb, ({ prefix, digits, bytes }) => {
        const code = drawCode(prefix, digits, () => bytes).name;
        const raw = code.replace(/-/gu, '');
        // positions in raw of digits, and of the check character when it is a digit
        for (let i = 0; i < raw.length - 1; i++) {
          const a = raw[i]!;
          const b = raw[i + 1]!;
          if (a === b || !DIGITS.includes(a) || !DIGITS.includes(b)) continue;
          const swapped = raw.slice(0, i) + b + a + raw.slice(i + 2);
          if (isValidLuhnModN(swapped)) throw new Error(`transposition ${raw} -> ${swapped} not detected`);
          if (isValidCode(swapped)) throw new Error(`isValidCode accepted transposition ${raw} -> ${swapped}`);
          // and with the dashes where the original had them
          const dashed = `${swapped.slice(0, prefix.length)}-${swapped.slice(prefix.length, -1)}-${swapped.slice(-1)}`;
          if (isValidCode(dashed)) throw new Error(`isValidCode accepted transposition ${code} -> ${dashed}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every one of the 90 ordered pairs of different digits is caught when transposed (exhaustive)', () => {
    for (const a of DIGITS) {
      for (const b of DIGITS) {
        if (a === b) continue;
        for (const number of [`${a}${b}00`, `0${a}${b}0`, `00${a}${b}`]) {
          const code = `JB-${number}-${luhnModN('JB' + number)}`;
          const i = 3 + number.indexOf(a + b);
          const swapped = code.slice(0, i) + b + a + code.slice(i + 2);
          expect(isValidCode(swapped), `${code} -> ${swapped}`).toBe(false);
        }
      }
    }
  });

  it('rejects malformed codes', () => {
    const good = drawCode('JB', 4, fixedUint32(4821)).name;
    expect(isValidCode(good)).toBe(true);
    expect(isValidCode('JB-48-' + luhnModN('JB48'))).toBe(false); // fewer than 3 digits
    expect(isValidCode('JBXYZ-4821-' + luhnModN('JBXYZ4821'))).toBe(false); // prefix longer than 4
    expect(isValidCode('-4821-' + luhnModN('4821'))).toBe(false);
    expect(isValidCode('')).toBe(false);
    expect(isValidCode('Eva Smit')).toBe(false);
  });

  it('isValidCodePrefix takes 1-4 capital letters', () => {
    for (const p of ['J', 'JB', 'KBZ', 'ABCD']) expect(isValidCodePrefix(p)).toBe(true);
    for (const p of ['', 'ABCDE', 'jb', 'J1', 'J-B', 'JÉ', ' JB']) expect(isValidCodePrefix(p)).toBe(false);
  });
});

// --- weighted pools and name lists -----------------------------------------

describe('WeightedPool', () => {
  it('draws a 1/2/7 pool in proportion to the weights (chi-square over 20,000 seeded draws)', () => {
    const pool = new WeightedPool([
      { value: 'a', weight: 1 },
      { value: 'b', weight: 2 },
      { value: 'c', weight: 7 },
    ]);
    expect(pool.total).toBe(10);
    const random = seeded(20240517);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const N = 20_000;
    for (let i = 0; i < N; i++) counts[pool.draw(random)]!++;
    const expected = { a: N * 0.1, b: N * 0.2, c: N * 0.7 };
    let chi2 = 0;
    for (const k of ['a', 'b', 'c'] as const) {
      chi2 += (counts[k]! - expected[k]) ** 2 / expected[k];
      expect(Math.abs(counts[k]! / N - expected[k] / N)).toBeLessThan(0.015);
    }
    // df = 2: the 0.1% critical value is 13.8.
    expect(chi2).toBeLessThan(13.8);
  });

  it('maps the ends of the uint32 range to the first and last entries, skipping weight 0', () => {
    const pool = new WeightedPool([
      { value: 'zero', weight: 0 },
      { value: 'a', weight: 1 },
      { value: 'neg', weight: -5 },
      { value: 'b', weight: 1 },
    ]);
    expect(pool.total).toBe(2);
    expect(pool.draw(fixedUint32(0))).toBe('a');
    expect(pool.draw(fixedUint32(0x7fff_ffff))).toBe('a');
    expect(pool.draw(fixedUint32(0x8000_0000))).toBe('b');
    expect(pool.draw(fixedUint32(0xffff_ffff))).toBe('b');
  });

  it('never draws an entry of weight <= 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3, max: 5 }), { minLength: 1, maxLength: 12 }).filter((ws) => ws.some((w) => w > 0)),
        fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { minLength: 1, maxLength: 50 }),
        (weights, draws) => {
          const pool = new WeightedPool(weights.map((w, i) => ({ value: String(i), weight: w })));
          const random = fixedUint32(...draws);
          for (let k = 0; k < draws.length; k++) {
            const v = Number(pool.draw(random));
            expect(weights[v]).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an empty pool', () => {
    expect(() => new WeightedPool([])).toThrow(RangeError);
  });
});

describe('parseNameList', () => {
  it('skips comments, blank lines and lines without a positive finite weight; trims names', () => {
    const text = [
      '# name\tweight',
      '',
      '   ',
      'Anouk\t10\tsrc',
      '#Bart\t10',
      'Cato \t 3 \tsrc',
      'Daan\t0',
      'Eef\t-1',
      'Fenna\tveel',
      'Gijs',
      'Hidde\t',
      '\t5',
      'Iris\tInfinity',
      'Jip\tNaN',
      'Kees\t2.5\r',
      'van den Laan\t7',
    ].join('\r\n');
    expect(parseNameList(text, 1)).toEqual([
      { value: 'Anouk', weight: 10 },
      { value: 'Cato', weight: 3 },
      { value: 'Kees', weight: 2.5 },
      { value: 'van den Laan', weight: 7 },
    ]);
  });

  it('reads the weight from the given column', () => {
    expect(parseNameList('Noor\tf\t40\tx\nSem\tm\t60\tx\n', 2)).toEqual([
      { value: 'Noor', weight: 40 },
      { value: 'Sem', weight: 60 },
    ]);
  });

  it('never yields an empty name (a line whose name column is only spaces is a bad line)', () => {
    expect(parseNameList('   \t5\nLotte\t1', 1)).toEqual([{ value: 'Lotte', weight: 1 }]);
  });

  it('parses the bundled lists completely: every data line, with its weight', () => {
    const pools = loadNamePools();
    expect(pools.firstNames.entries).toHaveLength(FIRST_ROWS.length);
    expect(pools.surnames.entries).toHaveLength(SURNAME_ROWS.length);
    expect(pools.firstNames.entries.map((e) => e.value)).toEqual(FIRST_ROWS.map((r) => r[0]));
    expect(pools.firstNames.entries.map((e) => e.weight)).toEqual(FIRST_ROWS.map((r) => Number(r[2])));
    expect(pools.surnames.entries.map((e) => e.weight)).toEqual(SURNAME_ROWS.map((r) => Number(r[1])));
  });
});

// --- drawName ----------------------------------------------------------------

describe('drawName', () => {
  const pools = loadNamePools();

  it('takes a first name from first-names.tsv and a surname from surnames.tsv; formal = initials + surname (property)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seeded(seed);
        for (let i = 0; i < 20; i++) {
          const c = drawName(pools, random);
          expect(c.style).toBe('name');
          const splits = [...c.name.matchAll(/ /gu)].map((m) => m.index!);
          const match = splits.map((at) => [c.name.slice(0, at), c.name.slice(at + 1)] as const).find(([f, s]) => FIRST_NAMES.has(f) && SURNAMES.has(s));
          expect(match, c.name).toBeDefined();
          const [first, surname] = match!;
          expect(c.formal).toBe(`${expectedInitials(first)} ${surname}`);
          expect(c.surnameKeys.length).toBeGreaterThan(0);
          // The keys are those of the surname's core, without its prefix.
          const formalSurname = c.formal.slice(c.formal.indexOf(' ') + 1);
          expect(formalSurname).toBe(surname);
          const keysFromSurname = surnameKeys('', surname);
          expect(new Set(c.surnameKeys)).toEqual(new Set(keysFromSurname));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('draws from both genders and the gender-neutral names', () => {
    const random = seeded('genders');
    const seen = { f: 0, m: 0, n: 0 } as Record<string, number>;
    for (let i = 0; i < 6_000; i++) {
      const c = drawName(pools, random);
      const first = [...FIRST_NAMES.keys()].find((f) => c.name.startsWith(f + ' ') && SURNAMES.has(c.name.slice(f.length + 1)));
      seen[FIRST_NAMES.get(first!)!]!++;
    }
    expect(seen.f).toBeGreaterThan(1_000);
    expect(seen.m).toBeGreaterThan(1_000);
    expect(seen.n).toBeGreaterThan(20);
  });

  const tiny = (first: string, surname: string): NamePools => ({
    firstNames: new WeightedPool([{ value: first, weight: 1 }]),
    surnames: new WeightedPool([{ value: surname, weight: 1 }]),
  });

  it('formal forms: IJ stays one initial, hyphenated first names give two, prefixes stay with the surname', () => {
    const r = seeded(1);
    expect(drawName(tiny('IJsbrand', 'van der Veldhoven'), r)).toEqual({
      style: 'name',
      name: 'IJsbrand van der Veldhoven',
      formal: 'IJ. van der Veldhoven',
      surnameKeys: ['veldhoven'],
    });
    expect(drawName(tiny('Anne-Sophie', 'Brinkhorst'), r).formal).toBe('A.S. Brinkhorst');
    expect(drawName(tiny('Pieter-Jan', "in 't Veld"), r).formal).toBe("P.J. in 't Veld");
    expect(drawName(tiny('Eva', 'Smit'), r)).toMatchObject({ name: 'Eva Smit', formal: 'E. Smit', surnameKeys: ['smit'] });
  });

  it('a multi-word surname without a lower-case prefix keys each part and the whole', () => {
    const c = drawName(tiny('Mila', 'Ver Eecke'), seeded(2));
    expect(c.formal).toBe('M. Ver Eecke');
    expect(new Set(c.surnameKeys)).toEqual(new Set(['ver', resemblanceKey('eecke'), resemblanceKey('vereecke')]));
  });
});

// --- name forms ---------------------------------------------------------------

describe('resemblanceKey / surnameCores / surnameKeys', () => {
  const same = (a: string, b: string) => resemblanceKey(a) === resemblanceKey(b);

  it.each([
    ['Jansen', 'Janssen'],
    ['Smit', 'Smits'],
    ['Bruijn', 'Bruyn'],
    ['Mulder', 'Mulders'],
    ['Özdemir', 'Ozdemir'],
    ['Meijer', 'Meyer'],
    ['Kuijpers', 'Kuypers'],
    ['Bakker', 'Backer'],
    ['Philips', 'Filips'],
    ['Smidt', 'Smit'],
    ['JANSEN', 'jansen'],
  ])('%s resembles %s', (a, b) => {
    expect(same(a, b)).toBe(true);
  });

  it('de Bruijn / de Bruyn share a surname key', () => {
    expect(surnameKeys('de', 'Bruijn')).toEqual(surnameKeys('de', 'Bruyn'));
    expect(surnameKeys('', 'de Bruijn')).toEqual(surnameKeys('de', 'Bruyn'));
  });

  it.each([
    ['Bakker', 'Visser'],
    ['Jansen', 'Jonker'],
    ['Smit', 'Smeets'],
    ['Mulder', 'Molenaar'],
    ['de Vries', 'de Wit'],
    ['Bos', 'Bosman'],
    ['Meijer', 'Maas'],
    ['Dekker', 'Dijkstra'],
  ])('%s does not resemble %s', (a, b) => {
    expect(same(a, b)).toBe(false);
    const ka = surnameKeys('', a);
    const kb = surnameKeys('', b);
    expect(ka.filter((k) => kb.includes(k))).toEqual([]);
  });

  it('documents borderline pairs: Smit/Smid are equated (final d -> t); de Jong/de Jongh are not', () => {
    expect(same('Smit', 'Smid')).toBe(true);
    expect(same('Jong', 'Jongh')).toBe(false);
  });

  it('is insensitive to case, diacritics and surrounding spaces (property over the bundled surnames)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SURNAME_ROWS.map((r) => r[0]!)), (s) => {
        const core = surnameCores('', s).at(-1)!;
        const k = resemblanceKey(core);
        expect(resemblanceKey(core.toUpperCase())).toBe(k);
        expect(resemblanceKey(` ${core} `)).toBe(k);
        expect(resemblanceKey(core.normalize('NFD'))).toBe(k);
      }),
      { numRuns: 300 },
    );
  });

  it('surnameCores drops prefixes and splits double surnames', () => {
    expect(surnameCores('van der', 'Berg')).toEqual(['berg']);
    expect(surnameCores('', 'van der Berg')).toEqual(['berg']);
    expect(surnameCores('Van', 'Dijk')).toEqual(['dijk']);
    expect(surnameCores("van 't", 'Hoff')).toEqual(['hoff']);
    const dbl = surnameCores('', 'Jansen-Smit');
    expect(dbl).toContain('jansen');
    expect(dbl).toContain('smit');
    expect(surnameCores('', 'Ver Eecke')).toEqual(expect.arrayContaining(['ver', 'eecke']));
  });

  it('a surname that is a single prefix-like word (the Vietnamese surname "Le") keeps that word as its core', () => {
    // Otherwise such a worker gets no surname guard at all, and nothing resembles them.
    expect(surnameCores('', 'Le')).toEqual(['le']);
    expect(surnameKeys('', 'Le')).toEqual(['le']);
    expect(surnameKeys('', 'Van')).toEqual(['van']);
  });

  it('every bundled surname has at least one resemblance key (so every drawn name is checked)', () => {
    const keyless = SURNAME_ROWS.map((r) => r[0]!).filter((s) => surnameKeys('', s).length === 0);
    expect(keyless).toEqual([]);
  });

  it('surnameKeys of a prefixed surname equal those of its core', () => {
    expect(surnameKeys('van der', 'Berg')).toEqual([resemblanceKey('berg')]);
    expect(surnameKeys('van den', 'Berg')).toEqual(surnameKeys('', 'Berg'));
    expect(surnameKeys('de', 'Jong')).toEqual(surnameKeys('', 'Jong'));
  });

  it('foldName folds case, diacritics, punctuation and spacing', () => {
    expect(foldName("  Van 't  Hoogland ")).toBe('van t hoogland');
    expect(foldName('Éva-Marié  DE Smet')).toBe('eva marie de smet');
    expect(foldName('E.  Smit')).toBe('e smit');
  });
});

describe('pseudonymKey', () => {
  it('folds case, diacritics and spacing of names', () => {
    expect(pseudonymKey('Éva  de Smet')).toBe('eva de smet');
    expect(pseudonymKey('EVA DE SMET')).toBe(pseudonymKey('eva de smet'));
    expect(pseudonymKey(' Eva de\u00a0Smet ')).toBe(pseudonymKey('Eva de Smet'));
    expect(pseudonymKey('Chloé Özdemir')).toBe(pseudonymKey('chloe ozdemir'));
    expect(pseudonymKey('Eva de Smet')).not.toBe(pseudonymKey('Eva de Smit'));
  });

  it('compares codes without dashes and case', () => {
    expect(pseudonymKey('JB-4821-K')).toBe('JB4821K');
    expect(pseudonymKey('jb4821k')).toBe('JB4821K');
    expect(pseudonymKey(' jb-4821K ')).toBe('JB4821K');
    expect(pseudonymKey('JB-4821-K')).not.toBe(pseudonymKey('JB-4812-K'));
  });

  it('for every drawn name, case/diacritic/spacing variants have the same key (property)', () => {
    const pools = loadNamePools();
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom('upper', 'lower', 'spaces', 'nbsp'), (seed, how) => {
        const c = drawName(pools, seeded(seed));
        const variant =
          how === 'upper' ? c.name.toUpperCase() : how === 'lower' ? c.name.toLowerCase() : how === 'spaces' ? `  ${c.name.replace(/ /gu, '   ')} ` : c.name.replace(/ /gu, '\u00a0');
        expect(pseudonymKey(variant)).toBe(pseudonymKey(c.name));
        expect(pseudonymKey(c.name.normalize('NFD'))).toBe(pseudonymKey(c.name));
      }),
      { numRuns: 300 },
    );
  });

  it('for every drawn code, the key is the same with or without dashes, in any case (property)', () => {
    fc.assert(
      fc.property(codeArb, ({ prefix, digits, bytes }) => {
        const code = drawCode(prefix, digits, () => bytes).name;
        const key = pseudonymKey(code);
        expect(key).toBe(code.replace(/-/gu, ''));
        expect(pseudonymKey(code.replace(/-/gu, ''))).toBe(key);
        expect(pseudonymKey(code.toLowerCase())).toBe(key);
      }),
      { numRuns: 300 },
    );
  });
});
