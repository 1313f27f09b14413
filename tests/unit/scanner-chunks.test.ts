// The leak gate on a streamed text, where it is cut into chunks: a finding
// near a chunk end, or in the chunk before the last one, has the context it
// has in the whole text; a number at the exact place where values are handed
// to the next chunk counts once; and a chunk is scanned before the rest is read.
// Written for the mutation survivors of src/vault/scanner.ts. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scanner } from '../../src/vault/scanner.js';
import type { TextSegment } from '../../src/formats/segments.js';
import type { Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';
import { pieces, words } from '../helpers/text-pieces.js';

let bench: Bench;
let vault: Vault;

beforeAll(async () => {
  bench = makeBench('schuilnaam-scanchunks-');
  vault = await bench.unlock(await bench.create());
  vault.workers.add({ first_name: 'Jorien', last_name: 'Dijkmanshoek', phone: '06-37281945', team: 'Team West' });
});
afterAll(() => bench?.cleanup());

const scan = (segments: TextSegment[]) => new Scanner(vault.scanIndex).scan(segments);
const K = 65536;

async function sameStreamed(text: string, size = K) {
  const whole = await scan([{ location: 'body', text }]);
  expect(await scan([{ location: 'body', text: pieces(text, size) }])).toEqual(whole);
  return whole;
}

describe('the context of a finding in a streamed text', () => {
  it('a name whose context after it goes on in the next chunk (one long line): the context is completed', async () => {
    // The first chunk is cut where the piece ends, nine characters after the name.
    const text = words(K - 30) + ' Jorien Dijkmanshoek ' + words(300) + '\n';
    expect(text.indexOf(' Jorien') + 21).toBe(K - 9);
    const whole = await sameStreamed(text);
    expect(whole.findings.map((f) => [f.kind, f.text, f.context!.after])).toEqual([['full-name', 'Jorien Dijkmanshoek', ' ' + words(300).slice(0, 59)]]);
  });

  it('a number in the last characters of the first of three chunks: its context stays that of the whole text', async () => {
    // Looked at with the second chunk (it starts within 128 characters of the first one's end),
    // its context is whole then; the third chunk no longer holds the first one.
    const text = words(K - 50) + ' 06-37281945 ' + words(2 * K + 500) + '\n';
    const whole = await sameStreamed(text);
    expect(whole.findings.map((f) => [f.kind, f.text, f.context!.before.length, f.context!.after.length])).toEqual([['phone', '06-37281945', 60, 60]]);
  });
});

describe('values at the place where a chunk hands them on', () => {
  it('a number starting exactly 128 characters before the end of the first chunk is counted once against the cap', async () => {
    // The first chunk ends at a line break at 64 KiB; its values starting from K - 128 are left to the second chunk.
    let text = 'Dossier 12.\n' + 'bel 06-37281945\n'.repeat(4087);
    expect(text.length).toBe(K - 132);
    text += 'bel 06-37281945\n' + 'x'.repeat(115) + '\n';
    expect(text.length).toBe(K);
    expect(text.indexOf('06-37281945', K - 140)).toBe(K - 128);
    text += 'bel 06-37281945\n'.repeat(100) + 'Einde.\n';
    const whole = await sameStreamed(text);
    // 4,188 mentions: 1,000 kept, every other one counted once.
    expect(whole.findings).toHaveLength(1000);
    expect(whole.omitted).toBe(3188);
  });
});

describe('a streamed text is scanned as it is read', () => {
  it('the first chunk is scanned before the next piece is read', async () => {
    const reportedBy: number[] = [];
    let read = 0;
    async function* slowly(): AsyncIterable<string> {
      read = 1;
      yield 'bel 06-37281945\n' + words(K) + '\n';
      read = 2;
      yield words(K) + '\n';
      read = 3;
      yield 'Einde.\n';
    }
    const { findings } = await scan([
      {
        location: 'body',
        text: slowly(),
        position: (offset) => {
          reportedBy.push(read);
          return { line: 1, column: offset + 1 };
        },
      },
    ]);
    expect(findings.map((f) => [f.kind, f.text, f.line, f.column])).toEqual([['phone', '06-37281945', 1, 5]]);
    // Reported while only the first piece had been read (a text held whole until its end would say 3).
    expect(reportedBy).toEqual([1]);
  });
});
