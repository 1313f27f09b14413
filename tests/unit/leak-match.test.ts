// Unit tests of the matcher behind the leak scan (src/core/leak-match.ts):
// the LeakIndex (a trie of token forms plus whole values) and the Matcher,
// which reads the token stream and reports each finding with its kind,
// confidence, place and the worker it points to. The indexes are built by
// hand with the words themselves as their "digests"; every test lists the
// complete findings. Invented people only.
import { describe, expect, it } from 'vitest';
import { TITLES, type Confidence, type FindingKind } from '../../src/core/leak-forms.js';
import { LeakIndex, Matcher, wordResolver, type IndexEntry, type Match, type TokenKey } from '../../src/core/leak-match.js';
import { TextFeed, Tokenizer, WordTable, type WordInfo } from '../../src/core/leak-tokens.js';

// --- helpers -----------------------------------------------------------------

type Form = [kind: FindingKind, confidence: Confidence, words: string, ref: number, reversed?: 'reversed'];

const entry = ([kind, confidence, words, ref, reversed]: Form): IndexEntry => ({ kind, confidence, tokens: words.split(' '), ref, ...(reversed ? { reversed: true } : {}) });

/** An index whose "digests" are the normalised words themselves, forms added in the order given. */
function indexOf(...forms: Form[]): LeakIndex {
  const index = new LeakIndex();
  for (const f of forms) index.add(entry(f));
  return index;
}

interface Found extends Match {
  text: string;
}

/** Tokenizer and Matcher wired as the scanner wires them; offsets in the findings are string offsets. */
function scanner(index: LeakIndex): { found: Found[]; feed(text: string): void; end(): void } {
  const found: Found[] = [];
  let all = '';
  let feed: TextFeed | undefined = undefined;
  const matcher = new Matcher(index, (m) => {
    const start = feed!.stringOffset(m.start);
    const end = feed!.stringOffset(m.end);
    found.push({ ...m, start, end, text: all.slice(start, end) });
  });
  feed = new TextFeed(new Tokenizer(new WordTable(wordResolver(index, (norm) => norm)), matcher));
  return {
    found,
    feed: (text) => {
      all += text;
      feed.feed(text);
    },
    end: () => {
      feed.end();
      matcher.end();
    },
  };
}

function scan(index: LeakIndex, ...chunks: string[]): Found[] {
  const s = scanner(index);
  for (const c of chunks) s.feed(c);
  s.end();
  return s.found;
}

/** An expected finding; `end` follows from the text. Column defaults to that of an offset on line 1. */
function hit(text: string, kind: FindingKind, confidence: Confidence, ref: number, span: number, start: number, line = 1, column = start + 1): Found {
  return { kind, confidence, start, end: start + text.length, line, column, ref, span, text };
}

/** Simulates a vocabulary of `size` distinct words while `f` runs (building a real one of 2^21 words takes seconds). */
function withVocabularySize(index: LeakIndex, size: number, f: () => void): void {
  const ids = (index as unknown as { ids: Map<TokenKey, number> }).ids;
  Object.defineProperty(ids, 'size', { configurable: true, get: () => size });
  try {
    f();
  } finally {
    Reflect.deleteProperty(ids, 'size');
  }
}

/** The largest number of distinct words an index takes (trie edges are keyed node * 2^21 + word id). */
const VOCABULARY = 2 ** 21;

// --- the index -----------------------------------------------------------------

