// Unit tests of the leak-scan engine's pure parts: the tokenizer
// (normalisation, separators, offsets, chunking), the e-mail/phone finder and
// the Matcher on a hand-built LeakIndex. Invented people only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pseudonymForms, workerForms, type FindingKind, type LeakForm } from '../../src/core/leak-forms.js';
import { LeakIndex, Matcher, wordResolver, type Match } from '../../src/core/leak-match.js';
import { normaliseToken, TextFeed, tokenize, Tokenizer, tokenStream, WordTable, type Token } from '../../src/core/leak-tokens.js';
import { findValues } from '../../src/core/leak-values.js';
import { canonicalEmail, canonicalPhone, validateWorker } from '../../src/core/worker-fields.js';

// --- helpers -----------------------------------------------------------------

function tokensOf(chunks: readonly string[]): Token[] {
  const out: Token[] = [];
  const t = tokenStream((tok) => out.push(tok));
  for (const c of chunks) t.feed(c);
  t.end();
  return out;
}

const tokens = (text: string) => tokensOf([text]);

/** Splits `text` at the given code-unit positions. */
function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

/** 1-based line and column (in code points) of a code-unit offset, computed independently. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: [...before.slice(nl + 1)].length + 1 };
}

const INVISIBLE = /[\u00ad\u200b\u200c\u200d\u2060\ufeff]/gu;

// --- tokenizer: normalisation ----------------------------------------------

describe('tokenizer: normalisation', () => {
  it('folds case', () => {
    expect(tokenize('JAN de VRIES')).toEqual(['jan', 'de', 'vries']);
    expect(tokenize('jAn De vRiEs')).toEqual(['jan', 'de', 'vries']);
  });

  it('strips diacritics, precomposed or combining: Özdemir, Chloë, Koç', () => {
    expect(tokenize('Özdemir ÖZDEMIR özdemir Ozdemir')).toEqual(['ozdemir', 'ozdemir', 'ozdemir', 'ozdemir']);
    expect(tokenize('O\u0308zdemir')).toEqual(['ozdemir']); // combining diaeresis
    expect(tokenize('Chloë Chloe CHLOË Chloé Chloe\u0308')).toEqual(['chloe', 'chloe', 'chloe', 'chloe', 'chloe']);
    expect(tokenize('Koç KOÇ Koc Ko\u0327')).toEqual(['koc', 'koc', 'koc', 'ko']); // "Ko" + combining cedilla only
    expect(tokenize('Mehmet Koç')).toEqual(['mehmet', 'koc']);
    expect(tokenize('Ångström Çelik Şahin Ğ Ñuñez Dvořák')).toEqual(['angstrom', 'celik', 'sahin', 'g', 'nunez', 'dvorak']);
  });

  it('folds the Dutch IJ in every spelling: IJzerman, Ijzerman, ijzerman, the ligature Ĳ', () => {
    for (const s of ['IJzerman', 'Ijzerman', 'ijzerman', 'IJZERMAN', 'iJzerman', '\u0132zerman', '\u0133zerman']) {
      expect(tokenize(s), s).toEqual(['ijzerman']);
    }
  });

  it('expands ligatures and folds ß, æ, œ, ø', () => {
    expect(tokenize('\ufb01nanciën')).toEqual(['financien']); // ﬁ
    expect(tokenize('a\ufb02at')).toEqual(['aflat']); // ﬂ
    expect(tokenize('Straße STRASSE Strasse')).toEqual(['strasse', 'strasse', 'strasse']);
    expect(tokenize('\u1e9e')).toEqual(['ss']); // capital sharp s
    expect(tokenize('Cæsar Œuvre Søren Łukasz')).toEqual(['caesar', 'oeuvre', 'soren', 'lukasz']);
    expect(tokenize('ＪＡＮ')).toEqual(['jan']); // full-width letters (NFKC)
  });

  it('normaliseToken agrees with the tokenizer on a single word', () => {
    for (const w of ['Özdemir', 'IJzerman', 'Straße', 'Chloë', 'Koç', '\ufb01ne']) {
      expect(tokenize(w)).toEqual([normaliseToken(w)]);
    }
  });
});

// --- tokenizer: separators and invisibles ----------------------------------

describe('tokenizer: separators and invisible characters', () => {
  it('ignores soft hyphens and zero-width characters inside a word', () => {
    expect(tokenize('Öz\u00adde\u00admir')).toEqual(['ozdemir']);
    for (const zw of ['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']) {
      const cp = zw.codePointAt(0)!.toString(16);
      expect(tokenize(`Jan de Vr${zw}ies`), cp).toEqual(['jan', 'de', 'vries']);
      expect(tokenize(`${zw}Jan${zw}`), cp).toEqual(['jan']);
    }
  });

  it('lets NBSP, narrow NBSP, figure space, tabs and line breaks separate words', () => {
    expect(tokenize('Jan\u00a0de\u00a0Vries')).toEqual(['jan', 'de', 'vries']);
    expect(tokenize('Jan\u202fde\u2007Vries')).toEqual(['jan', 'de', 'vries']);
    expect(tokenize('Jan\tde\r\nVries\nen\rzo')).toEqual(['jan', 'de', 'vries', 'en', 'zo']);
    expect(tokenize('Jan\u2028de\u2029Vries')).toEqual(['jan', 'de', 'vries']);
  });

  it('lets HTML-ish punctuation, apostrophes and hyphens separate words', () => {
    expect(tokenize('<b>Jan</b>&amp;de "Vries"')).toEqual(['b', 'jan', 'b', 'amp', 'de', 'vries']);
    expect(tokenize("van 't Hoogland")).toEqual(['van', 't', 'hoogland']);
    expect(tokenize('van ’t Hoogland')).toEqual(['van', 't', 'hoogland']);
    expect(tokenize('van t Hoogland')).toEqual(['van', 't', 'hoogland']);
    expect(tokenize('Anne-Marie')).toEqual(['anne', 'marie']);
    expect(tokenize('Anne\u2011Marie Anne\u2010Marie Anne–Marie')).toEqual(['anne', 'marie', 'anne', 'marie', 'anne', 'marie']);
    expect(tokenize('J.de Vries, P.J.')).toEqual(['j', 'de', 'vries', 'p', 'j']);
    expect(tokenize('j.devries@example.nl')).toEqual(['j', 'devries', 'example', 'nl']);
  });

  it('splits at letter/digit boundaries', () => {
    expect(tokenize('P10231')).toEqual(['p', '10231']);
    expect(tokenize('AB12cd34')).toEqual(['ab', '12', 'cd', '34']);
    expect(tokenize('2e 3de')).toEqual(['2', 'e', '3', 'de']);
    expect(tokenize('P-10231 P 10231 p10231')).toEqual(['p', '10231', 'p', '10231', 'p', '10231']);
    expect(tokenize('٣٤')).toEqual(['٣٤']); // other digits are digits too
  });

  it('yields nothing for text without words', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t.,;:!?()[]{}<>/\\"\'-–—…')).toEqual([]);
    expect(tokenize('\u00ad\u200b')).toEqual([]);
  });
});

// --- tokenizer: positions ------------------------------------------------------

describe('tokenizer: offsets, lines and columns', () => {
  it('gives exact offsets, lines and columns', () => {
    const text = 'Beste  Jan,\n\tde Vries\r\nschreef: Öz\u00addemir.';
    const got = tokens(text);
    expect(got.map((t) => [t.norm, t.start, t.end, t.line, t.column])).toEqual([
      ['beste', 0, 5, 1, 1],
      ['jan', 7, 10, 1, 8],
      ['de', 13, 15, 2, 2],
      ['vries', 16, 21, 2, 5],
      ['schreef', 23, 30, 3, 1],
      ['ozdemir', 32, 40, 3, 10],
    ]);
    // The original text of every token, soft hyphen included.
    expect(got.map((t) => text.slice(t.start, t.end))).toEqual(['Beste', 'Jan', 'de', 'Vries', 'schreef', 'Öz\u00addemir']);
  });

  it('counts columns in characters (code points) and offsets in UTF-16 units', () => {
    const text = '😀 Jan\n𝐀b Vries';
    const got = tokens(text);
    expect(got.find((t) => t.norm === 'jan')).toMatchObject({ start: 3, end: 6, line: 1, column: 3 });
    expect(got.find((t) => t.norm === 'vries')).toMatchObject({ line: 2, column: 4 });
  });

  it('position() reports where the next character would be', () => {
    const t = tokenStream(() => {});
    t.feed('ab\ncd');
    expect(t.position()).toEqual({ offset: 5, line: 2, column: 3 });
    t.feed('\n');
    expect(t.position()).toEqual({ offset: 6, line: 3, column: 1 });
  });

  it('emits a word split over two chunks once, with its original start', () => {
    expect(tokensOf(['Jan de Vr', 'ies en ', 'Öz', '\u00ad', 'demir'])).toEqual(tokens('Jan de Vries en Öz\u00addemir'));
    expect(tokensOf(['P1', '0231'])).toEqual(tokens('P10231'));
    expect(tokensOf(['P', '10231'])).toEqual(tokens('P10231'));
  });
});

// --- tokenizer: chunked input == whole input (property) ----------------------

/** Characters that exercise every branch: letters, digits, separators, invisibles, non-ASCII, astral. */
const BMP_ALPHABET = [
  'a', 'J', 'z', 'Q', '0', '7', ' ', ' ', '\n', '\r', '\t', '.', ',', "'", '-', '<', '>', '&', ';',
  'Ö', 'ë', 'ç', 'ß', 'Ĳ', '\ufb01', 'é', 'e\u0301', '\u0308', '\u00a0', '\u00ad', '\u200b', '\u200d', '\ufeff', '\u202f', '٣', 'ø',
];
const ASTRAL = ['😀', '𝐀', '𝟙']; // emoji (separator), math bold A (letter), math double-struck 1 (digit)

