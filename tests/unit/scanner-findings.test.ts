// The leak gate's edges that a hand-made mutation audit found unguarded, on a
// real vault in-process: a high finding past the cap of kept findings, names
// written surname first (only with a comma), phone numbers written with 00
// and more than ten digits, and which reading of a number a redaction cuts
// out. Invented people and numbers only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findValues } from '../../src/core/leak-values.js';
import { Scanner, MAX_FINDINGS, type Finding } from '../../src/vault/scanner.js';
import type { Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';

const JORIEN = { first_name: 'Jorien', last_name: 'Dijkmanshoek', phone: '06-37281945', team: 'Team West' };
const THIJMEN = { first_name: 'Thijmen', prefix: 'van', last_name: 'Oordtwijk', phone: '+31 (0)6 52947318', team: 'Team West' };
const CASE = 'ZK-2026-7311';

let bench: Bench;
let vault: Vault;
const ids = { jorien: '', thijmen: '' };

beforeAll(async () => {
  bench = makeBench('schuilnaam-scanfind-');
  vault = await bench.unlock(await bench.create());
  ids.jorien = vault.workers.add(JORIEN);
  ids.thijmen = vault.workers.add(THIJMEN);
  vault.cases.add(CASE, undefined, 'normal');
  vault.cases.assign(CASE, ids.jorien);
});
afterAll(() => bench?.cleanup());

async function scan(text: string): Promise<{ findings: Finding[]; omitted: number }> {
  return new Scanner(vault.scanIndex).scan([{ location: 'body', text }]);
}

const high = (fs: Finding[]) => fs.filter((f) => f.confidence === 'high').map((f) => ({ kind: f.kind, text: f.text, worker: f.worker }));

describe('past the cap of kept findings', () => {
  // Many more lone surnames (low) than are kept, then one full name (high) at the very end.
  const LOWS = 3 * MAX_FINDINGS;
  const letter = [
    ...Array.from({ length: LOWS }, (_, i) => `Regel ${i + 1}: het dossier Dijkmanshoek is bijgewerkt.`),
    'Met vriendelijke groet, Jorien Dijkmanshoek',
    '',
  ].join('\n');

  it('a high finding after thousands of low ones is still listed, with its text and place', async () => {
    const { findings, omitted } = await scan(letter);
    expect(findings).toHaveLength(MAX_FINDINGS);
    expect(omitted).toBe(LOWS + 1 - MAX_FINDINGS);
    expect(high(findings)).toEqual([{ kind: 'full-name', text: 'Jorien Dijkmanshoek', worker: ids.jorien }]);
    const f = findings.find((x) => x.confidence === 'high')!;
    expect(f.line).toBe(LOWS + 1);
    expect(f.column).toBe('Met vriendelijke groet, '.length + 1);
  });

  it('the same when the text arrives in small chunks', async () => {
    async function* chunks() {
      for (let i = 0; i < letter.length; i += 4096) yield letter.slice(i, i + 4096);
    }
    const { findings } = await new Scanner(vault.scanIndex).scan([{ location: 'body', text: chunks() }]);
    expect(high(findings)).toEqual([{ kind: 'full-name', text: 'Jorien Dijkmanshoek', worker: ids.jorien }]);
  });
});

describe('a name written surname first', () => {
  it('counts as a full name with a comma after the surname', async () => {
    const { findings } = await scan('Behandeld door: Dijkmanshoek, Jorien (jeugdbeschermer).');
    expect(high(findings)).toEqual([{ kind: 'full-name', text: 'Dijkmanshoek, Jorien', worker: ids.jorien }]);
  });

  it('with a prefix moved to the end: "Oordtwijk, Thijmen van"', async () => {
    const { findings } = await scan('Contactpersoon: Oordtwijk, Thijmen van');
    expect(high(findings)).toEqual([{ kind: 'full-name', text: 'Oordtwijk, Thijmen van', worker: ids.thijmen }]);
  });

  it('without the comma it is no high finding: only the surname and the first name, each low', async () => {
    const { findings } = await scan('De map Dijkmanshoek Jorien ligt in de kast.');
    expect(high(findings)).toEqual([]);
    expect(findings.map((f) => [f.kind, f.confidence, f.text]).sort()).toEqual([
      ['first-name', 'low', 'Jorien'],
      ['surname', 'low', 'Dijkmanshoek'],
    ]);
  });
});

describe('phone numbers', () => {
  it.each([
    ['0031 6 37 28 19 45', 'spaced pairs after 0031 (13 digits)'],
    ['0031-6-37281945', 'dashes after 0031'],
    ['0031 (0)6 3728 1945', '0031 with the trunk (0)'],
    ['+31 6 37 28 19 45', '+31 with pairs'],
  ])('finds %s (%s)', async (written) => {
    const { findings } = await scan(`U kunt haar bellen op ${written} na tienen.`);
    expect(high(findings)).toEqual([{ kind: 'phone', text: written, worker: ids.jorien }]);
  });

  it('a number of another country with 00 and 12 digits is read whole', () => {
    const found = findValues('tel. 0049 301 2345 6789').filter((v) => v.kind === 'phone');
    expect(found.map((v) => v.value)).toContain('+4930123456789');
  });

  it('keeps the longest reading of one number: "+31 (0)6 …" and not a fragment of it', () => {
    const text = 'bel +31 (0)6 5294 7318 gerust';
    const phones = findValues(text).filter((v) => v.kind === 'phone');
    expect(phones).toHaveLength(1);
    expect(text.slice(phones[0]!.start, phones[0]!.end)).toBe('+31 (0)6 5294 7318');
  });

  it('a redacted copy has the whole number replaced, no "+31 (" left over', async () => {
    const text = 'Vragen? Bel Thijmen op +31 (0)6 5294 7318 of 0031 6 52 94 73 18.\n';
    const out = await vault.redactor().redactSource(text, [{ location: 'body', text }], CASE, new Scanner(vault.scanIndex), (t) => t);
    expect(out.text).toBe('Vragen? Bel Thijmen op [telefoonnummer] of [telefoonnummer].\n');
    expect(out.replaced).toBe(2);
  });
});
