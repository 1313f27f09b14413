// The leak gate's exact output, on a real vault in-process: every finding of
// a letter with its kind, confidence, text, place, worker and context; hidden
// characters; parts without lines or with lines of their own; the cap of kept
// findings; Markdown as shown; and text streamed in chunks, whose findings must
// sit exactly where they sit in the whole text. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerForms } from '../../src/core/leak-forms.js';
import { isValueKind } from '../../src/core/leak-match.js';
import { validateWorker, type WorkerInput } from '../../src/core/worker-fields.js';
import { MAX_FINDINGS, Scanner, type Finding } from '../../src/vault/scanner.js';
import type { TextSegment } from '../../src/formats/segments.js';
import type { Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';
import { pieces } from '../helpers/text-pieces.js';

const WORKERS = {
  jorien: { first_name: 'Jorien', last_name: 'Dijkmanshoek', phone: '06-37281945', email: 'jorien.dijkmanshoek@voorbeeld.nl', employee_no: 'P-48213', team: 'Team West' },
  thijmen: { first_name: 'Thijmen', prefix: 'van', last_name: 'Oordtwijk', phone: '+31 (0)6 52947318', team: 'Team West' },
  // Her address ends in her surname: ".amsterdam" is a top-level domain.
  sanne: { first_name: 'Sanne', prefix: 'van', last_name: 'Amsterdam', email: 'sanne@jeugdzorg.amsterdam', team: 'Team Oost' },
  // Two people whose names differ only in a space, sharing a team mobile.
  mirthe: { first_name: 'Mirthe', prefix: 'van', last_name: 'Dael', phone: '06-19283746', team: 'Team Oost' },
  mirtheV: { first_name: 'Mirthe', last_name: 'Vandael', phone: '06-19283746', team: 'Team Oost' },
  renee: { first_name: 'Renée', last_name: 'Weiß', team: 'Team Oost' },
  wessel: { first_name: 'Wessel', last_name: 'Ruigrok', team: 'Team Oost' }, // offboarded below
} satisfies Record<string, WorkerInput>;
type Who = keyof typeof WORKERS;

let bench: Bench;
let vault: Vault;
const id = {} as Record<Who, string>;

beforeAll(async () => {
  bench = makeBench('schuilnaam-scanexact-');
  vault = await bench.unlock(await bench.create());
  for (const [who, w] of Object.entries(WORKERS)) id[who as Who] = vault.workers.add(w);
  vault.workers.offboard(id.wessel);
});
afterAll(() => bench?.cleanup());

const scanner = () => new Scanner(vault.scanIndex);
const scan = (segments: TextSegment[]) => scanner().scan(segments);
const scanText = (text: string) => scan([{ location: 'body', text }]);

/** Line and column (1-based, in code points) of an offset, counted the simple way. */
function at(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: [...before.slice(before.lastIndexOf('\n') + 1)].length + 1 };
}

