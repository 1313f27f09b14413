// `scan` on PDFs written the way a hostile tool writes them (issue #14): the
// built CLI must find a worker's full name however the PDF spaces, kerns,
// orders or hides it, and must say when text lies outside the visible page.
// Fixtures come from raw content-stream operators (tests/helpers/hostile-pdf.ts).
// Names are invented.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectOk } from '../helpers/expect.js';
import { glyphByGlyph, hostilePdf, lit, seeded, shuffled, utf16 } from '../helpers/hostile-pdf.js';

interface FileJson {
  file: string;
  findings: { kind: string; confidence: string; text: string; location: string; worker: string | null }[];
  not_checked?: { location: string; note: string }[];
  notices?: { location: string; note: string }[];
}

describe('scan of hostile PDFs on the built CLI', () => {
  let sb: Sandbox;
  let token: string;
  const W = { sjoerd: '', aaltje: '' };
  const cli = (args: string[]): Promise<RunResult> => sb.run(args, { env: { SCHUILNAAM_SESSION: token } });
  const write = async (name: string, bytes: Promise<Uint8Array>): Promise<string> => {
    fs.writeFileSync(path.join(sb.dir, name), await bytes);
    return name;
  };

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    token = expectOk(await sb.runP(['unlock'])).stdout.trim();
    W.sjoerd = json<{ id: string }>(
      expectOk(await cli(['worker', 'add', '--first-name', 'Sjoerd', '--last-name', 'Kloosterboer', '--team', 'Team West', '--json'])),
    ).id;
    W.aaltje = json<{ id: string }>(
      expectOk(await cli(['worker', 'add', '--first-name', 'Aaltje', '--prefix', 'van der', '--last-name', 'Veen', '--team', 'Team West', '--json'])),
    ).id;
  });
  afterAll(() => sb?.cleanup());

  const hostile: [string, () => Promise<Uint8Array>, string][] = [
    ['letter-spaced.pdf', () => hostilePdf(() => [`BT /F1 12 Tf 3.5 Tc 72 700 Td ${lit('Behandelaar: Sjoerd Kloosterboer')} Tj ET`]), 'Sjoerd Kloosterboer'],
    [
      'kerning.pdf',
      () => hostilePdf(() => [`BT /F1 12 Tf 72 700 Td [(A) -300 (a) -300 (l) -300 (t) -300 (j) -300 (e) -1100 (v) -300 (a) -300 (n) -1100 (d) -300 (e) -300 (r) -1100 (V) -300 (e) -300 (e) -300 (n)] TJ ET`]),
      'Aaltje van der Veen',
    ],
    ['achterstevoren.pdf', () => hostilePdf((kit) => [glyphByGlyph(kit, 'Sjoerd Kloosterboer', 72, 700, 12, (g) => shuffled(g, seeded(11)))]), 'Sjoerd Kloosterboer'],
    [
      'actualtext.pdf',
      () => hostilePdf(() => [{ content: `BT /F1 12 Tf 72 700 Td /Span << /ActualText ${utf16('Aaltje van der Veen')} >> BDC (A.v.d.V.) Tj EMC ET`, compress: true }]),
      'Aaltje van der Veen',
    ],
  ];

  for (const [name, build, leaked] of hostile) {
    it(`fails on ${name} with a high full-name finding`, async () => {
      const file = await write(name, build());
      const r = await cli(['scan', file, '--json']);
      expect(r.exitCode, r.stderr).toBe(1);
      const out = json<{ clean: boolean; files: FileJson[] }>(r);
      expect(out.clean).toBe(false);
      expect(out.files[0]!.findings).toContainEqual(
        expect.objectContaining({ kind: 'full-name', confidence: 'high', text: expect.stringMatching(new RegExp(leaked.replace(/ /gu, '\\s+'), 'u')) }),
      );
    });
  }

  it('finds a name placed outside the page, and names where it sat', async () => {
    const file = await write('buiten.pdf', hostilePdf(() => [`BT /F1 12 Tf 72 700 Td (Beste ouders,) Tj ET BT /F1 12 Tf -6000 700 Td ${lit('Sjoerd Kloosterboer')} Tj ET`]));
    const r = await cli(['scan', file]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain(`buiten.pdf:1:1: high full-name in page 1 (outside the visible page): "Sjoerd Kloosterboer" (${W.sjoerd})`);
    expect(r.stdout).toContain('buiten.pdf: notice (page 1 (outside the visible page)): buiten.pdf: page 1 has text outside the visible page (1 line); it was scanned');
  });

  it('reports harmless text outside the page as a notice, without failing', async () => {
    const file = await write('marge.pdf', hostilePdf(() => [`BT /F1 12 Tf 72 700 Td (Uitnodiging gesprek) Tj ET BT /F1 9 Tf 72 30000 Td (sjabloon versie 3) Tj ET`]));
    const r = await cli(['scan', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = json<{ clean: boolean; files: FileJson[] }>(r);
    expect(out.clean).toBe(true);
    expect(out.files[0]!.findings).toEqual([]);
    expect(out.files[0]!.notices).toEqual([
      { location: 'page 1 (outside the visible page)', note: 'marge.pdf: page 1 has text outside the visible page (1 line); it was scanned' },
    ]);
    expect(out.files[0]!.not_checked).toBeUndefined();
    const human = await cli(['scan', file]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain('marge.pdf: notice (page 1 (outside the visible page)):');
    expect(human.stdout).toContain('clean: 1 file scanned');
  });

  it('finds a name in white text and says the page has text nobody can see', async () => {
    const file = await write('wit.pdf', hostilePdf(() => [`BT /F1 12 Tf 72 700 Td (Beste ouders,) Tj ET BT 1 1 1 rg /F1 12 Tf 72 680 Td ${lit('Aaltje van der Veen')} Tj ET`]));
    const r = await cli(['scan', file, '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const out = json<{ files: FileJson[] }>(r);
    expect(out.files[0]!.findings).toContainEqual(expect.objectContaining({ kind: 'full-name', confidence: 'high', location: 'page 1', worker: W.aaltje }));
    expect(out.files[0]!.notices).toEqual([{ location: 'page 1', note: expect.stringMatching(/^wit\.pdf: page 1 has text nobody can see \(16 characters/u) }]);
  });
});
