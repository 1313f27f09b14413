// What a user of the built CLI sees at the leak gate's edges: a long letter
// with thousands of lone surnames and one full name (the full name must be
// listed, not only counted), a name written surname first with and without a
// comma, and a redacted copy of a number written with +31 (0). Invented
// people and numbers only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectOk } from '../helpers/expect.js';

interface FindingJson {
  kind: string;
  confidence: 'high' | 'low';
  text: string;
  line: number | null;
  column: number | null;
  worker: string | null;
}
interface ScanJson {
  clean: boolean;
  files: { file: string; findings: FindingJson[]; omitted?: number }[];
}

const CAP = 1000; // MAX_FINDINGS in src/vault/scanner.ts

describe('scan and redact at the edges', () => {
  let sb: Sandbox;
  let token = '';
  let worker = '';
  const cli = (args: string[]): Promise<RunResult> => sb.run(args, { env: { SCHUILNAAM_SESSION: token } });
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(sb.dir, name), text);
    return name;
  };

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    token = expectOk(await sb.runP(['unlock'])).stdout.trim();
    worker = json<{ id: string }>(
      expectOk(await cli(['worker', 'add', '--first-name', 'Lieke', '--last-name', 'Brouwersgracht', '--phone', '+31 (0)6 71829364', '--team', 'Team Zuid', '--json'])),
    ).id;
    expectOk(await cli(['case', 'add', 'ZK-2026-8802', '--team', 'Team Zuid']));
  });
  afterAll(() => sb?.cleanup());

  it('a full name after 3,000 lone surnames: exit 1, and the full name is listed in --json with its text and line', async () => {
    const lows = 3 * CAP;
    const lines = Array.from({ length: lows }, (_, i) => `Punt ${i + 1}: overleg over Brouwersgracht gepland.`);
    const file = write('lang.txt', [...lines, 'Namens het team, Lieke Brouwersgracht', ''].join('\n'));
    const r = await cli(['scan', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const out = json<ScanJson>(r);
    expect(out.clean).toBe(false);
    const f = out.files[0]!;
    expect(f.findings).toHaveLength(CAP);
    expect(f.omitted).toBe(lows + 1 - CAP);
    expect(f.findings.filter((x) => x.confidence === 'high')).toEqual([
      { kind: 'full-name', confidence: 'high', text: 'Lieke Brouwersgracht', location: 'body', line: lows + 1, column: 'Namens het team, '.length + 1, worker },
    ]);
  });

  it('"Brouwersgracht, Lieke" is a high finding; "Brouwersgracht Lieke" is not', async () => {
    const comma = json<ScanJson>(await cli(['scan', write('komma.txt', 'Afzender: Brouwersgracht, Lieke\n'), '--json']));
    expect(comma.files[0]!.findings.filter((x) => x.confidence === 'high').map((x) => [x.kind, x.text])).toEqual([['full-name', 'Brouwersgracht, Lieke']]);
    const r = await cli(['scan', write('geen-komma.txt', 'Map Brouwersgracht Lieke staat klaar.\n'), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const plain = json<ScanJson>(r);
    expect(plain.clean).toBe(true);
    expect(plain.files[0]!.findings.map((x) => [x.kind, x.confidence]).sort()).toEqual([
      ['first-name', 'low'],
      ['surname', 'low'],
    ]);
  });

  it('redact replaces "+31 (0)6 …" and "0031 6 …" whole: no fragment of the number is left', async () => {
    const src = write('concept.txt', 'Bel gerust met +31 (0)6 7182 9364 of 0031 6 71 82 93 64.\n');
    const r = expectOk(await cli(['redact', src, '--case', 'ZK-2026-8802', '--out', 'schoon.txt']));
    expect(r.stdout).not.toContain('7182');
    const copy = fs.readFileSync(path.join(sb.dir, 'schoon.txt'), 'utf8');
    expect(copy).toBe('Bel gerust met [telefoonnummer] of [telefoonnummer].\n');
  });
});
