// Which findings the matcher reports when spellings of several workers overlap.
// The promise at stake: the gate blocks on a high finding, and `redact` blacks
// out exactly the findings, so a name word in no finding stays in a redacted
// copy, and a high reading hidden behind a longer low one passes the gate.
// Workers as the vault indexes them (workerForms), invented people only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workerForms } from '../../src/core/leak-forms.js';
import { LeakIndex, Matcher, wordResolver } from '../../src/core/leak-match.js';
import { TextFeed, Tokenizer, WordTable } from '../../src/core/leak-tokens.js';
import { validateWorker } from '../../src/core/worker-fields.js';

const WORKERS = [
  { first_name: 'Pieter Jan', prefix: 'van der', last_name: 'Berg', initials: 'P.J.' },
  { first_name: 'Jan', last_name: 'Bakker' },
  { first_name: 'Anna', last_name: 'Bakker van Dam' },
  { first_name: 'Sanne', prefix: 'de', last_name: 'Vries' },
  { first_name: 'Anne-Marie', last_name: 'Jansen-Smit' },
];

const index = new LeakIndex();
WORKERS.forEach((w, ref) => {
  for (const f of workerForms(validateWorker(w))) index.add({ ...f, ref });
});

interface Found {
  text: string;
  start: number;
  end: number;
  confidence: string;
  ref: number;
}

/** Scans `text` fed in the given chunk sizes; offsets are string offsets. */
function scan(text: string, chunk = text.length || 1): Found[] {
  const out: Found[] = [];
  const matcher = new Matcher(index, (m) => {
    const start = feed.stringOffset(m.start);
    const end = feed.stringOffset(m.end);
    out.push({ text: text.slice(start, end), start, end, confidence: m.confidence, ref: m.ref });
  });
  const feed = new TextFeed(new Tokenizer(new WordTable(wordResolver(index, (n) => n)), matcher));
  for (let i = 0; i < text.length; i += chunk) feed.feed(text.slice(i, i + chunk));
  feed.end();
  matcher.end();
  return out;
}

const brief = (found: Found[]) => found.map((f) => `${f.confidence} ${f.text} #${f.ref}`);

describe('overlapping spellings', () => {
  it('a high reading wins over a longer low one, so the gate still sees the full name', () => {
    // "Bakker van Dam" (Anna's surname, low) is longer than "Jan Bakker" (Jan's full name, high).
    expect(brief(scan('Gesprek met Jan Bakker van Dam gisteren.'))).toEqual(['high Jan Bakker #1', 'low van #2', 'low Dam #2']);
  });

  it('among readings of the same confidence the longest wins', () => {
    expect(brief(scan('Pieter Jan van der Berg belde.'))).toEqual(['high Pieter Jan van der Berg #0']);
    expect(brief(scan('Met Anna Bakker van Dam.'))).toEqual(['high Anna Bakker van Dam #2']);
  });

  it('a surname that lost to a reading which later lost itself is still reported', () => {
    // The reversed "Berg, Pieter Jan van der" first beat the lone "Berg", then lost
    // to "Pieter Jan van der Berg": the first "Berg" was once in no finding at all.
    const text = 'Berg, Pieter Jan van der Berg, Pieter Jan van der Berg';
    expect(brief(scan(text))).toEqual(['low Berg #0', 'high Pieter Jan van der Berg #0', 'high Pieter Jan van der Berg #0']);
    for (const chunk of [1, 3, 7]) expect(brief(scan(text, chunk)), `chunks of ${chunk}`).toEqual(brief(scan(text)));
  });
});

/** Ways a letter names a worker: in order, reversed with a comma, after a title, with an initial, reversed with the prefix last. */
function spellings(w: (typeof WORKERS)[number]): string[] {
  const p = w.prefix ? `${w.prefix} ` : '';
  const P = w.prefix ? `${w.prefix[0]!.toUpperCase()}${w.prefix.slice(1)} ` : '';
  return [
    `${w.first_name} ${p}${w.last_name}`,
    `${P}${w.last_name}, ${w.first_name}`,
    `mevrouw ${P}${w.last_name}`,
    `${w.first_name[0]}. ${p}${w.last_name}`,
    `${w.last_name}, ${w.first_name}${w.prefix ? ` ${w.prefix}` : ''}`,
  ];
}

const NOT_NAME_WORDS = new Set(['van', 'der', 'de', 'en', 'mevrouw']);

describe('every name word of a mention ends up in a finding', () => {
  it('for any run of mentions and separators, fed whole or in pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(WORKERS.length - 1), fc.nat(4), fc.constantFrom(', ', ' ', ' en ', '\n', '; ')), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (parts, chunk) => {
          let text = '';
          const mentions: [number, number][] = [];
          for (const [wi, si, sep] of parts) {
            const s = spellings(WORKERS[wi]!)[si]!;
            mentions.push([text.length, text.length + s.length]);
            text += s + sep;
          }
          const found = scan(text, chunk);
          for (const [a, b] of mentions) {
            for (const word of text.slice(a, b).matchAll(/\p{L}+/gu)) {
              // A lone initial may go to the neighbouring reading ("Dam, A." or "A. Jansen"); prefixes and titles are not names.
              if (word[0].length === 1 || NOT_NAME_WORDS.has(word[0].toLowerCase())) continue;
              const at = a + word.index;
              expect(found.some((f) => f.start <= at && at < f.end), `"${word[0]}" at ${at} in ${JSON.stringify(text)}`).toBe(true);
            }
          }
        },
      ),
      { seed: 20261207, numRuns: 3000 },
    );
  });
});