describe('LeakIndex', () => {
  it('keeps e-mail addresses, phone and personnel numbers as whole values, every worker that has one', () => {
    const index = new LeakIndex();
    const a = entry(['email', 'high', 'j.devries@voorbeeld.nl', 1]);
    const b = entry(['phone', 'high', '+31612345678', 1]);
    const c = entry(['phone', 'high', '+31612345678', 2]); // a shared team phone
    const d = entry(['employee-no', 'high', 'p10231', 2]);
    for (const e of [a, b, c, d]) index.add(e);
    expect([...index.values]).toEqual([
      ['j.devries@voorbeeld.nl', [a]],
      ['+31612345678', [b, c]],
      ['p10231', [d]],
    ]);
    expect(index.size).toBe(4);
    // Not words of the trie: the tokenizer never yields them, and they make no form longer.
    expect(index.idOf('j.devries@voorbeeld.nl')).toBe(-1);
    expect(index.idOf('+31612345678')).toBe(-1);
    expect(index.maxLength).toBe(1);
    // The scanner looks values up itself (leak-values.ts); the matcher never reports them.
    expect(scan(index, 'Bel +31612345678 of mail j.devries@voorbeeld.nl, p10231')).toEqual([]);
  });

  it('counts forms and values in its size', () => {
    const index = indexOf(['surname', 'low', 'bakker', 1], ['full-name', 'high', 'henk bakker', 1], ['first-name', 'low', 'henk', 1]);
    expect(index.size).toBe(3);
    index.add(entry(['email', 'high', 'h.bakker@voorbeeld.nl', 1]));
    index.add(entry(['email', 'high', 'h.bakker@voorbeeld.nl', 2]));
    expect(index.size).toBe(5);
    index.add(entry(['surname', 'low', 'bakker', 2])); // the same form again: one entry
    expect(index.size).toBe(5);
  });

  it('maxLength is the length of the longest form', () => {
    const index = new LeakIndex();
    expect(index.maxLength).toBe(1);
    index.add(entry(['full-name', 'high', 'anna de wit', 1]));
    expect(index.maxLength).toBe(3);
    index.add(entry(['surname', 'low', 'de wit', 1]));
    expect(index.maxLength).toBe(3);
    index.add(entry(['full-name', 'high', 'pieter jan van der berg', 2]));
    expect(index.maxLength).toBe(5);
  });

  it('one entry per form: workers sharing a form (two colleagues called Bakker) give one finding per place', () => {
    const index = indexOf(['surname', 'low', 'bakker', 1], ['surname', 'low', 'bakker', 2], ['surname', 'low', 'bakker', 3]);
    const node = index.step(0, index.idOf('bakker'));
    expect(index.entries(node)).toEqual([entry(['surname', 'low', 'bakker', 1])]);
    expect(index.size).toBe(1);
    expect(scan(index, 'Bakker')).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0)]);
  });

  it('keeps forms of the same words apart when kind, confidence or reading order differ', () => {
    const forms: Form[] = [
      ['full-name', 'high', 'jan pieter', 1], // Jan Pieter
      ['first-name', 'high', 'jan pieter', 2], // kind differs
      ['full-name', 'low', 'jan pieter', 3], // confidence differs
      ['full-name', 'high', 'jan pieter', 4, 'reversed'], // a colleague Pieter Jan, written "Jan, Pieter"
      ['full-name', 'high', 'jan pieter', 5, 'reversed'], // the same as 4
    ];
    const index = indexOf(...forms);
    const node = index.step(index.step(0, index.idOf('pieter')), index.idOf('jan'));
    expect(index.entries(node)).toEqual(forms.slice(0, 4).map(entry));
    expect(index.size).toBe(4);
    // All four read the same words equally well: the first indexed is reported.
    expect(scan(index, 'Jan Pieter')).toEqual([hit('Jan Pieter', 'full-name', 'high', 1, 2, 0)]);
  });

  it('a higher-confidence reading of the same words wins over the one indexed first', () => {
    const index = indexOf(['full-name', 'low', 'jansmit', 1], ['full-name', 'high', 'jansmit', 2]);
    expect(scan(index, '#JanSmit')).toEqual([hit('JanSmit', 'full-name', 'high', 2, 1, 1)]);
  });

  it('refuses a vocabulary too large for its edge keys', () => {
    const index = new LeakIndex();
    withVocabularySize(index, VOCABULARY - 1, () => index.add(entry(['surname', 'low', 'bakker', 1])));
    expect(index.idOf('bakker')).toBe(VOCABULARY - 1);
    withVocabularySize(index, VOCABULARY, () => {
      expect(() => index.add(entry(['surname', 'low', 'visser', 2]))).toThrow(new Error('leak index vocabulary too large'));
    });
  });
});

