// Exact tests for mutation survivors in the leak engine that the other leak
// tests did not pin down: an abbreviation after "Surname," stays dropped
// however long the text runs on (leak-match.ts, settle()), and TextFeed.end()
// adds nothing when called again (leak-tokens.ts). Invented names only.
import { describe, expect, it } from 'vitest';
import type { Confidence, FindingKind } from '../../src/core/leak-forms.js';
import { LeakIndex, Matcher, wordResolver, type Match } from '../../src/core/leak-match.js';
import { TextFeed, tokenStream, Tokenizer, WordTable, type Token } from '../../src/core/leak-tokens.js';

// --- helpers -----------------------------------------------------------------

type Form = [kind: FindingKind, confidence: Confidence, words: string, ref: number, reversed?: 'reversed'];

/** An index whose "digests" are the normalised words themselves. */
function indexOf(...forms: Form[]): LeakIndex {
  const index = new LeakIndex();
  for (const [kind, confidence, words, ref, reversed] of forms) index.add({ kind, confidence, tokens: words.split(' '), ref, ...(reversed ? { reversed: true } : {}) });
  return index;
}

/** The findings of a scan (as the scanner wires it), as [text, kind, ref]. */
function scan(index: LeakIndex, text: string): [string, FindingKind, number][] {
  const found: [string, FindingKind, number][] = [];
  let feed: TextFeed | undefined = undefined;
  const matcher = new Matcher(index, (m: Match) => found.push([text.slice(feed!.stringOffset(m.start), feed!.stringOffset(m.end)), m.kind, m.ref]));
  feed = new TextFeed(new Tokenizer(new WordTable(wordResolver(index, (norm) => norm)), matcher));
  feed.feed(text);
  feed.end();
  matcher.end();
  return found;
}

// --- leak-match.ts: settle() ----------------------------------------------------

describe('Matcher: an abbreviation after "Surname," stays dropped however long the text runs on', () => {
  // Ilse Visser ("Visser, I.") and Ivo de Visser ("De Visser, I."): two readings
  // of "de visser, i" end on the same word, so settle() weighs them together.
  const index = indexOf(['initials-name', 'high', 'visser i', 1, 'reversed'], ['initials-name', 'high', 'de visser i', 2, 'reversed']);
  // Only single letters follow (words the matcher keeps, so no gap settles the
  // readings at once): eighteen of them, far more than the matcher's ring
  // (maxLength + 8 = 11 slots) holds, so the "i" is long gone when the text ends.
  const letters = ' a.b. d.e. f.g. h.j. k.l. m.n. p.q. r.s.';

  it('"i.c." is no initial, at the end of the text or long before it', () => {
    expect(scan(index, 'Met de visser, i.c. de vader')).toEqual([]);
    expect(scan(index, 'Met de visser, i.c.' + letters)).toEqual([]);
  });

  it('a real initial in the same place is reported: the longer reading', () => {
    expect(scan(index, 'Met de visser, i.' + letters)).toEqual([['de visser, i', 'initials-name', 2]]);
  });
});

// --- leak-tokens.ts: TextFeed.end() -------------------------------------------------

describe('TextFeed.end(): a second call adds nothing', () => {
  it('after a lone high surrogate at the end, a second end() reads no more text', () => {
    const out: Token[] = [];
    const t = tokenStream((tok) => out.push(tok));
    t.feed('Jan\ud800');
    t.end();
    expect(t.tokenizer.position()).toEqual({ offset: 6, line: 1, column: 5 });
    t.end();
    expect(t.tokenizer.position()).toEqual({ offset: 6, line: 1, column: 5 });
    expect(out).toEqual([{ norm: 'jan', start: 0, end: 3, line: 1, column: 1, afterComma: false }]);
  });

  it('text fed after end() is read as it is, nothing before it', () => {
    const out: Token[] = [];
    const t = tokenStream((tok) => out.push(tok));
    t.feed('Jan\ud800');
    t.end();
    t.feed(' de');
    t.end();
    expect(out.map((tok) => [tok.norm, tok.start, tok.end])).toEqual([
      ['jan', 0, 3],
      ['de', 5, 7],
    ]);
  });
});
