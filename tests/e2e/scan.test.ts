// End-to-end tests of `schuilnaam scan` on the built CLI: every fixture
// (.txt, .md, .html, .docx, .pdf, .eml) is built here, in the sandbox, so no
// binary fixture is committed. Names, addresses and numbers are invented.
//
// One vault for the whole file: unlocked once, the session token is passed to
// every later run (a scan then takes a fraction of a second).
import fs from 'node:fs';
import path from 'node:path';
import * as docx from 'docx';
import { strToU8, zipSync } from 'fflate';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunOptions, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

// ---------------------------------------------------------------------------
// shapes and helpers

interface FindingJson {
  kind: string;
  confidence: 'high' | 'low';
  text: string;
  location: string;
  line: number | null;
  column: number | null;
  worker: string | null;
}

interface FileJson {
  file: string;
  findings: FindingJson[];
  error?: string;
  not_checked?: { location: string; note: string }[];
}

interface ScanJson {
  clean: boolean;
  files: FileJson[];
  skipped?: string[];
}

/** 1-based line and column of the first `needle` in `text` (after `from`, if given). */
function lineCol(text: string, needle: string, from?: string): { line: number; column: number } {
  const start = from === undefined ? 0 : text.indexOf(from);
  expect(start, `fixture contains ${JSON.stringify(from)}`).toBeGreaterThanOrEqual(0);
  const at = text.indexOf(needle, start);
  expect(at, `fixture contains ${JSON.stringify(needle)}`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: at - nl };
}

const ANSI = /\u001b\[/u;

function pdf(build: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ compress: false, ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  build(doc);
  doc.end();
  return done;
}

function b64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64').replace(/.{76}/gu, '$&\r\n');
}

// ---------------------------------------------------------------------------