describe('wordResolver', () => {
  const index = indexOf(['full-name', 'high', 'henk bakker', 1], ['initials-name', 'high', 'h bakker', 1]);
  const resolve = wordResolver(index, (norm) => norm);

  it('tells the tokenizer which words the matcher needs', () => {
    const info = (norm: string, id: number, title: boolean, single: number, keep: boolean): WordInfo => ({ norm, id, title, single, keep });
    expect(resolve('bakker')).toEqual(info('bakker', 0, false, 0, true));
    expect(resolve('henk')).toEqual(info('henk', 1, false, 0, true));
    expect(resolve('h')).toEqual(info('h', 2, false, 'h'.charCodeAt(0), true)); // an initial in a form
    expect(resolve('j')).toEqual(info('j', -1, false, 'j'.charCodeAt(0), true)); // any initial: "i.c." must be seen
    expect(resolve('mevrouw')).toEqual(info('mevrouw', -1, true, 0, true));
    expect(resolve('dhr')).toEqual(info('dhr', -1, true, 0, true));
    expect(resolve('school')).toEqual(info('school', -1, false, 0, false));
    expect(resolve('de')).toEqual(info('de', -1, false, 0, false));
  });

  it('asks the digest of each word', () => {
    const asked: string[] = [];
    const r = wordResolver(index, (norm) => (asked.push(norm), norm === 'heinrich' ? 'henk' : norm));
    expect(r('heinrich').id).toBe(1);
    expect(asked).toEqual(['heinrich']);
  });
});

// --- the matcher: places ---------------------------------------------------------

const HENK: Form[] = [
  ['full-name', 'high', 'henk bakker', 1],
  ['surname', 'low', 'bakker', 1],
  ['first-name', 'low', 'henk', 1],
];

describe('Matcher: where a finding is', () => {
  const index = indexOf(...HENK);

  it('finds nothing in an empty text or one without names', () => {
    expect(scan(index)).toEqual([]);
    expect(scan(index, '')).toEqual([]);
    expect(scan(index, 'Beste collega, het verslag volgt morgen.')).toEqual([]);
  });

  it('finds a name that is the whole text, or that starts or ends it', () => {
    expect(scan(index, 'Henk Bakker')).toEqual([hit('Henk Bakker', 'full-name', 'high', 1, 2, 0)]);
    expect(scan(index, 'Henk Bakker schreef')).toEqual([hit('Henk Bakker', 'full-name', 'high', 1, 2, 0)]);
    expect(scan(index, 'Groet, Henk Bakker')).toEqual([hit('Henk Bakker', 'full-name', 'high', 1, 2, 7)]);
    expect(scan(index, 'Bakker')).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0)]);
  });

  it('gives the line and column of the first word (the title when there is one), across line breaks', () => {
    const text = 'Beste collega,\n\nmevrouw\n  Bakker en Henk\nBakker';
    expect(scan(index, text)).toEqual([hit('mevrouw\n  Bakker', 'surname', 'high', 1, 2, 16, 3, 1), hit('Henk\nBakker', 'full-name', 'high', 1, 2, 36, 4, 13)]);
  });

  it('finds a name split over chunks of the text', () => {
    const want = [hit('Henk Bakker', 'full-name', 'high', 1, 2, 6)];
    expect(scan(index, 'Beste He', 'nk Bak', 'ker, ', 'dag')).toEqual(want);
    expect(scan(index, 'Beste Henk', ' ', 'Bakker')).toEqual(want);
    expect(scan(index, 'Beste ', 'Henk Bakker', '')).toEqual(want);
  });

  it('reports every mention, in order', () => {
    expect(scan(index, 'Bakker belde. Henk Bakker schreef; Henk\n\nBakker')).toEqual([
      hit('Bakker', 'surname', 'low', 1, 1, 0),
      hit('Henk Bakker', 'full-name', 'high', 1, 2, 14),
      hit('Henk\n\nBakker', 'full-name', 'high', 1, 2, 35),
    ]);
  });
});

// --- the matcher: titles -------------------------------------------------------------