/** The finding expected for `needle` (its n-th occurrence) in `text`, without context. */
function leak(text: string, needle: string, kind: Finding['kind'], confidence: Finding['confidence'], who: Who | null, n = 0, location = 'body') {
  let start = -1;
  for (let i = 0; i <= n; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not in text`);
  const f: Omit<Finding, 'context'> = {
    kind,
    confidence,
    text: needle.replace(/\s+/gu, ' '),
    location,
    ...at(text, start),
    worker: who === null ? null : id[who],
    span: { start, end: start + needle.length },
  };
  if (who === 'wessel') f.former = true;
  return f;
}

const noContext = (fs: Finding[]) => fs.map(({ context: _, ...f }) => f);

describe('a letter, finding by finding', () => {
  const LETTER = [
    'Geachte ouders,',
    'Bel 06-37281945 of vraag naar Jorien Dijkmanshoek op maandag.',
    'Personeelsnummer 🐀🏿\ufffd P-48213 (intern).',
    'Mail jorien.dijkmanshoek@voorbeeld.nl of sanne@jeugdzorg.amsterdam gerust.',
    'Uw contactpersoon is Thijmen van  ',
    '    Oordtwijk; zijn voorganger was Wessel Ruigrok en\t\tdaarvoor   mevrouw Weiß.',
    'Een heel lange regel met veel woorden voor de naam, zodat alleen het einde getoond wordt: Mirthe Vandael, en daarna nog veel meer woorden dan er in de context passen.',
    'Het teamnummer is 06-19283746.',
  ].join('\n');

  it('lists every leak once, in reading order, with its place, worker and context', async () => {
    const { findings, omitted } = await scanText(LETTER);
    expect(omitted).toBe(0);
    expect(findings).toEqual([
      {
        ...leak(LETTER, '06-37281945', 'phone', 'high', 'jorien'),
        line: 2,
        column: 5,
        context: { before: 'Bel ', match: '06-37281945', after: ' of vraag naar Jorien Dijkmanshoek op maandag.' },
      },
      {
        ...leak(LETTER, 'Jorien Dijkmanshoek', 'full-name', 'high', 'jorien'),
        line: 2,
        column: 31,
        context: { before: 'Bel 06-37281945 of vraag naar ', match: 'Jorien Dijkmanshoek', after: ' op maandag.' },
      },
      {
        // Each emoji and the replacement character count as one column.
        ...leak(LETTER, 'P-48213', 'employee-no', 'high', 'jorien'),
        line: 3,
        column: 22,
        context: { before: 'Personeelsnummer 🐀🏿\ufffd ', match: 'P-48213', after: ' (intern).' },
      },
      // Words of an address (her name) are that address, not findings of their own.
      {
        ...leak(LETTER, 'jorien.dijkmanshoek@voorbeeld.nl', 'email', 'high', 'jorien'),
        line: 4,
        column: 6,
        context: { before: 'Mail ', match: 'jorien.dijkmanshoek@voorbeeld.nl', after: ' of sanne@jeugdzorg.amsterdam gerust.' },
      },
      {
        ...leak(LETTER, 'sanne@jeugdzorg.amsterdam', 'email', 'high', 'sanne'),
        line: 4,
        column: 42,
        context: { before: 'Mail jorien.dijkmanshoek@voorbeeld.nl of ', match: 'sanne@jeugdzorg.amsterdam', after: ' gerust.' },
      },
      {
        // Broken over a line with spaces around the break: shown with one space.
        ...leak(LETTER, 'Thijmen van  \n    Oordtwijk', 'full-name', 'high', 'thijmen'),
        text: 'Thijmen van Oordtwijk',
        line: 5,
        column: 22,
        // The context after it is the line where the name ends (sixty characters).
        context: { before: 'Uw contactpersoon is ', match: 'Thijmen van Oordtwijk', after: '; zijn voorganger was Wessel Ruigrok en daarvoor mevrouw ' },
      },
      {
        ...leak(LETTER, 'Wessel Ruigrok', 'full-name', 'high', 'wessel'),
        line: 6,
        column: 36,
        former: true,
        // Runs of spaces and tabs are shown as one space.
        context: { before: ' Oordtwijk; zijn voorganger was ', match: 'Wessel Ruigrok', after: ' en daarvoor mevrouw Weiß.' },
      },
      {
        ...leak(LETTER, 'mevrouw Weiß', 'surname', 'high', 'renee'),
        line: 6,
        column: 66,
        // A title makes a lone surname high. Sixty characters before it at most (tabs and spaces counted as written).
        context: { before: 'ordtwijk; zijn voorganger was Wessel Ruigrok en daarvoor ', match: 'mevrouw Weiß', after: '.' },
      },
      {
        ...leak(LETTER, 'Mirthe Vandael', 'full-name', 'high', 'mirtheV'),
        line: 7,
        column: 91,
        // Sixty characters either side at most.
        context: { before: 'woorden voor de naam, zodat alleen het einde getoond wordt: ', match: 'Mirthe Vandael', after: ', en daarna nog veel meer woorden dan er in de context passe' },
      },
      {
        // A number two workers share: one finding.
        ...leak(LETTER, '06-19283746', 'phone', 'high', 'mirthe'),
        line: 8,
        column: 19,
        context: { before: 'Het teamnummer is ', match: '06-19283746', after: '.' },
      },
    ]);
  });
});

describe('hidden characters', () => {
  const TEXT = [
    'Beste Daan,',
    'Groet van Thijmen van Oord\u202etwijk en Jorien.',
    'Dit\u200bis\u200bverborgen\u200b.',
    'Label: tag\u{E0041} hier.',
    'Bel 06-37281945.',
  ].join('\n');

  it('one finding per kind where it first occurs, counting the rest; a name around one is still found, the control shown as a code', async () => {
    const { findings } = await scanText(TEXT);
    expect(findings).toEqual([
      {
        ...leak(TEXT, 'Thijmen van Oord\u202etwijk', 'full-name', 'high', 'thijmen'),
        text: 'Thijmen van Oord⟨U+202E⟩twijk',
        line: 2,
        column: 11,
        context: { before: 'Groet van ', match: 'Thijmen van Oord⟨U+202E⟩twijk', after: ' en Jorien.' },
      },
      {
        kind: 'hidden-characters',
        confidence: 'high',
        text: 'U+202E (right-to-left override)',
        location: 'body',
        line: 2,
        column: 27,
        worker: null,
        context: { before: 'Groet van Thijmen van Oord', match: '⟨U+202E⟩', after: 'twijk en Jorien.' },
      },
      {
        ...leak(TEXT, 'Jorien', 'first-name', 'low', 'jorien'),
        line: 2,
        column: 37,
        context: { before: 'Groet van Thijmen van Oord⟨U+202E⟩twijk en ', match: 'Jorien', after: '.' },
      },
      {
        kind: 'hidden-characters',
        confidence: 'low',
        text: 'U+200B (zero-width space) and 2 more',
        location: 'body',
        line: 3,
        column: 4,
        worker: null,
        context: { before: 'Dit', match: '⟨U+200B⟩', after: 'is⟨U+200B⟩verborgen⟨U+200B⟩.' },
      },
      {
        kind: 'hidden-characters',
        confidence: 'high',
        text: 'U+E0041 (tag character)',
        location: 'body',
        line: 4,
        column: 11,
        worker: null,
        context: { before: 'Label: tag', match: '⟨U+E0041⟩', after: ' hier.' },
      },
      {
        ...leak(TEXT, '06-37281945', 'phone', 'high', 'jorien'),
        line: 5,
        column: 5,
        context: { before: 'Bel ', match: '06-37281945', after: '.' },
      },
    ]);
  });

  it('a single zero-width character is low, without a count', async () => {
    const { findings } = await scanText('ab\u2060cd');
    expect(findings).toEqual([
      { kind: 'hidden-characters', confidence: 'low', text: 'U+2060 (word joiner)', location: 'body', line: 1, column: 3, worker: null, context: { before: 'ab', match: '⟨U+2060⟩', after: 'cd' } },
    ]);
  });
});

describe('where a finding is placed', () => {
  it('a part without lines (metadata) gives no line or column, for names, values and hidden characters', async () => {
    const { findings } = await scan([{ location: 'metadata:author', text: 'Jorien Dijkmanshoek\u200b, 06-37281945', noLines: true }]);
    expect(findings).toEqual([
      {
        kind: 'full-name',
        confidence: 'high',
        text: 'Jorien Dijkmanshoek',
        location: 'metadata:author',
        line: null,
        column: null,
        worker: id.jorien,
        // Only controls that reorder text are shown as codes around other findings.
        context: { before: '', match: 'Jorien Dijkmanshoek', after: '\u200b, 06-37281945' },
        span: { start: 0, end: 19 },
      },
      {
        kind: 'phone',
        confidence: 'high',
        text: '06-37281945',
        location: 'metadata:author',
        line: null,
        column: null,
        worker: id.jorien,
        context: { before: 'Jorien Dijkmanshoek\u200b, ', match: '06-37281945', after: '' },
        span: { start: 22, end: 33 },
      },
      {
        kind: 'hidden-characters',
        confidence: 'low',
        text: 'U+200B (zero-width space)',
        location: 'metadata:author',
        line: null,
        column: null,
        worker: null,
        context: { before: 'Jorien Dijkmanshoek', match: '⟨U+200B⟩', after: ', 06-37281945' },
      },
    ]);
  });

  it('a part with lines of its own (extracted HTML) places every finding through them', async () => {
    const text = 'Foto: Jorien Dijkmanshoek\u202e, 06-37281945';
    const { findings } = await scan([{ location: 'attribute:alt', text, position: (offset) => ({ line: 40, column: 100 + offset }) }]);
    expect(findings.map((f) => [f.kind, f.text, f.line, f.column])).toEqual([
      ['full-name', 'Jorien Dijkmanshoek', 40, 106],
      ['hidden-characters', 'U+202E (right-to-left override)', 40, 125],
      ['phone', '06-37281945', 40, 128],
    ]);
  });

  it('a stray half of a surrogate pair (broken input) counts as one character, as the tokenizer counts it', async () => {
    const text = '\udc00 bel 06-37281945\nx\udc00 Jorien Dijkmanshoek schreef';
    const { findings } = await scanText(text);
    expect(noContext(findings)).toEqual([
      { ...leak(text, '06-37281945', 'phone', 'high', 'jorien'), line: 1, column: 7 },
      { ...leak(text, 'Jorien Dijkmanshoek', 'full-name', 'high', 'jorien'), line: 2, column: 4 },
    ]);
  });
});

describe('past the cap of kept findings', () => {
  const LOWS = MAX_FINDINGS + 100;
  const TEXT = [
    'Dossier Thijmen van Oordtwijk.',
    ...Array.from({ length: LOWS }, (_, i) => `Regel ${i + 1}: dossier Dijkmanshoek.`),
    'Met vriendelijke groet, Jorien Dijkmanshoek',
  ].join('\n');

  it('keeps the first findings, and a later high one takes the place of the first low one', async () => {
    const { findings, omitted } = await scanText(TEXT);
    expect(findings).toHaveLength(MAX_FINDINGS);
    expect(omitted).toBe(LOWS + 2 - MAX_FINDINGS);
    // Line 1 high; lows of lines 3..1000 (the low of line 2 made way); the high at the end.
    expect(findings.map((f) => f.line)).toEqual([1, ...Array.from({ length: MAX_FINDINGS - 2 }, (_, i) => i + 3), LOWS + 2]);
    expect(findings.filter((f) => f.confidence === 'high').map((f) => [f.kind, f.text, f.line, f.column, f.worker])).toEqual([
      ['full-name', 'Thijmen van Oordtwijk', 1, 9, id.thijmen],
      ['full-name', 'Jorien Dijkmanshoek', LOWS + 2, 25, id.jorien],
    ]);
    expect(findings[1]).toEqual({ ...leak(TEXT, 'Dijkmanshoek', 'surname', 'low', 'jorien', 1), context: { before: 'Regel 2: dossier ', match: 'Dijkmanshoek', after: '.' } });
  });

  it('the same for a streamed text that ends where a chunk ends', async () => {
    let text = '';
    for (let i = 1; text.length < 65536 - 200; i++) text += `Regel ${i}: dossier Dijkmanshoek.\n`;
    const lows = text.split('\n').length - 1;
    text += 'x'.repeat(65536 - text.length - 17) + '\nbel 06-37281945\n';
    expect(text).toHaveLength(65536);
    const { findings, omitted } = await scan([{ location: 'body', text: pieces(text, 65536) }]);
    expect(findings).toHaveLength(MAX_FINDINGS);
    expect(omitted).toBe(lows + 1 - MAX_FINDINGS);
    expect(findings[0]!.line).toBe(2);
    expect(noContext(findings.slice(-1))).toEqual([{ ...leak(text, '06-37281945', 'phone', 'high', 'jorien'), line: lows + 2, column: 5 }]);
  });
});

describe('Markdown: the text as it shows', () => {
  const SOURCE = 'Jo**rien** Dijkmanshoek schreef. Jorien Dijkmans-\nhoek tekende. Mirthe van Dael las mee, Renée hielp en Weiß keek.';
  const SHOWN =
    'Dijkmanshoek, Jorien. Jorien Dijkmanshoek. JORIEN DIJKMANSHOEK. jorien dijkmanshoek. Mirthe Vandael. Renee hielp. WEIẞ keek. ' +
    'Thijmen van Oordtwijk en THIJMEN VAN OORDTWIJK.';
  const shown = (text: string, of = 'body'): TextSegment & { shownOf: string } => ({ location: 'as shown', text, noLines: true, shownOf: of });

  it('reports from the shown text only what the source did not already give, mention for mention', async () => {
    const { findings } = await scan([{ location: 'body', text: SOURCE }, shown(SHOWN)]);
    expect(findings.map((f) => [f.location, f.kind, f.text, f.worker])).toEqual([
      ['body', 'full-name', 'Jo**rien** Dijkmanshoek', id.jorien],
      ['body', 'full-name', 'Jorien Dijkmans- hoek', id.jorien],
      ['body', 'full-name', 'Mirthe van Dael', id.mirthe],
      ['body', 'first-name', 'Renée', id.renee],
      ['body', 'surname', 'Weiß', id.renee],
      // Another spelling, a third mention, and a namesake whose name differs only by a space.
      ['as shown', 'full-name', 'Dijkmanshoek, Jorien', id.jorien],
      ['as shown', 'full-name', 'jorien dijkmanshoek', id.jorien],
      ['as shown', 'full-name', 'Mirthe Vandael', id.mirtheV],
      // Someone the source does not name at all: every mention.
      ['as shown', 'full-name', 'Thijmen van Oordtwijk', id.thijmen],
      ['as shown', 'full-name', 'THIJMEN VAN OORDTWIJK', id.thijmen],
    ]);
  });

  it('a shown text whose source is not among the parts keeps all its findings', async () => {
    const { findings } = await scan([shown('Jorien Dijkmanshoek', 'elders')]);
    expect(findings.map((f) => [f.location, f.kind, f.text, f.line])).toEqual([['as shown', 'full-name', 'Jorien Dijkmanshoek', null]]);
  });
});

describe('streamed text', () => {
  it('in small pieces: the same findings as the whole text', async () => {
    const text = 'Beste ouders,\nBel Jorien Dijkmanshoek op 06-37281945\u200b of mail jorien.dijkmanshoek@voorbeeld.nl.\nGroet, Thijmen van Oordtwijk\n';
    const whole = await scanText(text);
    expect(whole.findings).toHaveLength(5);
    expect(await scan([{ location: 'body', text: pieces(text, 7) }])).toEqual(whole);
  });

  it('an error from the source reaches the caller', async () => {
    async function* failing() {
      yield 'Jorien Dijkmanshoek\n';
      throw new Error('disk weg');
    }
    await expect(scan([{ location: 'body', text: failing() }])).rejects.toThrow('disk weg');
  });

  it('a text longer than a chunk given as a string is read in one piece: a letter-spaced name at 64 KiB is found', async () => {
    let text = '';
    while (text.length < 65536 - 5) text += 'de zaak loopt ';
    text = text.slice(0, 65536 - 5) + ' J o r i e n schreef\n';
    const { findings } = await scanText(text);
    expect(noContext(findings)).toEqual([leak(text, 'J o r i e n', 'first-name', 'low', 'jorien')]);
  });
});

describe('the index', () => {
  it('has one entry per distinct form of all workers (workers sharing a form share an entry)', () => {
    const names = new Set<string>();
    let values = 0;
    for (const w of Object.values(WORKERS)) {
      for (const f of workerForms(validateWorker(w))) {
        if (isValueKind(f.kind)) values++;
        else names.add(`${f.kind} ${f.confidence} ${Boolean(f.reversed)} ${f.tokens.join(' ')}`);
      }
    }
    expect(scanner().entries).toBe(names.size + values);
  });
});

describe('streamed text, chunk by chunk', () => {
  // A letter read from a stream in pieces of 64 KiB. Chunks are cut at a line
  // start where the second half of the buffer has one (not after a line ending
  // in a hyphen), before the first half of a character split by the piece, and
  // elsewhere where the piece ends; findings near every kind of cut must sit
  // exactly where they sit in the whole text.
  const K = 65536;
  type Planted = { start: number; needle: string; kind: Finding['kind']; confidence: Finding['confidence']; who: Who };
  const planted: Planted[] = [];
  const hidden: { offset: number; confidence: Finding['confidence']; text: string }[] = [];
  let t = '';
  const put = (s: string) => void (t += s);
  const plant = (needle: string, kind: Finding['kind'], confidence: Finding['confidence'], who: Who) => {
    planted.push({ start: t.length, needle, kind, confidence, who });
    t += needle;
  };
  const phone = () => plant('06-37281945', 'phone', 'high', 'jorien');
  /** Ordinary lines up to `to` (the last character a line break). */
  const lines = (to: number) => {
    while (t.length < to) t += 'een gewone regel tekst\n';
    t = t.slice(0, to - 1) + '\n';
  };
  /** Words without a line break up to `to` (ending in a full stop). */
  const words = (to: number) => {
    while (t.length < to) t += 'de zaak loopt door ';
    t = t.slice(0, to - 1) + '.';
  };

  // Chunk 1 ends a line early: its last line break follows a hyphenated word. Zero-width space on line 1.
  hidden.push({ offset: 3, confidence: 'low', text: 'U+200B (zero-width space)' });
  put('Kop\u200b\ntweede regel\n');
  const lineB = 'Bel +31 (0)6 52947318 of Jorien Dijkmans-\n';
  lines(K - 'hoek en J o r'.length - lineB.length - 'bel 06-37281945 of niet\n'.length);
  put('bel ');
  phone(); // in the last 96 characters of chunk 1: looked at again with chunk 2
  put(' of niet\nBel ');
  plant('+31 (0)6 52947318', 'phone', 'high', 'thijmen'); // first line of chunk 2
  put(' of ');
  plant('Jorien Dijkmans-\nhoek', 'full-name', 'high', 'jorien');
  put(' en ');
  plant('J o r i e n', 'first-name', 'low', 'jorien'); // piece 1 ends after "J o r"
  put(' schreef dit.\n');
  // Chunk 2: the same with blanks after the hyphen.
  lines(2 * K - 2 - 'Groet van Jorien Dijkmans-  \n'.length);
  put('Groet van ');
  plant('Jorien Dijkmans-  \nhoek', 'full-name', 'high', 'jorien');
  put(' tekende.\n');
  // Chunk 3: lines, then a long line; it ends before a character split by the piece (high surrogate D800).
  lines(2 * K + 1000);
  words(3 * K - 1);
  put('\u{10000}');
  // Chunk 4: a number just after that character (chunk 3 ended mid-line); a new long line, a number in its
  // last 96 characters; it ends before a split DBFF.
  words(3 * K + 20);
  put(' ');
  phone();
  lines(3 * K + 1000);
  words(4 * K - 60);
  put(' ');
  phone();
  words(4 * K - 1);
  put('\u{10FFFD}');
  // Chunk 5: a number just after it; a bidi control; a whole emoji at the very end.
  words(4 * K + 20);
  put(' ');
  phone();
  words(4 * K + 200);
  hidden.push({ offset: t.length, confidence: 'high', text: 'U+202E (right-to-left override)' });
  put('\u202e');
  lines(4 * K + 1000);
  words(5 * K - 70);
  put(' ');
  phone();
  words(5 * K - 2);
  put('🐀');
  // Chunk 6: a number just after the emoji; a letter-spaced name ends exactly where the piece ends.
  words(5 * K + 20);
  put(' ');
  phone();
  lines(5 * K + 100);
  words(6 * K - 12);
  put(' ');
  plant('J o r i e n', 'first-name', 'low', 'jorien');
  // Chunk 7: the only line break in the second half of the piece follows "Jan-Kees"; a letter-spaced name runs over the piece's end.
  put(' schreef.\n');
  lines(6 * K + K / 2 - 1000);
  words(7 * K - 7 - ' Jan-Kees\n'.length);
  put(' Jan-Kees\n');
  plant('J o r i e n', 'first-name', 'low', 'jorien');
  // Chunk 8: its last line break follows a letter-spaced name.
  put(' schreef ook.\n');
  lines(7 * K + 1000);
  words(8 * K - 100 - ' T h i j m e n\n'.length);
  put(' ');
  plant('T h i j m e n', 'first-name', 'low', 'thijmen');
  put('\n');
  words(8 * K + 50);
  put('\n');
  // Chunks 9 to 12: one line over three pieces, each dropped from the window in turn (9 has a line break, 10 and 11 none).
  lines(8 * K + 1000);
  words(10 * K - 60);
  put(' ');
  phone(); // in the last 96 characters of chunk 10
  words(10 * K + 20);
  put(' ');
  phone(); // first line of chunk 11, which follows a chunk without line breaks
  words(11 * K - 60);
  put(' ');
  phone(); // in the last 96 characters of chunk 11
  words(11 * K + 20);
  put(' ');
  phone();
  put('\nEinde.\n');
  const TEXT = t;

  // Workers' ids are known once the vault is made: worked out in the tests.
  const expected = () => [
    ...planted.map((p) => ({ at: p.start, f: leak(TEXT, p.needle, p.kind, p.confidence, p.who, TEXT.slice(0, p.start).split(p.needle).length - 1) })),
    ...hidden.map((h) => ({ at: h.offset, f: { kind: 'hidden-characters', confidence: h.confidence, text: h.text, location: 'body', ...at(TEXT, h.offset), worker: null } })),
  ]
    .sort((a, b) => a.at - b.at)
    .map((x) => x.f);

  it('is laid out as intended', () => {
    expect(TEXT.slice(K - 13, K + 6)).toBe('hoek en J o r i e n');
    expect(TEXT.slice(2 * K - 2, 2 * K + 2)).toBe('hoek');
    expect(TEXT.codePointAt(3 * K - 1)).toBe(0x10000);
    expect(TEXT.codePointAt(4 * K - 1)).toBe(0x10fffd);
    expect(TEXT.slice(5 * K - 2, 5 * K)).toBe('🐀');
    expect(TEXT.slice(6 * K - 11, 6 * K)).toBe('J o r i e n');
    expect(TEXT.slice(7 * K - 7, 7 * K + 4)).toBe('J o r i e n');
    expect(TEXT.slice(8 * K + 1000, 11 * K).includes('\n')).toBe(false);
    expect(TEXT.lastIndexOf('\n', 8 * K)).toBe(8 * K - 101);
    expect(expected()).toHaveLength(19);
  });

  it('whole: every finding in its place', async () => {
    expect(noContext((await scanText(TEXT)).findings)).toEqual(expected());
  });

  it('streamed in pieces of 64 KiB: the same findings in the same places', async () => {
    expect(noContext((await scan([{ location: 'body', text: pieces(TEXT, K) }])).findings)).toEqual(expected());
  });
});

describe('streamed text in pieces of uneven size', () => {
  // Where a chunk is cut depends on the pieces read so far; a name must be found
  // wherever the pieces end. Each stream ends with a letter-spaced name over the
  // end of a piece, which a cut in the middle of it would break.
  const K = 65536;
  const words = (n: number) => {
    let s = '';
    while (s.length < n) s += 'de zaak loopt door ';
    return s.slice(0, n - 1) + '.';
  };
  async function* sized(text: string, sizes: number[]): AsyncIterable<string> {
    let at = 0;
    for (const n of sizes) {
      yield text.slice(at, at + n);
      at += n;
    }
    if (at < text.length) yield text.slice(at);
  }
  /** Findings of `text` read in pieces of these sizes, where "J o r i e n" must be found at `nameAt`. */
  async function expectName(text: string, sizes: number[], nameAt: number) {
    expect(text.slice(nameAt, nameAt + 11)).toBe('J o r i e n');
    const { findings } = await scan([{ location: 'body', text: sized(text, sizes) }]);
    expect(noContext(findings)).toEqual([{ ...leak(text, 'J o r i e n', 'first-name', 'low', 'jorien'), ...at(text, nameAt) }]);
  }

  it('a piece of exactly 64 KiB is a chunk, cut where it ends; the next small piece waits for more', async () => {
    // One long line: the first chunk ends where the first piece ends, not 100 characters later.
    const text = words(K + 95) + ' J o r i e n ' + words(300) + '\n';
    await expectName(text, [K, 100], K + 96);
  });

  it('a line break exactly halfway through a full buffer is not a place to cut', async () => {
    const text = words(K / 2) + '\n' + words(K / 2 - 1) + words(K / 2 + 4) + ' J o r i e n ' + words(300) + '\n';
    expect(text.indexOf('\n')).toBe(K / 2);
    await expectName(text, [K, K / 2 + 10], K + K / 2 + 5);
  });

  it('after eight lines ending in a hyphen the cut is made where the piece ends', async () => {
    const head = words(K - 400) + '\neen gewone regel tekst\n';
    const hyphenLines = 'een woord dat hier af-\n'.repeat(8);
    const text = head + hyphenLines + words(K - head.length - hyphenLines.length) + words(head.length + 4) + ' J o r i e n ' + words(300) + '\n';
    // The first piece's last eight line breaks follow a hyphen; a ninth, looked at no more, follows an ordinary line.
    expect(text.lastIndexOf('\n', K)).toBe(head.length + hyphenLines.length - 1);
    await expectName(text, [K, head.length + 10], K + head.length + 5);
  });
});