const textArb = (alphabet: readonly string[]) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((cs) => cs.join(''));

function checkTokenInvariants(text: string, got: Token[]): void {
  let prevEnd = 0;
  for (const t of got) {
    expect(t.start).toBeGreaterThanOrEqual(prevEnd);
    expect(t.end).toBeGreaterThan(t.start);
    prevEnd = t.end;
    const raw = text.slice(t.start, t.end);
    expect(normaliseToken(raw.replace(INVISIBLE, ''))).toBe(t.norm);
    expect({ line: t.line, column: t.column }).toEqual(lineColumn(text, t.start));
  }
}

describe('tokenizer: chunked input gives the tokens of the whole (property)', () => {
  it('for text without astral characters, split at any set of positions', () => {
    fc.assert(
      fc.property(textArb(BMP_ALPHABET), fc.array(fc.nat({ max: 60 }), { maxLength: 8 }), (text, cuts) => {
        const whole = tokens(text);
        expect(tokensOf(splitAt(text, cuts))).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it('for every single split position of every string, astral characters included', () => {
    fc.assert(
      fc.property(textArb([...BMP_ALPHABET, ...ASTRAL]), (text) => {
        const whole = tokens(text);
        for (let i = 0; i <= text.length; i++) {
          expect(tokensOf([text.slice(0, i), text.slice(i)]), `split at ${i} of ${JSON.stringify(text)}`).toEqual(whole);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('one character (code unit) at a time', () => {
    fc.assert(
      fc.property(textArb([...BMP_ALPHABET, ...ASTRAL]), (text) => {
        expect(tokensOf(text.split(''))).toEqual(tokens(text));
      }),
      { numRuns: 500 },
    );
  });

  it('offsets, lines, columns and normal forms agree with the original text', () => {
    fc.assert(
      fc.property(textArb([...BMP_ALPHABET, ...ASTRAL]), (text) => {
        checkTokenInvariants(text, tokens(text));
      }),
      { numRuns: 1000 },
    );
  });
});

// --- e-mail and phone values -------------------------------------------------

describe('leak-values: e-mail addresses', () => {
  it('finds e-mail addresses in any case, as the canonical (lower-case) value', () => {
    const stored = canonicalEmail('j.devries@jeugdzorg-west.nl');
    for (const written of ['j.devries@jeugdzorg-west.nl', 'J.DeVries@Jeugdzorg-West.NL', 'J.DEVRIES@JEUGDZORG-WEST.NL']) {
      const text = `Mail naar ${written}. Of bel.`;
      const found = findValues(text).filter((v) => v.kind === 'email');
      expect(found, written).toHaveLength(1);
      expect(found[0]!.value).toBe(stored);
      expect(text.slice(found[0]!.start, found[0]!.end)).toBe(written);
    }
  });

  it('finds an address in angle brackets, after mailto: and next to punctuation', () => {
    for (const text of ['Van: Jan <J.deVries@jeugdzorg-west.nl>', '<a href="mailto:j.devries@jeugdzorg-west.nl">', '(j.devries@jeugdzorg-west.nl),']) {
      expect(findValues(text).filter((v) => v.kind === 'email').map((v) => v.value), text).toEqual(['j.devries@jeugdzorg-west.nl']);
    }
  });
});

describe('leak-values: phone numbers in every Dutch notation', () => {
  const mobile = canonicalPhone('06-41234567');
  const landline = canonicalPhone('020-1234567');

  it('stored numbers canonicalise to E.164', () => {
    expect(mobile).toBe('+31641234567');
    expect(landline).toBe('+31201234567');
  });

  const mobiles = [
    '06-41234567', '0641234567', '06 41234567', '06 4123 4567', '06 41 23 45 67', '06-412 345 67', '06.41.23.45.67',
    '+31 6 4123 4567', '+31 6 41234567', '+31641234567', '+31 (0)6 41234567', '+31(0)641234567', '0031 6 41234567', '0031641234567', '(06) 41234567',
  ];
  const landlines = ['020-1234567', '020 123 4567', '020 - 123 45 67', '0201234567', '(020) 123 4567', '+31 20 123 4567', '+31 (0)20 123 4567', '0031 20 1234567', '+31-20-1234567'];

  it.each(mobiles)('mobile %s', (written) => {
    const text = `Bereikbaar op ${written} tussen 9 en 17 uur.`;
    const phones = findValues(text).filter((v) => v.kind === 'phone');
    expect(phones.map((p) => p.value)).toEqual([mobile]);
  });

  it.each(landlines)('landline %s', (written) => {
    const text = `Telefoon: ${written}, of per post.`;
    const phones = findValues(text).filter((v) => v.kind === 'phone');
    expect(phones.map((p) => p.value)).toEqual([landline]);
  });

  it('gives the exact span of a number', () => {
    const text = 'Bel +31 6 4123 4567.';
    const [p] = findValues(text).filter((v) => v.kind === 'phone');
    expect(text.slice(p!.start, p!.end)).toBe('+31 6 4123 4567');
  });

  it('finds a number at the very start and end of the text', () => {
    const phones = (t: string) => findValues(t).filter((v) => v.kind === 'phone').map((v) => v.value);
    expect(phones('0641234567')).toEqual([mobile]);
    expect(phones('tel 0641234567')).toEqual([mobile]);
  });

  it('finds two numbers written next to each other with a slash or a space (signature lines)', () => {
    // A signature line "T 020-1234567 / M 06-41234567" is found; without the letters the two
    // numbers are one run of digits for the phone pattern.
    const phones = (t: string) => findValues(t).filter((v) => v.kind === 'phone').map((v) => v.value);
    expect(phones('T 020-1234567 / M 06-41234567')).toEqual([landline, mobile]);
    expect(phones('Tel.: 020-1234567 / 06-41234567')).toEqual([landline, mobile]);
  });

  it('finds a number that follows a date or another number on the same line', () => {
    expect(findValues('12-03-2025 06-41234567 gebeld').filter((v) => v.kind === 'phone').map((v) => v.value)).toEqual([mobile]);
  });

  it('does not take dates, amounts and short numbers for phone numbers of 9+ digits', () => {
    for (const text of ['op 12-03-2025 om 14.30 uur', '€ 1.250,00', 'zaak JB-2025-014', 'postcode 3500 AB', 'kamer 2.14']) {
      expect(findValues(text).filter((v) => v.kind === 'phone'), text).toEqual([]);
    }
  });
});

// --- the Matcher on a hand-built index ---------------------------------------

interface Person {
  ref: number;
  forms: LeakForm[];
}

/** An index whose "digests" are the normalised tokens themselves (the Matcher does not care). */
function buildIndex(people: Person[]): LeakIndex {
  const index = new LeakIndex();
  for (const p of people) for (const f of p.forms) index.add({ kind: f.kind, confidence: f.confidence, tokens: f.tokens, ref: p.ref, reversed: f.reversed });
  return index;
}

/**
 * Tokenizer and Matcher wired as the scanner wires them, with string offsets
 * in the matches; the index's "digests" are the normalised words themselves.
 */
function matchFeed(index: LeakIndex, emit: (m: Match) => void): { feed(text: string): void; end(): void } {
  let feed: TextFeed | undefined = undefined;
  const m = new Matcher(index, (x) => emit({ ...x, start: feed!.stringOffset(x.start), end: feed!.stringOffset(x.end) }));
  feed = new TextFeed(new Tokenizer(new WordTable(wordResolver(index, (norm) => norm)), m));
  return {
    feed: (text) => feed.feed(text),
    end: () => {
      feed.end();
      m.end();
    },
  };
}

function match(index: LeakIndex, text: string): (Match & { text: string })[] {
  const out: (Match & { text: string })[] = [];
  const t = matchFeed(index, (x) => out.push({ ...x, text: text.slice(x.start, x.end) }));
  t.feed(text);
  t.end();
  return out;
}

const worker = (input: Parameters<typeof validateWorker>[0]) => workerForms(validateWorker(input));

const VRIES = 1;
const BERG = 2;
const BAKKER = 3;
const HOOG = 4;
const JS = 5;
const RETIRED = 6;
const PEOPLE: Person[] = [
  { ref: VRIES, forms: worker({ first_name: 'Jan', prefix: 'de', last_name: 'Vries', email: 'j.devries@jeugdzorg-west.nl', phone: '06-41234567', employee_no: 'P-10231' }) },
  { ref: BERG, forms: worker({ first_name: 'Pieter Jan', prefix: 'van der', last_name: 'Berg' }) },
  { ref: BAKKER, forms: worker({ first_name: 'Henk', last_name: 'Bakker' }) },
  { ref: HOOG, forms: worker({ first_name: 'Anne-Marie', prefix: "van 't", last_name: 'Hoogland' }) },
  { ref: JS, forms: worker({ first_name: 'Sanne', last_name: 'Jansen-Smit' }) },
  { ref: RETIRED, forms: pseudonymForms('Eva Smeets', 'E. Smeets') },
];
const INDEX = buildIndex(PEOPLE);
const FILLER = ' en daarna volgde nog een hele lange zin met veel woorden om de wachtrij van de matcher te legen.';

type Want = [ref: number, kind: FindingKind, confidence: 'high' | 'low', text: string];
const brief = (ms: ReturnType<typeof match>): Want[] => ms.map((m) => [m.ref, m.kind, m.confidence, m.text]);

describe('Matcher on a hand-built LeakIndex', () => {
  it('worker forms cover full name, initials, reversed, surname and first name', () => {
    const forms = PEOPLE[1]!.forms.map((f) => `${f.kind}:${f.confidence}:${f.tokens.join(' ')}`);
    expect(forms).toEqual(
      expect.arrayContaining([
        'full-name:high:pieter jan van der berg',
        'full-name:high:pieter jan berg',
        'full-name:high:van der berg pieter jan',
        'full-name:high:pieterjan van der berg',
        'initials-name:high:p j van der berg',
        'initials-name:high:van der berg p j',
        'initials-name:high:berg p j van der',
        'surname:low:van der berg',
        'surname:low:berg',
        'first-name:low:pieter jan',
      ]),
    );
  });

  it('the longest match wins; contained matches are dropped', () => {
    for (const tail of ['', FILLER]) {
      expect(brief(match(INDEX, 'Pieter Jan van der Berg' + tail))).toEqual([[BERG, 'full-name', 'high', 'Pieter Jan van der Berg']]);
      expect(brief(match(INDEX, 'Jan de Vries' + tail))).toEqual([[VRIES, 'full-name', 'high', 'Jan de Vries']]);
      expect(brief(match(INDEX, 'P.J. van der Berg' + tail))).toEqual([[BERG, 'initials-name', 'high', 'P.J. van der Berg']]);
      expect(brief(match(INDEX, 'A.M. van t Hoogland' + tail))).toEqual([[HOOG, 'initials-name', 'high', 'A.M. van t Hoogland']]);
      expect(brief(match(INDEX, 'Sanne Jansen-Smit' + tail))).toEqual([[JS, 'full-name', 'high', 'Sanne Jansen-Smit']]);
      expect(brief(match(INDEX, 'E. Smeets' + tail))).toEqual([[RETIRED, 'pseudonym-retired', 'high', 'E. Smeets']]);
    }
  });

  it('reversed forms', () => {
    expect(brief(match(INDEX, 'De Vries, J.' + FILLER))).toEqual([[VRIES, 'initials-name', 'high', 'De Vries, J']]);
    expect(brief(match(INDEX, 'Van der Berg, P.J.' + FILLER))).toEqual([[BERG, 'initials-name', 'high', 'Van der Berg, P.J']]);
    expect(brief(match(INDEX, 'Berg, Pieter Jan van der' + FILLER))).toEqual([[BERG, 'full-name', 'high', 'Berg, Pieter Jan van der']]);
  });

  it('a surname or first name alone is low', () => {
    expect(brief(match(INDEX, 'de bakker op de hoek' + FILLER))).toEqual([[BAKKER, 'surname', 'low', 'bakker']]);
    expect(brief(match(INDEX, 'Gisteren belde De Vries.' + FILLER))).toEqual([[VRIES, 'surname', 'low', 'De Vries']]);
    expect(brief(match(INDEX, 'Henk belde.' + FILLER))).toEqual([[BAKKER, 'first-name', 'low', 'Henk']]);
    expect(brief(match(INDEX, 'Jansen belde.' + FILLER))).toEqual([[JS, 'surname', 'low', 'Jansen']]);
  });

  it.each([
    ['mevrouw Van der Berg', BERG, 'mevrouw Van der Berg'],
    ['Mevrouw Berg', BERG, 'Mevrouw Berg'],
    ['de heer De Vries', VRIES, 'heer De Vries'],
    ['de heer Bakker', BAKKER, 'heer Bakker'],
    ['dhr. Bakker', BAKKER, 'dhr. Bakker'],
    ['Dhr Bakker', BAKKER, 'Dhr Bakker'],
    ['mw. van \'t Hoogland', HOOG, "mw. van 't Hoogland"],
    ['Mw. Hoogland', HOOG, 'Mw. Hoogland'],
    ['mevr. Jansen-Smit', JS, 'mevr. Jansen-Smit'],
    ['meneer Vries', VRIES, 'meneer Vries'],
  ])('title upgrade: "%s" is high', (text, ref, matched) => {
    for (const tail of ['', FILLER]) {
      expect(brief(match(INDEX, `Wij spraken ${text}${tail}`))).toEqual([[ref, 'surname', 'high', matched]]);
    }
  });

  it('a word that is not a title does not upgrade: "de bakker", "meneer de bakker", "van den Berg"', () => {
    expect(brief(match(INDEX, 'meneer de bakker' + FILLER))).toEqual([[BAKKER, 'surname', 'low', 'bakker']]);
    expect(brief(match(INDEX, 'de heer Van den Berg' + FILLER))).toEqual([[BERG, 'surname', 'low', 'Berg']]);
  });

  it('reports every match of a longer text, in order, with exact positions', () => {
    const text = 'Beste mevrouw Bakker,\n\nOp verzoek van P.J. van der Berg stuur ik u het verslag. Jan de Vries\nen A.M. van ’t Hoogland waren aanwezig.' + FILLER;
    const got = match(INDEX, text);
    expect(brief(got)).toEqual([
      [BAKKER, 'surname', 'high', 'mevrouw Bakker'],
      [BERG, 'initials-name', 'high', 'P.J. van der Berg'],
      [VRIES, 'full-name', 'high', 'Jan de Vries'],
      [HOOG, 'initials-name', 'high', 'A.M. van ’t Hoogland'],
    ]);
    expect(got.map((m) => [m.line, m.column])).toEqual([
      [1, 7],
      [3, 16],
      [3, 58],
      [4, 4],
    ]);
  });

  it('two names back to back are two findings', () => {
    expect(brief(match(INDEX, 'Henk Bakker Sanne Jansen-Smit' + FILLER))).toEqual([
      [BAKKER, 'full-name', 'high', 'Henk Bakker'],
      [JS, 'full-name', 'high', 'Sanne Jansen-Smit'],
    ]);
  });

  it('overlapping candidates: "P.J. van der Berg, P." reports one finding, not two overlapping ones', () => {
    // Candidates: "P.J. van der Berg" (initials, 5 tokens) and "van der Berg, P" (reversed, 4 tokens).
    const got = match(INDEX, 'Verslag van P.J. van der Berg, P. Jansen en anderen' + FILLER);
    const berg = got.filter((m) => m.ref === BERG);
    expect(brief(berg)).toEqual([[BERG, 'initials-name', 'high', 'P.J. van der Berg']]);
  });

  it.each([
    'Vader werkt als visser; i.v.m. het seizoen is hij vaak weg',
    'De brief ging naar Garage Mulder t.a.v. de administratie',
    'Het gesprek met de visser, i.c. de vader, was goed',
  ])('a Dutch abbreviation after a common-word surname is not an initial: %s', (text) => {
    const people = [...PEOPLE, { ref: 7, forms: worker({ first_name: 'Ilse', last_name: 'Visser' }) }, { ref: 8, forms: worker({ first_name: 'Tom', last_name: 'Mulder' }) }];
    const got = match(buildIndex(people), text + FILLER);
    expect(brief(got.filter((m) => m.confidence === 'high'))).toEqual([]);
  });

  it('"Jan de Vries. Jan …": the whole full name stays covered by the finding', () => {
    // Candidates: "Jan de Vries" (tokens 0-2) and reversed "de Vries. Jan" (1-3).
    const text = 'Jan de Vries. Jan ging daarna naar huis' + FILLER;
    const got = match(INDEX, text).filter((m) => m.ref === VRIES);
    const covered = (offset: number) => got.some((m) => m.start <= offset && offset < m.end);
    expect(covered(0), JSON.stringify(brief(got))).toBe(true); // the first "Jan"
    expect(covered(text.indexOf('Vries'))).toBe(true);
  });
});

// --- Matcher properties: emitted findings cover every candidate, never overlap --

/** All candidate matches by brute force (no title upgrade), as [start, end) token index ranges. */
/** Every place a form matches the tokens (a surname-first form only with its comma), by brute force. */
function candidates(people: Person[], toks: Token[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  const all = people.flatMap((p) => p.forms).filter((f) => !['email', 'phone', 'employee-no'].includes(f.kind));
  for (let end = 0; end < toks.length; end++) {
    for (const f of all) {
      const n = f.tokens.length;
      const from = end - n + 1;
      if (from < 0) continue;
      if (!f.tokens.every((t, k) => toks[from + k]!.norm === t)) continue;
      if (f.reversed && !toks.slice(from + 1, end + 1).some((t) => t.afterComma)) continue;
      out.push({ from, to: end + 1 });
    }
  }
  return out;
}

describe('Matcher properties', () => {
  const words = ['jan', 'de', 'vries', 'pieter', 'van', 'der', 'berg', 'p', 'j', 'henk', 'bakker', 'sanne', 'jansen', 'smit', 'anne', 'marie', 't', 'hoogland', 'a', 'm', 'mevrouw', 'dhr', 'en', 'het', 'eva', 'smeets', 'e'];
  // Whole name forms too, so that overlapping candidates are common.
  const phrases = ['p.j. van der berg', 'van der berg, p.j.', 'jan de vries', 'de vries, jan', 'anne-marie van t hoogland', 'sanne jansen-smit', 'henk bakker', 'mevrouw bakker', 'e. smeets'];
  const seps = [' ', ', ', '. ', '\n', '-'];
  const docArb = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...words), fc.constantFrom(...phrases)), fc.constantFrom(...seps)), { minLength: 1, maxLength: 30 })
    .map((ws) => ws.map(([w, s]) => w + s).join(''));

  it('every name mentioned in running text is in a finding (mentions separated by other words)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('P.J. van der Berg', 'Van der Berg, P.J.', 'Jan de Vries', 'De Vries, Jan', 'Henk Bakker'), { minLength: 1, maxLength: 6 }), (names) => {
        const text = names.join(' schreef aan ') + FILLER;
        const toks = tokens(text);
        const got = match(INDEX, text);
        for (const c of candidates(PEOPLE, toks)) {
          const s = toks[c.from]!.start;
          const e = toks[c.to - 1]!.end;
          if (!got.some((m) => m.start < e && s < m.end)) throw new Error(`"${text.slice(s, e)}" in ${JSON.stringify(text)} is in no finding`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('emitted matches never overlap each other', () => {
    fc.assert(
      fc.property(docArb, fc.boolean(), (doc, tail) => {
        const text = tail ? doc + FILLER : doc;
        const got = match(INDEX, text);
        for (let i = 0; i < got.length; i++) {
          for (let k = i + 1; k < got.length; k++) {
            const a = got[i]!;
            const b = got[k]!;
            if (a.start < b.end && b.start < a.end) throw new Error(`overlapping findings in ${JSON.stringify(text)}: ${JSON.stringify(brief([a, b]))}`);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('matches are the same whatever the chunking of the text', () => {
    fc.assert(
      fc.property(docArb, fc.array(fc.nat({ max: 200 }), { maxLength: 6 }), (doc, cuts) => {
        const text = doc + FILLER;
        const whole = match(INDEX, text);
        const out: Match[] = [];
        const t = matchFeed(INDEX, (x) => out.push(x));
        for (const c of splitAt(text, cuts)) t.feed(c);
        t.end();
        expect(out).toEqual(whole.map(({ text: _t, ...rest }) => rest));
      }),
      { numRuns: 500 },
    );
  });
});