describe('Matcher: a title before a lone surname makes it high', () => {
  const index = indexOf(...HENK);

  it.each([...TITLES])('"%s Bakker"', (title) => {
    const text = `Gesprek met ${title} Bakker.`;
    expect(scan(index, text)).toEqual([hit(`${title} Bakker`, 'surname', 'high', 1, 2, 12)]);
  });

  it('with a dot, a capital, at the start of the text or on the line before', () => {
    expect(scan(index, 'Dhr. Bakker')).toEqual([hit('Dhr. Bakker', 'surname', 'high', 1, 2, 0)]);
    expect(scan(index, 'Aan:\nMevrouw\nBakker')).toEqual([hit('Mevrouw\nBakker', 'surname', 'high', 1, 2, 5, 2, 1)]);
  });

  it('only right before the surname, and only for a surname', () => {
    expect(scan(index, 'mevrouw de Bakker')).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 11)]);
    expect(scan(index, 'Bakker mevrouw')).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0)]);
    expect(scan(index, 'mevrouw Henk')).toEqual([hit('Henk', 'first-name', 'low', 1, 1, 8)]);
    expect(scan(index, 'meneer Henk Bakker')).toEqual([hit('Henk Bakker', 'full-name', 'high', 1, 2, 7)]);
  });

  it('the title counts in choosing among readings: "mw Bakker" is the surname with its title, now high', () => {
    // Another reading of the same two words: a (made-up) low form "mw bakker".
    const idx = indexOf(['surname', 'low', 'bakker', 1], ['full-name', 'low', 'mw bakker', 2]);
    expect(scan(idx, 'mw Bakker')).toEqual([hit('mw Bakker', 'surname', 'high', 1, 2, 0)]);
  });
});

// --- the matcher: surname first --------------------------------------------------------

describe('Matcher: surname-first forms count only with a comma after the surname', () => {
  const index = indexOf(['full-name', 'high', 'vries jan', 1, 'reversed'], ['initials-name', 'high', 'vries j', 1, 'reversed']);

  it('"Vries, Jan" and "Vries, J." are names', () => {
    expect(scan(index, 'Vries, Jan')).toEqual([hit('Vries, Jan', 'full-name', 'high', 1, 2, 0)]);
    expect(scan(index, 'Aan: Vries, J. (teamleider)')).toEqual([hit('Vries, J', 'initials-name', 'high', 1, 2, 5)]);
    expect(scan(index, 'Vries,\nJan')).toEqual([hit('Vries,\nJan', 'full-name', 'high', 1, 2, 0)]);
  });

  it('without the comma, or with the comma elsewhere, they are not', () => {
    expect(scan(index, 'Vries Jan')).toEqual([]);
    expect(scan(index, 'Vries; Jan')).toEqual([]);
    expect(scan(index, 'Vries. Jan')).toEqual([]);
    expect(scan(index, 'Akkoord, Vries Jan')).toEqual([]);
    expect(scan(index, 'Vries Jan, akkoord')).toEqual([]);
  });
});

// --- the matcher: overlapping readings -------------------------------------------------------

describe('Matcher: of overlapping readings the best is reported, and the words left over still count', () => {
  it('equally long: the high reading wins when it comes first', () => {
    // Anna Bakker (full name) and a colleague surnamed Bakker Smit.
    const index = indexOf(['full-name', 'high', 'anna bakker', 1], ['first-name', 'low', 'anna', 1], ['surname', 'low', 'bakker smit', 2], ['surname', 'low', 'smit', 2]);
    expect(scan(index, 'Anna Bakker Smit')).toEqual([hit('Anna Bakker', 'full-name', 'high', 1, 2, 0), hit('Smit', 'surname', 'low', 2, 1, 12)]);
  });

  it('equally long: the high reading wins when it comes second', () => {
    // Anna-Marie Smit (first name) and Marie Jansen (full name).
    const index = indexOf(['first-name', 'low', 'anna marie', 1], ['first-name', 'low', 'anna', 1], ['full-name', 'high', 'marie jansen', 2], ['surname', 'low', 'jansen', 2]);
    expect(scan(index, 'Anna Marie Jansen')).toEqual([hit('Anna', 'first-name', 'low', 1, 1, 0), hit('Marie Jansen', 'full-name', 'high', 2, 2, 5)]);
  });

  it('equally long and sure: the reading that ends later wins ("Berg, Pieter Jan van der Berg")', () => {
    const index = indexOf(['full-name', 'high', 'pieter jan van der berg', 1], ['full-name', 'high', 'berg pieter jan van der', 1, 'reversed'], ['surname', 'low', 'berg', 1]);
    expect(scan(index, 'Berg, Pieter Jan van der Berg')).toEqual([hit('Berg', 'surname', 'low', 1, 1, 0), hit('Pieter Jan van der Berg', 'full-name', 'high', 1, 5, 6)]);
  });

  it('the same words read as two forms alike: the form indexed first is reported', () => {
    // Roos is one colleague's first name and another's surname.
    const first: Form = ['first-name', 'low', 'roos', 1];
    const sur: Form = ['surname', 'low', 'roos', 2];
    expect(scan(indexOf(first, sur), 'Met Roos gebeld')).toEqual([hit('Roos', 'first-name', 'low', 1, 1, 4)]);
    expect(scan(indexOf(sur, first), 'Met Roos gebeld')).toEqual([hit('Roos', 'surname', 'low', 2, 1, 4)]);
  });

  it('a reading that overlaps one already reported gives way to the words after it', () => {
    // Anna de Vries, and Jan de Vries written "Vries, Jan": "Vries" is taken by the first name.
    const index = indexOf(['full-name', 'high', 'anna de vries', 1], ['full-name', 'high', 'vries jan', 2, 'reversed'], ['first-name', 'low', 'jan', 2]);
    const text = 'Anna de Vries, Jan P. Q. R. S. T.';
    expect(scan(index, text)).toEqual([hit('Anna de Vries', 'full-name', 'high', 1, 3, 0), hit('Jan', 'first-name', 'low', 2, 1, 15)]);
    // Without a form for "Jan" alone, nothing overlapping is reported.
    const noFirst = indexOf(['full-name', 'high', 'anna de vries', 1], ['full-name', 'high', 'vries jan', 2, 'reversed']);
    expect(scan(noFirst, text)).toEqual([hit('Anna de Vries', 'full-name', 'high', 1, 3, 0)]);
  });
});