describe('scan on the built CLI', () => {
  let sb: Sandbox;
  let token: string;
  /** Runs with the session (no passphrase needed). */
  const cli = (args: string[], opts: RunOptions = {}): Promise<RunResult> =>
    sb.run(args, { ...opts, env: { SCHUILNAAM_SESSION: token, ...opts.env } });
  /** `scan … --json`: stdout parsed; the exit code checked by the caller. */
  const scanJson = async (args: string[], opts: RunOptions = {}): Promise<{ r: RunResult; out: ScanJson }> => {
    const r = await cli(['scan', ...args, '--json'], opts);
    return { r, out: json<ScanJson>(r) };
  };
  const write = (name: string, content: string | Uint8Array): string => {
    const p = path.join(sb.dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return name; // relative to the sandbox, which is the CLI's working directory
  };

  // Worker ids, filled in beforeAll.
  const W = { pj: '', ozlem: '', annemarie: '', bakker: '' };
  // Pseudonyms of Özlem Koç on case 2026-0042: the one retired by rotation and the active one.
  const P = { retired: '', retiredFormal: '', active: '', activeFormal: '', pjActive: '' };

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    token = expectOk(await sb.runP(['unlock'])).stdout.trim();
    expect(token).toMatch(/\S/u);

    const add = expectOk(
      await cli([
        'worker', 'add', '--first-name', 'Pieter Jan', '--prefix', 'van der', '--last-name', 'Berg', '--initials', 'P.J.',
        '--email', 'pj.vanderberg@jeugdzorg-proef.nl', '--phone', '06-41234567', '--employee-no', 'P-10231',
        '--team', 'Team Noord', '--json',
      ]),
    );
    W.pj = json<{ id: string }>(add).id;
    write(
      'medewerkers.csv',
      [
        'first_name,prefix,last_name,initials,email,phone,employee_no,team',
        'Özlem,,Koç,,o.koc@jeugdzorg-proef.nl,,,Team Noord',
        "Anne-Marie,van 't,Hoogland,A.M.,,,,Team Oost",
        'Gerdien,,Bakker,,,,,Team Oost',
        '',
      ].join('\n'),
    );
    const imported = json<{ imported: number; ids: string[] }>(expectOk(await cli(['worker', 'import', 'medewerkers.csv', '--json'])));
    expect(imported.imported).toBe(3);
    [W.ozlem, W.annemarie, W.bakker] = imported.ids as [string, string, string];

    expectOk(await cli(['case', 'add', '2026-0042', '--team', 'Team Noord']));
    expectOk(await cli(['case', 'assign', '2026-0042', W.ozlem]));
    expectOk(await cli(['case', 'assign', '2026-0042', W.pj]));
    const first = json<{ pseudonym: string; formal: string; status: string }>(
      expectOk(await cli(['pseudonym', 'get', '--case', '2026-0042', '--worker', W.ozlem, '--json'])),
    );
    expect(first.status).toBe('active');
    const rotated = json<{ rotated: { old: string; new: string; worker: string }[] }>(
      expectOk(await cli(['rotate', '--pseudonym', first.pseudonym, '--reason', 'naam gedeeld in een Facebookgroep', '--yes', '--json'])),
    );
    expect(rotated.rotated).toEqual([expect.objectContaining({ old: first.pseudonym, worker: W.ozlem })]);
    const now = json<{ pseudonym: string; formal: string; status: string }>(
      expectOk(await cli(['pseudonym', 'get', '--case', '2026-0042', '--worker', W.ozlem, '--json'])),
    );
    expect(now.pseudonym).toBe(rotated.rotated[0]!.new);
    expect(now.pseudonym).not.toBe(first.pseudonym);
    Object.assign(P, { retired: first.pseudonym, retiredFormal: first.formal, active: now.pseudonym, activeFormal: now.formal });
    P.pjActive = json<{ pseudonym: string }>(
      expectOk(await cli(['pseudonym', 'get', '--case', '2026-0042', '--worker', W.pj, '--json'])),
    ).pseudonym;
  });

  afterAll(() => sb?.cleanup());

  // -------------------------------------------------------------------------
  describe('documents with a known leak: exit 1, clean false, each finding where it sits', () => {
    it('.txt: initials + surname, phone, personnel number, e-mail and a titled surname, with line and column', async () => {
      const text = [
        'Beste familie,',
        '',
        'Uw contactpersoon was P.J. van der Berg, bel 06-41234567.',
        'Personeelsnummer P10231, mail PJ.VanDerBerg@jeugdzorg-proef.nl',
        'Ook mevrouw Koç was erbij.',
        'Buiten kantoortijd: +31 6 4123 4567.',
        '',
      ].join('\n');
      const file = write('lek.txt', text);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toBe('');
      expect(out.clean).toBe(false);
      expect(out.files).toHaveLength(1);
      expect(out.files[0]!.file).toBe(file);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({ kind: 'initials-name', confidence: 'high', text: 'P.J. van der Berg', location: 'body', ...lineCol(text, 'P.J.'), worker: W.pj });
      expect(f).toContainEqual({ kind: 'phone', confidence: 'high', text: '06-41234567', location: 'body', ...lineCol(text, '06-'), worker: W.pj });
      expect(f).toContainEqual({ kind: 'employee-no', confidence: 'high', text: 'P10231', location: 'body', ...lineCol(text, 'P10231'), worker: W.pj });
      expect(f).toContainEqual({
        kind: 'email', confidence: 'high', text: 'PJ.VanDerBerg@jeugdzorg-proef.nl', location: 'body', ...lineCol(text, 'PJ.Van'), worker: W.pj,
      });
      expect(f).toContainEqual({ kind: 'surname', confidence: 'high', text: 'mevrouw Koç', location: 'body', ...lineCol(text, 'mevrouw'), worker: W.ozlem });
      expect(f).toContainEqual({ kind: 'phone', confidence: 'high', text: '+31 6 4123 4567', location: 'body', ...lineCol(text, '+31'), worker: W.pj });
      // nothing high that is not one of the above
      expect(f.filter((x) => x.confidence === 'high')).toHaveLength(6);
    });

    it('.md: a full name in markdown emphasis, reversed initials with "van \'t", a name broken over a line', async () => {
      const text = [
        '# Verslag huisbezoek',
        '',
        'Aanwezig: **Özlem Koç** (gezinsvoogd).',
        "Verslag: Van 't Hoogland, A.M.",
        'Met dank aan Anne-Marie van',
        "'t Hoogland voor de notulen.",
        '',
      ].join('\n');
      const file = write('verslag.md', text);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({ kind: 'full-name', confidence: 'high', text: 'Özlem Koç', location: 'body', ...lineCol(text, 'Özlem'), worker: W.ozlem });
      expect(f).toContainEqual(
        expect.objectContaining({ kind: 'initials-name', confidence: 'high', location: 'body', ...lineCol(text, "Van 't"), worker: W.annemarie }),
      );
      expect(f.find((x) => x.line === 4)!.text).toMatch(/^Van 't Hoogland, A\.M/u);
      // across the line break: reported where the name starts, the text with the break as one space
      expect(f).toContainEqual({
        kind: 'full-name', confidence: 'high', text: "Anne-Marie van 't Hoogland", location: 'body', ...lineCol(text, 'Anne-Marie'), worker: W.annemarie,
      });
    });

    it('.html: a name in an alt attribute, entities inside a name, tags inside a name', async () => {
      const text = [
        '<!doctype html>',
        '<html><head><title>Brief</title></head><body>',
        '<p>Geachte familie,</p>',
        "<p><img src=\"team.png\" alt=\"Foto van Anne-Marie van 't Hoogland\"></p>",
        '<p>Met vriendelijke groet, P&#46;J&#46; van der Berg</p>',
        '<p>Ook namens <b>&Ouml;zlem</b> <i>Ko&ccedil;</i>.</p>',
        '</body></html>',
        '',
      ].join('\n');
      const file = write('brief.html', text);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({
        kind: 'full-name', confidence: 'high', text: "Anne-Marie van 't Hoogland", location: 'attribute:alt', ...lineCol(text, 'Anne-Marie'), worker: W.annemarie,
      });
      expect(f).toContainEqual(
        expect.objectContaining({ kind: 'initials-name', confidence: 'high', location: 'body', ...lineCol(text, 'P&#46;'), worker: W.pj }),
      );
      expect(f).toContainEqual(
        expect.objectContaining({ kind: 'full-name', confidence: 'high', location: 'body', ...lineCol(text, '&Ouml;zlem'), worker: W.ozlem }),
      );
    });

    it('.docx: author in core.xml, a comment, deleted text of a tracked change, a header, the body', async () => {
      const { Document, Packer, Paragraph, TextRun, Header, CommentRangeStart, CommentRangeEnd, CommentReference, DeletedTextRun, InsertedTextRun } = docx;
      const doc = new Document({
        creator: 'Pieter Jan van der Berg',
        lastModifiedBy: 'Secretariaat',
        title: 'Brief aan de ouders',
        comments: {
          children: [{ id: 0, author: 'Secretariaat', initials: 'S', date: new Date('2026-01-01'), children: [new Paragraph('Even nagaan bij Özlem Koç')] }],
        },
        sections: [
          {
            headers: { default: new Header({ children: [new Paragraph("Behandelaar: A.M. van 't Hoogland")] }) },
            children: [
              new Paragraph('Geachte ouders,'),
              new Paragraph({
                children: [
                  new CommentRangeStart(0),
                  new TextRun('Wij spraken met '),
                  new DeletedTextRun({ text: 'Özlem Koç', id: 1, author: 'Secretariaat', date: '2026-01-01T00:00:00Z' }),
                  new InsertedTextRun({ text: 'de gezinsvoogd', id: 2, author: 'Secretariaat', date: '2026-01-01T00:00:00Z' }),
                  new TextRun('.'),
                  new CommentRangeEnd(0),
                  new TextRun({ children: [new CommentReference(0)] }),
                ],
              }),
              new Paragraph({ children: [new TextRun('U kunt bellen met '), new TextRun({ text: '06-41234567', bold: true }), new TextRun('.')] }),
            ],
          },
        ],
      });
      const file = write('brief.docx', new Uint8Array(await Packer.toBuffer(doc)));
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({
        kind: 'full-name', confidence: 'high', text: 'Pieter Jan van der Berg', location: 'metadata:author', line: null, column: null, worker: W.pj,
      });
      expect(f).toContainEqual({ kind: 'full-name', confidence: 'high', text: 'Özlem Koç', location: 'comment', line: 1, column: 'Even nagaan bij '.length + 1, worker: W.ozlem });
      expect(f).toContainEqual({
        kind: 'full-name', confidence: 'high', text: 'Özlem Koç', location: 'tracked-change', line: 1, column: 'Wij spraken met '.length + 1, worker: W.ozlem,
      });
      expect(f).toContainEqual({
        kind: 'initials-name', confidence: 'high', text: "A.M. van 't Hoogland", location: 'header', line: 1, column: 'Behandelaar: '.length + 1, worker: W.annemarie,
      });
      // body: paragraph 3, runs joined as written
      expect(f).toContainEqual({ kind: 'phone', confidence: 'high', text: '06-41234567', location: 'body', line: 3, column: 'U kunt bellen met '.length + 1, worker: W.pj });
      // the body as it reads now (after the change) has no name in it
      expect(f.filter((x) => x.location === 'body' && x.kind !== 'phone')).toEqual([]);
    });

    it('.pdf: Info Author and a name in the page text', async () => {
      const bytes = await pdf(
        (doc) => {
          doc.text('Geachte familie,', 72, 72);
          doc.text('Uw gezinsvoogd is mevrouw Koç, bereikbaar via het team.');
          doc.addPage();
          doc.text('Met vriendelijke groet,', 72, 72);
          doc.text('P.J. van der Berg');
        },
        { info: { Author: 'Pieter Jan van der Berg', Title: 'Brief' } },
      );
      const file = write('brief.pdf', bytes);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({
        kind: 'full-name', confidence: 'high', text: 'Pieter Jan van der Berg', location: 'metadata:author', line: null, column: null, worker: W.pj,
      });
      expect(f).toContainEqual({ kind: 'surname', confidence: 'high', text: 'mevrouw Koç', location: 'page 1', line: 2, column: 'Uw gezinsvoogd is '.length + 1, worker: W.ozlem });
      expect(f).toContainEqual({ kind: 'initials-name', confidence: 'high', text: 'P.J. van der Berg', location: 'page 2', line: 2, column: 1, worker: W.pj });
    });

    it('.eml: the From display name, and a name in a .txt attachment', async () => {
      const attachment = 'Notities huisbezoek\nGesprek gevoerd door mevrouw Koç.\n';
      const mail = [
        'From: Pieter Jan van der Berg <secretariaat@jeugdzorg-proef.nl>',
        'To: Familie de Graaf <familie@example.org>',
        'Subject: Verslag',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="grens"',
        '',
        '--grens',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Beste familie,',
        '',
        'In de bijlage vindt u de notities.',
        '--grens',
        'Content-Type: text/plain; charset=utf-8; name="notities.txt"',
        'Content-Disposition: attachment; filename="notities.txt"',
        'Content-Transfer-Encoding: base64',
        '',
        b64(attachment),
        '--grens--',
        '',
      ].join('\r\n');
      const file = write('bericht.eml', mail);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const f = out.files[0]!.findings;
      // a header has no lines: line and column are null
      expect(f).toContainEqual({
        kind: 'full-name', confidence: 'high', text: 'Pieter Jan van der Berg', location: 'mail-header:from', line: null, column: null, worker: W.pj,
      });
      const att = f.filter((x) => x.location.startsWith('attachment:'));
      expect(att).toEqual([
        { kind: 'surname', confidence: 'high', text: 'mevrouw Koç', location: 'attachment:notities.txt/body', ...lineCol(attachment, 'mevrouw'), worker: W.ozlem },
      ]);
      // the plain body and the other headers are clean
      expect(f.filter((x) => x.location === 'body' || x.location === 'mail-header:to' || x.location === 'mail-header:subject')).toEqual([]);
    });

    it('a retired (compromised) pseudonym in a letter: pseudonym-retired, high, with the worker', async () => {
      const text = `Beste ouders,\n\nUw vaste contactpersoon blijft ${P.retired}.\nGroet, ${P.retiredFormal}\n`;
      const file = write('oude-naam.txt', text);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({ kind: 'pseudonym-retired', confidence: 'high', text: P.retired, location: 'body', ...lineCol(text, P.retired), worker: W.ozlem });
      expect(f).toContainEqual({
        kind: 'pseudonym-retired', confidence: 'high', text: P.retiredFormal, location: 'body', ...lineCol(text, P.retiredFormal, 'Groet'), worker: W.ozlem,
      });
    });
  });

  // -------------------------------------------------------------------------
  describe('the same kinds of documents without leaks: exit 0, clean true', () => {
    const letter = () => [
      'Geachte familie De Graaf,',
      '',
      `Uw gezinsvoogd is ${P.active} (${P.activeFormal}); de heer Jansen en mevrouw El Amrani van de school waren er ook.`,
      `Vragen? Bel ${P.pjActive} via het team: 020-7654321.`,
      'Wij kochten brood bij de bakker op de hoek en liepen daarna de dijk op.',
      'Met vriendelijke groet, Kees de Boer en Jan de Vries',
    ];

    const expectClean = async (file: string) => {
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(out.clean).toBe(true);
      expect(out.files).toHaveLength(1);
      expect(out.files[0]!.error).toBeUndefined();
      expect(out.files[0]!.findings.filter((x) => x.confidence === 'high')).toEqual([]);
      // the text was read: "de bakker op de hoek" is seen, as a low finding for Gerdien Bakker
      expect(out.files[0]!.findings).toContainEqual(expect.objectContaining({ kind: 'surname', confidence: 'low', text: 'bakker', worker: W.bakker }));
      return out.files[0]!;
    };

    it('.txt and .md', async () => {
      const f = await expectClean(write('schoon.txt', letter().join('\n') + '\n'));
      // "de bakker op de hoek" is at most a low finding for Gerdien Bakker
      expect(f.findings.every((x) => x.kind === 'surname' || x.kind === 'first-name')).toBe(true);
      await expectClean(write('schoon.md', `# Brief\n\n${letter().map((l) => `- ${l}`).join('\n')}\n`));
    });

    it('.html', async () => {
      const html = `<!doctype html>\n<html><head><title>Brief</title></head><body>\n${letter()
        .map((l) => `<p>${l.replace(/&/gu, '&amp;')}</p>`)
        .join('\n')}\n<img src="logo.png" alt="Logo van het team" title="${P.active}">\n</body></html>\n`;
      await expectClean(write('schoon.html', html));
    });

    it('.docx', async () => {
      const { Document, Packer, Paragraph, Header } = docx;
      const doc = new Document({
        creator: 'Team Noord',
        lastModifiedBy: 'Team Noord',
        title: 'Brief',
        sections: [{ headers: { default: new Header({ children: [new Paragraph(`Behandelaar: ${P.activeFormal}`)] }) }, children: letter().map((l) => new Paragraph(l)) }],
      });
      await expectClean(write('schoon.docx', new Uint8Array(await Packer.toBuffer(doc))));
    });

    it('.pdf', async () => {
      const bytes = await pdf((doc) => {
        doc.text(letter()[0]!, 72, 72);
        for (const l of letter().slice(1)) doc.text(l);
      }, { info: { Author: 'Team Noord', Title: 'Brief' } });
      await expectClean(write('schoon.pdf', bytes));
    });

    it('.eml', async () => {
      const mail = [
        `From: ${P.active} <team.noord@jeugdzorg-proef.nl>`,
        'To: Familie de Graaf <familie@example.org>',
        'Subject: Afspraak',
        'Content-Type: text/plain; charset=utf-8',
        '',
        ...letter(),
        '',
      ].join('\r\n');
      await expectClean(write('schoon.eml', mail));
    });
  });

  // -------------------------------------------------------------------------
  describe('low confidence only', () => {
    const text = 'Geachte familie,\n\nKoç komt volgende week langs, samen met Özlem van de school.\n';

    it('exit 0 without --strict, the low findings still listed', async () => {
      const file = write('laag.txt', text);
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(out.clean).toBe(true);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual({ kind: 'surname', confidence: 'low', text: 'Koç', location: 'body', ...lineCol(text, 'Koç'), worker: W.ozlem });
      expect(f).toContainEqual({ kind: 'first-name', confidence: 'low', text: 'Özlem', location: 'body', ...lineCol(text, 'Özlem'), worker: W.ozlem });
      expect(f.every((x) => x.confidence === 'low')).toBe(true);
      const human = await cli(['scan', file]);
      expect(human.exitCode).toBe(0);
      expect(human.stdout).toMatch(/low surname: "Koç"/u);
      expect(human.stdout).toMatch(/^clean: 1 file scanned, no high-confidence findings \(2 low-confidence findings/mu);
    });

    it('exit 1 with --strict', async () => {
      const { r, out } = await scanJson(['laag.txt', '--strict']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      expect(out.files[0]!.findings.length).toBeGreaterThanOrEqual(2);
    });
  });

  // -------------------------------------------------------------------------
  describe('--stdin', () => {
    it('reads text from standard input', async () => {
      const { r, out } = await scanJson(['--stdin'], { input: 'Hallo,\nGroeten van A.M. van \'t Hoogland\n' });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      expect(out.files).toHaveLength(1);
      expect(out.files[0]!.findings).toContainEqual({
        kind: 'initials-name', confidence: 'high', text: "A.M. van 't Hoogland", location: 'body', line: 2, column: 'Groeten van '.length + 1, worker: W.annemarie,
      });
    });

    it('clean text on standard input: exit 0', async () => {
      const { r, out } = await scanJson(['--stdin'], { input: `Beste familie,\nGroeten van ${P.active}\n` });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(out.clean).toBe(true);
    });

    it('reads an e-mail message piped in (headers and body)', async () => {
      const mail = [
        'From: Team Noord <team.noord@jeugdzorg-proef.nl>',
        'To: Familie de Graaf <familie@example.org>',
        'Cc: "Koç, Özlem" <o.koc@jeugdzorg-proef.nl>',
        'Subject: Afspraak',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Beste familie,',
        'Bel gerust: 0641234567.',
        '',
      ].join('\r\n');
      const { r, out } = await scanJson(['--stdin'], { input: mail });
      expect(r.exitCode, r.stderr).toBe(1);
      const f = out.files[0]!.findings;
      expect(f).toContainEqual(expect.objectContaining({ kind: 'email', confidence: 'high', location: 'mail-header:cc', worker: W.ozlem }));
      expect(f).toContainEqual(expect.objectContaining({ kind: 'full-name', confidence: 'high', location: 'mail-header:cc', worker: W.ozlem }));
      expect(f).toContainEqual({ kind: 'phone', confidence: 'high', text: '0641234567', location: 'body', line: 2, column: 'Bel gerust: '.length + 1, worker: W.pj });
    });

    it('--stdin with --passphrase-file - is refused: exit 2', async () => {
      const r = await sb.run(['scan', '--stdin', '--passphrase-file', '-'], { input: 'wachtwoord\nHallo\n' });
      expectCleanError(r, 2, /--stdin.*--passphrase-file -|--passphrase-file -.*--stdin/u);
    });
  });

  // -------------------------------------------------------------------------
  describe('a folder', () => {
    beforeAll(() => {
      write('map/a-schoon.txt', 'Beste familie, tot ziens.\n');
      write('map/sub/diep/b-lek.md', 'Notitie\nGesprek met Anne-Marie van \'t Hoogland.\n');
      write('map/sub/c-schoon.html', '<p>Tot ziens</p>\n');
      write('map/sub/foto.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      write('map/lijst.xyz', 'Özlem Koç\n');
    });

    it('--json lists every scanned file (nested), skips other types', async () => {
      const { r, out } = await scanJson(['map']);
      expect(r.exitCode, r.stderr).toBe(1);
      expect(out.clean).toBe(false);
      const names = out.files.map((f) => f.file).sort();
      expect(names).toEqual([path.join('map', 'a-schoon.txt'), path.join('map', 'sub', 'c-schoon.html'), path.join('map', 'sub', 'diep', 'b-lek.md')].sort());
      const leak = out.files.find((f) => f.file.endsWith('b-lek.md'))!;
      expect(leak.findings).toContainEqual({
        kind: 'full-name', confidence: 'high', text: "Anne-Marie van 't Hoogland", location: 'body', line: 2, column: 'Gesprek met '.length + 1, worker: W.annemarie,
      });
      for (const f of out.files.filter((x) => x !== leak)) expect(f.findings).toEqual([]);
      expect([...(out.skipped ?? [])].sort()).toEqual([path.join('map', 'lijst.xyz'), path.join('map', 'sub', 'foto.png')]);
    });

    it('prints a summary line', async () => {
      const r = await cli(['scan', 'map']);
      expect(r.exitCode, r.stderr).toBe(1);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[lines.length - 1]).toBe('leaks found in 1 of 3 files; 2 files of other types skipped');
      expect(r.stdout).toContain(`${path.join('map', 'sub', 'diep', 'b-lek.md')}:2:13: high full-name: "Anne-Marie van 't Hoogland" (${W.annemarie})`);
    });

    it('a clean folder: exit 0 and a clean summary', async () => {
      write('schone-map/x/brief.txt', `Beste familie,\nGroet, ${P.active}\n`);
      write('schone-map/brief.md', 'Tot ziens bij de bakker op de hoek.\n');
      const r = await cli(['scan', 'schone-map']);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^clean: 2 files scanned, no high-confidence findings/u);
    });
  });

  // -------------------------------------------------------------------------
  describe('unreadable inputs: exit 2 with the reason, never clean', () => {
    const expectUnreadable = async (file: string, reason: RegExp) => {
      const { r, out } = await scanJson([file]);
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(2);
      expect(out.clean).toBe(false);
      expect(out.files).toHaveLength(1);
      expect(out.files[0]!.file).toBe(file);
      expect(out.files[0]!.error).toMatch(reason);
      expect(r.stderr).toMatch(/^schuilnaam: error: 1 file\(s\) could not be scanned\n/u);
      expect(r.stderr).not.toMatch(/internal error|^\s+at /mu);
      // human output: the same reason on stdout, one error line (plus hint) on stderr
      const h = await cli(['scan', file]);
      expect(h.exitCode).toBe(2);
      expect(h.stdout.split('\n')).toContain(`${file}: not scanned: ${out.files[0]!.error}`);
      expect(h.stderr).toMatch(/^schuilnaam: error: 1 file\(s\) could not be scanned\n(?:schuilnaam: hint: [^\n]+\n)?$/u);
      return out.files[0]!;
    };

    it('a missing file', async () => {
      await expectUnreadable('bestaat-niet.txt', /^cannot scan bestaat-niet\.txt: no such file$/u);
    });

    it('an unknown extension', async () => {
      const file = write('lijst.xyz', 'Özlem Koç\n');
      await expectUnreadable(file, /^cannot scan lijst\.xyz: unknown file type \.xyz$/u);
    });

    it('a corrupt .docx (random bytes)', async () => {
      const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
      await expectUnreadable(write('kapot.docx', random), /^kapot\.docx is not a readable Word document: it is not a zip archive$/u);
      // a zip signature followed by garbage
      const pk = new Uint8Array(4096).map((_, i) => (i < 4 ? [0x50, 0x4b, 0x03, 0x04][i]! : (i * 31) % 256));
      await expectUnreadable(write('kapot-zip.docx', pk), /^kapot-zip\.docx is not a readable Word document: /u);
    });

    it('a zip that is not a Word document', async () => {
      const zip = zipSync({ 'notities.txt': strToU8('Özlem Koç') });
      await expectUnreadable(write('geen-word.docx', zip), /^geen-word\.docx is not a readable Word document: it has no word\/document\.xml/u);
    });

    it('a truncated .pdf', async () => {
      const good = await pdf((doc) => doc.text('Hallo P.J. van der Berg, dit is een lange brief.', 72, 72));
      await expectUnreadable(write('half.pdf', good.subarray(0, 400)), /^half\.pdf is not a readable PDF: /u);
    });

    it('a .pdf cut in half', async () => {
      const good = await pdf((doc) => doc.text('Hallo P.J. van der Berg, dit is een lange brief.', 72, 72));
      await expectUnreadable(write('helft.pdf', good.subarray(0, Math.floor(good.length / 2))), /^helft\.pdf is not a readable PDF: /u);
    });

    it('a PDF without text (only a rectangle): exit 2, nothing could be checked', async () => {
      const bytes = await pdf((doc) => {
        doc.rect(72, 72, 200, 100).fill('#336699');
      });
      const f = await expectUnreadable(write('leeg.pdf', bytes), /no text layer/u);
      expect(f.findings).toEqual([]);
    });

    it('the human summary never calls a run with an unreadable file "clean"', async () => {
      for (const args of [['bestaat-niet.txt'], ['kapot.docx'], ['schoon.txt', 'bestaat-niet.txt']]) {
        const h = await cli(['scan', ...args]);
        expect(h.exitCode).toBe(2);
        expect(h.stdout, `scan ${args.join(' ')}`).not.toMatch(/^clean\b/mu);
      }
    });

    it('one unreadable file among readable ones: exit 2, the others still scanned', async () => {
      const { r, out } = await scanJson(['schoon.txt', 'bestaat-niet.txt']);
      expect(r.exitCode).toBe(2);
      expect(out.clean).toBe(false);
      expect(out.files.map((f) => [f.file, f.error === undefined])).toEqual([
        ['schoon.txt', true],
        ['bestaat-niet.txt', false],
      ]);
    });
  });

  // -------------------------------------------------------------------------
  describe('human output', () => {
    const text = 'Beste familie,\n\nUw contactpersoon was P.J. van der Berg, bel 06-41234567.\n';

    const expectLines = (r: RunResult, file: string) => {
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toMatch(ANSI);
      const lines = r.stdout.split('\n');
      const line = 'Uw contactpersoon was P.J. van der Berg, bel 06-41234567.';
      const i = lines.indexOf(`${file}:3:23: high initials-name: "P.J. van der Berg" (${W.pj})`);
      expect(i, r.stdout).toBeGreaterThanOrEqual(0);
      expect(lines[i + 1]).toBe(`    ${line}`);
      expect(lines[i + 2]).toBe(`    ${' '.repeat(line.indexOf('P.J.'))}${'^'.repeat('P.J. van der Berg'.length)}`);
      const j = lines.indexOf(`${file}:3:46: high phone: "06-41234567" (${W.pj})`);
      expect(j, r.stdout).toBeGreaterThanOrEqual(0);
      expect(lines[j + 1]).toBe(`    ${line}`);
      expect(lines[j + 2]).toBe(`    ${' '.repeat(line.indexOf('06-'))}${'^'.repeat(11)}`);
      expect(lines.filter((l) => l !== '').pop()).toBe('leaks found in 1 of 1 file');
    };

    it('through a pipe: the finding line, the context line and carets under the match', async () => {
      const file = write('mens.txt', text);
      expectLines(await cli(['scan', file]), file);
    });

    it('with NO_COLOR=1 (and with --no-color)', async () => {
      expectLines(await cli(['scan', 'mens.txt'], { env: { NO_COLOR: '1' } }), 'mens.txt');
      expectLines(await cli(['scan', 'mens.txt', '--no-color']), 'mens.txt');
    });

    it('names where a finding sat when it is not the body', async () => {
      const r = await cli(['scan', 'brief.docx']);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(`brief.docx: high full-name in metadata:author: "Pieter Jan van der Berg" (${W.pj})`);
      expect(r.stdout).toContain(`brief.docx:1:17: high full-name in tracked-change: "Özlem Koç" (${W.ozlem})`);
    });
  });
});

describe('scan: gate edge cases', () => {
  let sb: Sandbox;
  let token = '';
  const cli = (args: string[], opts: RunOptions = {}) => sb.run(args, { ...opts, env: { SCHUILNAAM_SESSION: token, ...opts.env } });

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    token = expectOk(await sb.runP(['unlock'])).stdout.trim();
    expectOk(await cli(['worker', 'add', '--first-name', 'Pieter Jan', '--prefix', 'van der', '--last-name', 'Berg', '--email', 'pj.vdberg@proef.nl']));
  });
  afterAll(() => sb.cleanup());

  it('an empty folder is an error, not a pass', async () => {
    fs.mkdirSync(path.join(sb.dir, 'leeg'));
    expectCleanError(await cli(['scan', 'leeg']), 2, /no files to scan/u);
  });

  it('"v.d." and "vd" for "van der" are the same name', async () => {
    for (const text of ['Met P.J. v.d. Berg besproken.', 'Met PJ vd Berg besproken.']) {
      const r = await cli(['scan', '--stdin', '--json'], { input: text });
      expect(r.exitCode, text).toBe(1);
      expect(json<{ files: { findings: { kind: string; confidence: string }[] }[] }>(r).files[0]!.findings[0]).toMatchObject({ kind: 'initials-name', confidence: 'high' });
    }
  });

  it('a message on stdin is read as e-mail whatever header comes first (mbox From line, Received-SPF), or by --stdin-name', async () => {
    const body = 'Beste ouders,\n\nGroet van Pieter Jan van der Berg\n';
    const mails = [
      `From MAILER-DAEMON Tue Nov 25 10:00:00 2026\nReceived-SPF: pass\nFrom: Team Noord <noord@proef.nl>\nTo: ouders@example.org\nSubject: afspraak\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from(body).toString('base64')}\n`,
      `Envelope-To: ouders@example.org\nFrom: Team Noord <noord@proef.nl>\nSubject: afspraak\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from(body).toString('base64')}\n`,
    ];
    for (const mail of mails) {
      const r = await cli(['scan', '--stdin', '--json'], { input: mail });
      expect(r.exitCode, mail.slice(0, 40)).toBe(1);
      expect(json<{ files: { findings: { kind: string }[] }[] }>(r).files[0]!.findings.map((f) => f.kind)).toContain('full-name');
    }
    const named = await cli(['scan', '--stdin-name', 'bericht.eml', '--json'], { input: mails[1]! });
    expect(named.exitCode).toBe(1);
    expect(json<{ files: { file: string }[] }>(named).files[0]!.file).toBe('bericht.eml');
  });
});
