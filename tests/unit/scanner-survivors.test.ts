// The leak gate where a streamed text is cut into chunks, and at the edges of
// a line: a finding on the first character of a chunk, of a line or of the
// text sits exactly where it sits in the whole text, with the same context.
// Written for the mutation survivors of src/vault/scanner.ts; the ones no
// input can tell apart are listed, with the reason, in the notes
// (equiv-vault-scanner.md). Invented people only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scanner, type Finding } from '../../src/vault/scanner.js';
import type { TextSegment } from '../../src/formats/segments.js';
import type { Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';
import { pieces, words } from '../helpers/text-pieces.js';

let bench: Bench;
let vault: Vault;
let jorien = '';

beforeAll(async () => {
  bench = makeBench('schuilnaam-scansurv-');
  vault = await bench.unlock(await bench.create());
  jorien = vault.workers.add({ first_name: 'Jorien', last_name: 'Dijkmanshoek', phone: '06-37281945', team: 'Team West' });
});
afterAll(() => bench?.cleanup());

const scan = (segments: TextSegment[]) => new Scanner(vault.scanIndex).scan(segments);
const K = 65536;

/** What a finding's context shows, worked out the simple way: its line, sixty characters either side at most. */
function around(text: string, start: number, end: number): { before: string; after: string } {
  const before = text.slice(Math.max(0, start - 60), start);
  const after = text.slice(end, end + 60);
  return { before: before.slice(before.lastIndexOf('\n') + 1), after: after.split('\n')[0]! };
}

const phone = (line: number, column: number, start: number, before: string, after: string): Finding => ({
  kind: 'phone',
  confidence: 'high',
  text: '06-37281945',
  location: 'body',
  line,
  column,
  worker: jorien,
  context: { before, match: '06-37281945', after },
  span: { start, end: start + 11 },
});

describe('empty text', () => {
  it('a part without text, given whole or as an empty stream, has no findings', async () => {
    async function* nothing(): AsyncIterable<string> {}
    expect(await scan([{ location: 'body', text: '' }, { location: 'bijlage', text: nothing() }])).toEqual({ findings: [], omitted: 0 });
  });
});

describe('the first character of a line', () => {
  it('a number at the start of the text, of a line and just before a line break', async () => {
    const text = '06-37281945\n06-37281945 bel\nbel 06-37281945\n\n06-37281945';
    const { findings, omitted } = await scan([{ location: 'body', text }]);
    expect(omitted).toBe(0);
    expect(findings).toEqual([
      phone(1, 1, 0, '', ''),
      phone(2, 1, 12, '', ' bel'),
      phone(3, 5, 32, 'bel ', ''),
      phone(5, 1, 45, '', ''),
    ]);
  });
});

describe('the first character of a streamed chunk', () => {
  it('after a chunk cut where the piece ends (one long line): the same place and context as in the whole text', async () => {
    // The second piece starts with the number; the first has no line break in its second half.
    const text = 'Kop\n' + words(K - 5) + ' 06-37281945 ' + words(200) + '\n';
    expect(text.indexOf('06-37281945')).toBe(K);
    expect(around(text, K, K + 11)).toEqual({ before: 'r de zaak loopt door de zaak loopt door de zaak loopt door. ', after: ' de zaak loopt door de zaak loopt door de zaak loopt door de' });
    const expected = {
      findings: [phone(2, K - 3, K, 'r de zaak loopt door de zaak loopt door de zaak loopt door. ', ' de zaak loopt door de zaak loopt door de zaak loopt door de')],
      omitted: 0,
    };
    expect(await scan([{ location: 'body', text }])).toEqual(expected);
    expect(await scan([{ location: 'body', text: pieces(text, K) }])).toEqual(expected);
  });

  it('after a chunk cut at a line start: line and column as in the whole text', async () => {
    let text = '';
    while (text.length < K) text += 'een gewone regel tekst\n';
    text = text.slice(0, K - 1) + '\n' + '06-37281945 belde.\n';
    expect(text.indexOf('06-37281945')).toBe(K);
    const line = text.slice(0, K).split('\n').length;
    const expected = { findings: [phone(line, 1, K, '', ' belde.')], omitted: 0 };
    expect(await scan([{ location: 'body', text }])).toEqual(expected);
    expect(await scan([{ location: 'body', text: pieces(text, K) }])).toEqual(expected);
  });

  it('a zero-width space on the first character of the third chunk, two chunks of one line before it', async () => {
    // Three pieces without a line break after the first line: each chunk is cut where its piece ends.
    const text = 'Kop\n' + words(2 * K - 4) + '\u200b' + words(100) + ' 06-37281945.';
    expect(text.indexOf('\u200b')).toBe(2 * K);
    expect(around(text, 2 * K, 2 * K + 1)).toEqual({ before: 'zaak loopt door de zaak loopt door de zaak loopt door de za.', after: 'de zaak loopt door de zaak loopt door de zaak loopt door de ' });
    expect(around(text, 2 * K + 102, 2 * K + 113)).toEqual({ before: 'zaak loopt door de zaak loopt door de zaak loopt door de z. ', after: '.' });
    const expected = {
      findings: [
        {
          kind: 'hidden-characters',
          confidence: 'low',
          text: 'U+200B (zero-width space)',
          location: 'body',
          line: 2,
          column: 2 * K - 3,
          worker: null,
          context: { before: 'zaak loopt door de zaak loopt door de zaak loopt door de za.', match: '⟨U+200B⟩', after: 'de zaak loopt door de zaak loopt door de zaak loopt door de ' },
        },
        // The zero-width space counts as a character of the line.
        phone(2, 2 * K + 99, 2 * K + 102, 'zaak loopt door de zaak loopt door de zaak loopt door de z. ', '.'),
      ],
      omitted: 0,
    };
    expect(await scan([{ location: 'body', text }])).toEqual(expected);
    expect(await scan([{ location: 'body', text: pieces(text, K) }])).toEqual(expected);
  });
});

// Chunking must not show: each text below gives, streamed, exactly what it gives whole.
describe('chunk boundaries do not show in the findings', () => {
  let sanne = '';
  // 100 characters, the longest address a worker record takes.
  const LONG_MAIL = `${'s'.repeat(57)}.vandervelde-oost@jeugdbescherming-regio.nl`;
  beforeAll(() => {
    expect(LONG_MAIL.length).toBe(100);
    sanne = vault.workers.add({ first_name: 'Sanne', prefix: 'van der', last_name: 'Velde', email: LONG_MAIL, team: 'Team Oost' });
  });

  async function wholeAndStreamed(text: string, sizes = [K, 4096, K + 77]) {
    const whole = await scan([{ location: 'body', text }]);
    for (const size of sizes) expect(await scan([{ location: 'body', text: pieces(text, size) }]), `pieces of ${size}`).toEqual(whole);
    return whole;
  }

  it('a number in the last characters of a chunk is reported once, so the cap counts it once', async () => {
    const text = 'bel 06-37281945\n'.repeat(4097) + 'Einde.\n';
    const whole = await wholeAndStreamed(text);
    // 4,097 mentions: 1,000 kept, every other one counted.
    expect(whole.findings).toHaveLength(1000);
    expect(whole.omitted).toBe(3097);
  });

  it('a number just before a chunk end among many low findings: no low finding is lost', async () => {
    let text = '';
    for (let i = 1; i <= 1955; i++) text += `Regel ${i}: dossier Dijkmanshoek.\n`;
    // The number's line ends exactly at 64 KiB.
    const pad = K - text.length - '\nbel 06-37281945\n'.length;
    text += 'x'.repeat(pad) + '\nbel 06-37281945\nEinde van het dossier.\n';
    expect(text.indexOf('06-37281945') + 12).toBe(K);
    const whole = await wholeAndStreamed(text, [K]);
    expect(whole.findings).toHaveLength(1000);
    expect(whole.findings.filter((f) => f.kind === 'phone')).toHaveLength(1);
    expect(whole.findings.filter((f) => f.confidence === 'low')).toHaveLength(999);
    expect(whole.omitted).toBe(956);
  });

  it('the context after a finding near a chunk end is as long as in the whole text', async () => {
    const text = words(K - 30) + ' 06-37281945 ' + words(300) + '\n';
    const whole = await wholeAndStreamed(text);
    expect(whole.findings.map((f) => f.context.after)).toEqual([' ' + words(300).slice(0, 59)]);
  });

  it('a 100-character e-mail address across a chunk boundary is found as an e-mail address', async () => {
    const start = K - 99;
    const text = words(start - 1) + ' ' + LONG_MAIL + ' ' + words(200);
    expect(text.indexOf(LONG_MAIL)).toBe(start);
    const whole = await wholeAndStreamed(text);
    expect(whole.findings.map((f) => [f.kind, f.confidence, f.text, f.worker, f.column])).toEqual([['email', 'high', LONG_MAIL, sanne, start + 1]]);
  });

  it('an address whose part before the "@" is longer than 64 characters is found', async () => {
    const { findings } = await scan([{ location: 'body', text: `Mail naar ${LONG_MAIL.toUpperCase()}.` }]);
    expect(findings.map((f) => [f.kind, f.text, f.worker])).toEqual([['email', LONG_MAIL.toUpperCase(), sanne]]);
  });

  it('a line ending in a hyphen and many blanks is never a place to cut: the name broken there is read whole', async () => {
    for (const blanks of [' '.repeat(9), '\t'.repeat(20) + '\r', '\u00a0'.repeat(3)]) {
      let text = '';
      while (text.length < K - 200) text += 'een gewone regel tekst\n';
      text += 'Groet van Jorien Dijkmans-' + blanks + '\nhoek tekende ' + words(300) + '\n';
      const whole = await wholeAndStreamed(text, [K]);
      expect(whole.findings.map((f) => [f.kind, f.confidence, f.text])).toEqual([['full-name', 'high', 'Jorien Dijkmans- hoek']]);
    }
  });
});