// --- the matcher: an initial or an abbreviation ------------------------------------------------

describe('Matcher: a Dutch abbreviation after "Surname," is not an initial', () => {
  // Ilse Visser ("Visser, I."), Anna Visser ("Visser, A."), and Visser as a surname.
  const index = indexOf(['initials-name', 'high', 'visser i', 1, 'reversed'], ['initials-name', 'high', 'visser a', 2, 'reversed'], ['surname', 'low', 'visser', 1]);

  it.each([
    ['Visser, i.c. de vader', 0], // the surname is the first word: its letters sit at the start of the matcher's ring
    ['Met de visser, i.v.m. het seizoen', 7],
    ['de visser, i.o.m. de moeder', 3],
    ['Visser, a.d.h.v. het plan', 0], // four letters
    ['Gezien: Visser, i.s.m. school', 8],
  ])('"%s"', (text, at) => {
    expect(scan(index, text)).toEqual([hit(text.slice(at, at + 6), 'surname', 'low', 1, 1, at)]);
  });

  it('the same with only the surname-first form in the index', () => {
    const only = indexOf(['initials-name', 'high', 'visser i', 1, 'reversed']);
    expect(scan(only, 'Met de visser, i.c. de vader')).toEqual([]);
    expect(scan(only, 'Visser, i.c.')).toEqual([]);
  });

  it('initials that spell no abbreviation are initials', () => {
    expect(scan(index, 'Visser, I.J. belde')).toEqual([hit('Visser, I', 'initials-name', 'high', 1, 2, 0)]);
    expect(scan(index, 'Visser, I. Bakker belde')).toEqual([hit('Visser, I', 'initials-name', 'high', 1, 2, 0)]);
    expect(scan(index, 'Visser, A. B. C.')).toEqual([hit('Visser, A', 'initials-name', 'high', 2, 2, 0)]);
    expect(scan(index, 'Visser, I.')).toEqual([hit('Visser, I', 'initials-name', 'high', 1, 2, 0)]);
  });

  it('at the very end of a long text, whatever the matcher saw many words before', () => {
    // Ten words: the ring of recent words (maxLength + 8 slots) has gone round once.
    const text = 'C. D. E. F. G. H. J. K. Visser, I.';
    expect(scan(index, text)).toEqual([hit('Visser, I', 'initials-name', 'high', 1, 2, 24)]);
  });

  it('a name that is not surname-first is never read as an abbreviation: "Minji O, b.v. …"', () => {
    const minji = indexOf(['full-name', 'high', 'minji o', 3], ['surname', 'low', 'o', 3]);
    expect(scan(minji, 'Met Minji O, b.v. tijdens het gesprek')).toEqual([hit('Minji O', 'full-name', 'high', 3, 2, 4)]);
  });
});

// --- the matcher: when findings are reported -------------------------------------------------------

/** Feeds the chunks one by one; how many findings were out after each (before end()). */
function countsAfter(s: ReturnType<typeof scanner>, chunks: string[]): number[] {
  return chunks.map((c) => (s.feed(c), s.found.length));
}

describe('Matcher: a finding is reported as soon as no longer reading can replace it', () => {
  it('at once when unknown words follow (the text between names can be long)', () => {
    const s = scanner(indexOf(...HENK));
    expect(countsAfter(s, ['Gesprek met Bakker ', 'over ', 'de planning.'])).toEqual([0, 1, 1]);
    expect(s.found).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 12)]);
    s.end();
    expect(s.found).toHaveLength(1);
  });

  it('two names, then an unknown word: both at once', () => {
    const s = scanner(indexOf(...HENK, ['surname', 'low', 'visser', 2]));
    expect(countsAfter(s, ['Bakker ', 'Visser ', 'schreven.'])).toEqual([0, 0, 2]);
  });

  it('when only words the matcher keeps follow: not while a longer reading could still end, but a few words later', () => {
    // maxLength 2: a reading covering "Bakker" ends at most one word later.
    const s = scanner(indexOf(...HENK));
    const counts = countsAfter(s, ['Bakker ', 'A. ', 'B. ', 'C. ', 'D. ', 'E. ', 'F. ']);
    expect(counts.slice(0, 2)).toEqual([0, 0]);
    expect(counts.at(-1)).toBe(1);
    s.end();
    expect(s.found).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0)]);
  });

  it('a long list of initials after a name does not hold it back (offsets are only kept for the last 64 KiB)', () => {
    const text = 'Henk Bakker ' + 'A. B. C. D. '.repeat(8000);
    expect(scan(indexOf(...HENK), text)).toEqual([hit('Henk Bakker', 'full-name', 'high', 1, 2, 0)]);
  });

  it('a name read while an earlier one is settled can still be replaced by a longer reading', () => {
    // Bakker; then Anna, which "Anna de Wit" (three words) replaces once read.
    const index = indexOf(['surname', 'low', 'bakker', 1], ['first-name', 'low', 'anna', 2], ['full-name', 'high', 'anna de wit', 2]);
    const s = scanner(index);
    expect(countsAfter(s, ['Bakker P.J.K. ', 'Anna de Wit '])).toEqual([0, 1]);
    s.end();
    expect(s.found).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0), hit('Anna de Wit', 'full-name', 'high', 2, 3, 14)]);
  });

  it('names close together in a list of initials are all reported', () => {
    const index = indexOf(['surname', 'low', 'bakker', 1], ['first-name', 'low', 'anna', 2], ['full-name', 'high', 'anna de wit', 2]);
    expect(scan(index, 'Bakker Anna P. J. K. L. M.')).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0), hit('Anna', 'first-name', 'low', 2, 1, 7)]);
    expect(scan(index, 'Bakker P. J. K. Anna L. M.')).toEqual([hit('Bakker', 'surname', 'low', 1, 1, 0), hit('Anna', 'first-name', 'low', 2, 1, 16)]);
    expect(scan(index, 'Bakker P. Anna J. K. L. M. N. O. Bakker')).toEqual([
      hit('Bakker', 'surname', 'low', 1, 1, 0),
      hit('Anna', 'first-name', 'low', 2, 1, 10),
      hit('Bakker', 'surname', 'low', 1, 1, 33),
    ]);
  });

  it('a name that loses to a reading which itself loses later is still reported', () => {
    // Bakker; Anna (first name); "Anna van der Berg" beats Anna, and "Berg, Anna van der"
    // (ending later) beats that: Anna is reported after all.
    const index = indexOf(
      ['surname', 'low', 'bakker', 1],
      ['first-name', 'low', 'anna', 2],
      ['full-name', 'high', 'anna van der berg', 2],
      ['full-name', 'high', 'berg anna van der', 2, 'reversed'],
    );
    expect(scan(index, 'Bakker Anna van der Berg, Anna van der')).toEqual([
      hit('Bakker', 'surname', 'low', 1, 1, 0),
      hit('Anna', 'first-name', 'low', 2, 1, 7),
      hit('Berg, Anna van der', 'full-name', 'high', 2, 4, 20),
    ]);
  });

  it('a name is not settled while a reading that could still lose decides about it', () => {
    // Anna; "Anna Maria" beats it; "Maria de Jong" beats that; "Jong, Pieter Jan de" (read last) beats
    // "Maria de Jong": so "Anna Maria" is reported, not Anna alone.
    const index = indexOf(
      ['surname', 'low', 'bakker', 1],
      ['first-name', 'low', 'anna', 2],
      ['first-name', 'low', 'anna maria', 2],
      ['full-name', 'high', 'maria de jong', 3],
      ['full-name', 'high', 'jong pieter jan de', 4, 'reversed'],
    );
    expect(scan(index, 'Bakker Anna Maria de Jong, Pieter Jan de')).toEqual([
      hit('Bakker', 'surname', 'low', 1, 1, 0),
      hit('Anna Maria', 'first-name', 'low', 2, 2, 7),
      hit('Jong, Pieter Jan de', 'full-name', 'high', 4, 4, 21),
    ]);
  });
});

// --- the matcher: what lies before and between words -----------------------------------------------

describe('Matcher: a name is only read from words that are there, in a row', () => {
  // "anna" gets word id 0 (added first), so an empty slot of the ring would read as "anna".
  const index = indexOf(['first-name', 'low', 'anna', 2], ['full-name', 'high', 'anna bakker', 2]);

  it('the last word of a name alone at the start of the text is not the name', () => {
    expect(scan(index, 'Bakker')).toEqual([]);
    expect(scan(index, 'Bakker belde')).toEqual([]);
  });

  it('an unknown word between the words breaks the name', () => {
    expect(scan(index, 'Anna en Bakker')).toEqual([hit('Anna', 'first-name', 'low', 2, 1, 0)]);
    expect(scan(index, 'Anna, Bakker')).toEqual([hit('Anna, Bakker', 'full-name', 'high', 2, 2, 0)]);
    expect(scan(index, 'P. en Bakker')).toEqual([]);
    expect(scan(index, 'P. Q. en Bakker')).toEqual([]);
  });

  it('even when the word before the gap has the largest id the vocabulary allows', () => {
    // Word ids are part of the trie's edge keys; a gap must never be taken for a word.
    const big = new LeakIndex();
    big.add(entry(['surname', 'low', 'smit', 1])); // node 1
    big.add(entry(['surname', 'low', 'bakker', 2])); // node 2
    withVocabularySize(big, VOCABULARY - 1, () => big.add(entry(['surname', 'low', 'jansen smit', 3]))); // "jansen": the last id, edge from node 1
    expect(big.idOf('jansen')).toBe(VOCABULARY - 1);
    expect(scan(big, 'Dag Bakker')).toEqual([hit('Bakker', 'surname', 'low', 2, 1, 4)]);
    expect(scan(big, 'Jansen Smit en Bakker')).toEqual([hit('Jansen Smit', 'surname', 'low', 3, 2, 0), hit('Bakker', 'surname', 'low', 2, 1, 15)]);
  });
});

describe('Matcher: findings that touch', () => {
  // The tokenizer gives touching words where letters meet digits ("P10231"); a sink may give any offsets.
  function drive(index: LeakIndex, words: [norm: string, start: number, end: number][]): Match[] {
    const out: Match[] = [];
    const resolve = wordResolver(index, (norm) => norm);
    const m = new Matcher(index, (x) => out.push(x));
    for (const [norm, start, end] of words) m.word(resolve(norm), start, end, 1, start + 1, false);
    m.end();
    return out;
  }
  const match = (kind: FindingKind, confidence: Confidence, ref: number, start: number, end: number): Match => ({ kind, confidence, start, end, line: 1, column: start + 1, ref, span: 1 });

  it('are both reported, the better one second', () => {
    const index = indexOf(['first-name', 'low', 'anna', 1], ['surname', 'low', 'bakker', 2]);
    expect(drive(index, [['anna', 0, 4], ['bakker', 4, 10]])).toEqual([match('first-name', 'low', 1, 0, 4), match('surname', 'low', 2, 4, 10)]);
  });

  it('are both reported, the better one first', () => {
    const index = indexOf(['full-name', 'high', 'annabakker', 1], ['surname', 'low', 'smit', 2]);
    expect(drive(index, [['annabakker', 0, 10], ['smit', 10, 14]])).toEqual([match('full-name', 'high', 1, 0, 10), match('surname', 'low', 2, 10, 14)]);
  });
});
