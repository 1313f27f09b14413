import fs from 'node:fs';
import path from 'node:path';
import * as docx from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

let sb: Sandbox;
let env: Record<string, string>;
const ids: Record<string, string> = {};
const run = (args: string[]) => sb.run(args, { env });

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  env = { SCHUILNAAM_SESSION: (await sb.runP(['unlock'])).stdout.trim() };
  const add = async (key: string, args: string[]) => (ids[key] = expectOk(await run(['worker', 'add', ...args])).stdout.trim());
  await add('berg', ['--first-name', 'Pieter Jan', '--prefix', 'van der', '--last-name', 'Berg', '--email', 'pj.vdberg@jb-test.nl', '--phone', '06-41234567']);
  await add('koc', ['--first-name', 'Özlem', '--last-name', 'Koç', '--employee-no', 'P-10231']);
  await add('bakker', ['--first-name', 'Gerdien', '--last-name', 'Bakker']);
  expectOk(await run(['case', 'add', 'JB-R-1']));
  expectOk(await run(['case', 'assign', 'JB-R-1', ids.berg!]));
  expectOk(await run(['case', 'assign', 'JB-R-1', ids.koc!]));
});
afterAll(() => sb.cleanup());

/**
 * None of the real details is left. A name counts as a word: a pseudonym is
 * drawn at random and may hold one inside a longer name ("de Kock", "Bergsma").
 */
function expectNoReal(text: string, reals: string[]): void {
  for (const real of reals) {
    if (/^\p{L}+$/u.test(real)) expect(text, real).not.toMatch(new RegExp(`(?<![\\p{L}\\p{N}])${real}(?![\\p{L}\\p{N}])`, 'u'));
    else expect(text, real).not.toContain(real);
  }
}

const DRAFT = [
  'Beste ouders,',
  '',
  'Uw gesprek is met P.J. van der Berg (06 4123 4567 of PJ.vdBerg@jb-test.nl).',
  'Ook mevrouw Koç (personeelsnummer P10231) en Gerdien Bakker waren er.',
  'De bakker op de hoek weet de weg.',
  '',
].join('\n');

describe('redact', () => {
  it('replaces names by the case pseudonyms, others by [medewerker], contacts by placeholders; the copy scans clean', async () => {
    fs.writeFileSync(path.join(sb.dir, 'concept.txt'), DRAFT);
    const r = expectOk(await run(['redact', 'concept.txt', '--case', 'JB-R-1', '--out', 'brief.txt', '--json']));
    expect(json<{ document: string; path: string; replaced: number; low_left: number }>(r)).toEqual({ document: expect.stringMatching(/^D-[0-9a-z]{8}$/u), path: 'brief.txt', replaced: 6, low_left: 1 });
    // Registered like a rendered letter: the case's document list names it with the pseudonyms it carries.
    const docs = json<{ documents: { id: string; kind: string; path: string; pseudonyms: string[] }[] }>(expectOk(await run(['document', 'list', '--case', 'JB-R-1', '--json'])));
    const doc = docs.documents.find((d) => d.id === json<{ document: string }>(r).document)!;
    expect(doc).toMatchObject({ kind: 'redact', path: path.join(sb.dir, 'brief.txt') });
    expect(doc.pseudonyms.length).toBe(2);
    const out = fs.readFileSync(path.join(sb.dir, 'brief.txt'), 'utf8');
    const berg = json<{ pseudonym: string; formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.berg!, '--json']));
    const koc = json<{ formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.koc!, '--json']));
    expect(out).toBe(
      [
        'Beste ouders,',
        '',
        `Uw gesprek is met ${berg.formal} ([telefoonnummer] of [e-mailadres]).`,
        `Ook mevrouw ${koc.formal} (personeelsnummer [personeelsnummer]) en [medewerker] waren er.`,
        'De bakker op de hoek weet de weg.',
        '',
      ].join('\n'),
    );
    expectNoReal(out, ['Berg', 'Koç', 'Koc', 'Gerdien', '4123', 'jb-test.nl', '10231']);
    const scan = await run(['scan', 'brief.txt', '--json']);
    expect(scan.exitCode).toBe(0);
    expect(json<{ clean: boolean }>(scan).clean).toBe(true);
  });

  it('HTML: text, entities, tags inside a name, attributes, title, meta author and comments are redacted; the copy is valid and scans clean', async () => {
    const html = [
      '<!doctype html><html><head><title>Brief van P.J. van der Berg</title><meta name="author" content="Pieter Jan van der Berg"></head>',
      '<body><p>Uw gesprek is met P&#46;J&#46; van <b>der</b> Berg (06&nbsp;4123&nbsp;4567).</p>',
      '<p>Ook mevrouw Ko&ccedil; was er. <img src="f.png" alt="Foto van Özlem Koç"></p>',
      '<!-- concept: Gerdien Bakker --></body></html>',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(sb.dir, 'concept.html'), html);
    const r = expectOk(await run(['redact', 'concept.html', '--case', 'JB-R-1', '--out', 'brief.html', '--json']));
    expect(json<{ replaced: number }>(r).replaced).toBe(7);
    const out = fs.readFileSync(path.join(sb.dir, 'brief.html'), 'utf8');
    const berg = json<{ pseudonym: string; formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.berg!, '--json']));
    const koc = json<{ pseudonym: string; formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.koc!, '--json']));
    expect(out).toContain(`<title>Brief van ${berg.formal}</title>`);
    expect(out).toContain(`<meta name="author" content="${berg.pseudonym}">`);
    expect(out).toContain(`<p>Uw gesprek is met ${berg.formal} ([telefoonnummer]).</p>`);
    expect(out).toContain(`<p>Ook mevrouw ${koc.formal} was er. <img src="f.png" alt="Foto van ${koc.pseudonym}"></p>`);
    expect(out).toContain('<!-- concept: [medewerker] --></body></html>');
    expectNoReal(out, ['Berg', 'Koç', 'Ko&ccedil;', 'Gerdien', '4123']);
    const scan = await run(['scan', 'brief.html', '--json']);
    expect(scan.exitCode).toBe(0);
  });

  it('Word: runs keep their formatting, header and properties are redacted, author becomes the team; the copy scans clean', async () => {
    const d = new docx.Document({
      creator: 'Pieter Jan van der Berg',
      lastModifiedBy: 'Özlem Koç',
      title: 'Verslag P.J. van der Berg',
      sections: [
        {
          headers: { default: new docx.Header({ children: [new docx.Paragraph('Behandelaar: P.J. van der Berg')] }) },
          children: [
            new docx.Paragraph({
              children: [new docx.TextRun('Uw gesprek is met P.J. van '), new docx.TextRun({ text: 'der Be', bold: true }), new docx.TextRun('rg, bel 06-41234567.')],
            }),
            new docx.Paragraph('Ook mevrouw Koç en Gerdien Bakker waren er.'),
          ],
        },
      ],
    });
    fs.writeFileSync(path.join(sb.dir, 'verslag.docx'), await docx.Packer.toBuffer(d));
    const r = expectOk(await run(['redact', 'verslag.docx', '--case', 'JB-R-1', '--out', 'verslag-schoon.docx', '--json']));
    expect(json<{ replaced: number }>(r).replaced).toBeGreaterThanOrEqual(7);
    const parts = unzipSync(fs.readFileSync(path.join(sb.dir, 'verslag-schoon.docx')));
    const all = Object.entries(parts)
      .filter(([n]) => n.endsWith('.xml'))
      .map(([, b]) => strFromU8(b))
      .join('\n');
    expectNoReal(all, ['Berg', 'Koç', 'Gerdien', '41234567']);
    const berg = json<{ formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.berg!, '--json']));
    const body = strFromU8(parts['word/document.xml']!);
    expect(body).toContain(`Uw gesprek is met ${berg.formal}`);
    expect(body).toContain('<w:b/>'); // the bold run is still there (house style kept)
    expect(strFromU8(parts['docProps/core.xml']!)).not.toMatch(/<dc:creator>[^<]*(Berg|Koç)/u);
    expect((await run(['scan', 'verslag-schoon.docx'])).exitCode).toBe(0);
  });

  it('Word with tracked changes is refused (exit 2, no file): accept or reject them first', async () => {
    const src = fs.readFileSync(path.join(sb.dir, 'verslag.docx'));
    const parts = unzipSync(src);
    parts['word/document.xml'] = strToU8(
      strFromU8(parts['word/document.xml']!).replace('<w:body>', '<w:body><w:p><w:del w:id="1" w:author="X"><w:r><w:delText>Gerdien Bakker</w:delText></w:r></w:del></w:p>'),
    );
    fs.writeFileSync(path.join(sb.dir, 'wijzigingen.docx'), zipSync(parts));
    expectCleanError(await run(['redact', 'wijzigingen.docx', '--case', 'JB-R-1', '--out', 'w-out.docx']), 2, /tracked changes/u);
    expect(fs.existsSync(path.join(sb.dir, 'w-out.docx'))).toBe(false);
  });

  it('refuses to replace an existing file without --force, and replaces it with', async () => {
    fs.writeFileSync(path.join(sb.dir, 'd.md'), DRAFT);
    fs.writeFileSync(path.join(sb.dir, 'bestaat.md'), 'oud\n');
    expectCleanError(await run(['redact', 'd.md', '--case', 'JB-R-1', '--out', 'bestaat.md']), 2, /already exists/u);
    expect(fs.readFileSync(path.join(sb.dir, 'bestaat.md'), 'utf8')).toBe('oud\n');
    expectOk(await run(['redact', 'd.md', '--case', 'JB-R-1', '--out', 'bestaat.md', '--force']));
    expect(fs.readFileSync(path.join(sb.dir, 'bestaat.md'), 'utf8')).toContain('[medewerker]');
  });

  it('unknown case, unsupported type, missing input: exit 2 and no output file', async () => {
    fs.writeFileSync(path.join(sb.dir, 'e.txt'), DRAFT);
    expectCleanError(await run(['redact', 'e.txt', '--case', 'JB-NOPE', '--out', 'e-out.txt']), 2, /JB-NOPE/u);
    expectCleanError(await run(['redact', 'e.pdf', '--case', 'JB-R-1', '--out', 'e-out.pdf']), 2, /only \.txt, \.md, \.html, \.docx and \.eml/u);
    expectCleanError(await run(['redact', 'e.txt', '--case', 'JB-R-1', '--out', 'e-out.html']), 2, /same kind/u);
    expectCleanError(await run(['redact', 'weg.txt', '--case', 'JB-R-1', '--out', 'e-out.txt']), 2, /no such file/u);
    expect(fs.readdirSync(sb.dir).filter((f) => f.startsWith('e-out') || f.includes('.tmp'))).toEqual([]);
  });

  describe('e-mail', () => {
    const MAIL = (attachment: string) =>
      [
        'From: Pieter Jan van der Berg <PJ.vdBerg@jb-test.nl>',
        'To: Fam. de Wit <ouders.dewit@example.org>',
        'Cc: Gerdien Bakker <g.bakker@example.org>',
        'Subject: =?UTF-8?Q?Gesprek_met_mevrouw_Ko=C3=A7?=',
        'Date: Tue, 24 Nov 2026 10:00:00 +0100',
        'Received: from laptop-pjvdberg.jb-test.nl (10.0.0.7)',
        'X-Originating-IP: 10.0.0.7',
        'Organization: Pieter Jan van der Berg Advies',
        'Message-ID: <123@laptop-pjvdberg.jb-test.nl>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="XX"',
        '',
        '--XX',
        'Content-Type: multipart/alternative; boundary="YY"',
        '',
        '--YY',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Beste ouders, mevrouw Ko=C3=A7 (P10231) belt u op 06 4123 4567.',
        '--YY',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Beste ouders, <b>P.J. van der Berg</b> mailt u via <a href="mailto:pj.vdberg@jb-test.nl">pj.vdberg@jb-test.nl</a>.</p>',
        '--YY--',
        attachment,
        '--XX--',
        '',
      ].join('\r\n');
    const NOTES = ['--XX', 'Content-Type: text/plain; charset=utf-8; name="notities.txt"', 'Content-Disposition: attachment; filename="notities.txt"', '', 'Notitie van Özlem Koç.'].join('\r\n');

    beforeAll(async () => {
      expectOk(await run(['team', 'set', 'Team West', '--email', 'team-west@jb-test.nl', '--phone', '020 555 0199']));
      expectOk(await run(['case', 'add', 'JB-R-2', '--team', 'Team West']));
      expectOk(await run(['case', 'assign', 'JB-R-2', ids.berg!]));
      expectOk(await run(['case', 'assign', 'JB-R-2', ids.koc!]));
    });

    it("headers, bodies and text attachments are redacted, a worker's own address becomes the team mailbox, colleagues in Cc and tracing headers are left out; the copy scans clean", async () => {
      fs.writeFileSync(path.join(sb.dir, 'bericht.eml'), MAIL(NOTES));
      expect((await run(['scan', 'bericht.eml'])).exitCode).toBe(1);
      const r = json<{ replaced: number; dropped_headers: string[] }>(expectOk(await run(['redact', 'bericht.eml', '--case', 'JB-R-2', '--out', 'bericht-schoon.eml', '--json'])));
      expect(r.dropped_headers).toEqual(expect.arrayContaining(['Received', 'X-Originating-IP', 'Organization', 'Message-ID']));
      const out = fs.readFileSync(path.join(sb.dir, 'bericht-schoon.eml'));
      const { default: PostalMime } = await import('postal-mime');
      const mail = await PostalMime.parse(out);
      const berg = json<{ pseudonym: string; formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-2', '--worker', ids.berg!, '--json']));
      const koc = json<{ formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-2', '--worker', ids.koc!, '--json']));
      expect(mail.from).toEqual({ name: berg.pseudonym, address: 'team-west@jb-test.nl' });
      expect(mail.to).toEqual([{ name: 'Fam. de Wit', address: 'ouders.dewit@example.org' }]);
      // A colleague among the recipients (her address reads as her name) is left out of the family's copy.
      expect(mail.cc ?? []).toEqual([]);
      expect(mail.subject).toBe(`Gesprek met mevrouw ${koc.formal}`);
      expect(mail.text).toContain(`mevrouw ${koc.formal} ([personeelsnummer]) belt u op 020 555 0199`);
      expect(mail.html).toContain(berg.formal);
      expect(mail.attachments.map((a) => a.filename)).toEqual(['notities.txt']);
      const raw = out.toString('latin1');
      expectNoReal(raw, ['Berg', 'Koç', 'Ko=C3=A7', 'Gerdien', '41234567', 'jb-test.nl (10', 'laptop', 'pj.vdberg', 'Advies']);
      const all = [mail.text, mail.html, mail.subject, ...mail.attachments.map((a) => new TextDecoder().decode(a.content as ArrayBuffer))].join('\n');
      expectNoReal(all, ['Berg', 'Koç', 'Özlem', '41234567', 'pj.vdberg']);
      expect((await run(['scan', 'bericht-schoon.eml'])).exitCode).toBe(0);
    });

    it('an attachment that cannot be redacted (a PDF) refuses the whole message: exit 2, no file', async () => {
      const pdf = ['--XX', 'Content-Type: application/pdf; name="scan.pdf"', 'Content-Disposition: attachment; filename="scan.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK'].join('\r\n');
      fs.writeFileSync(path.join(sb.dir, 'met-pdf.eml'), MAIL(pdf));
      expectCleanError(await run(['redact', 'met-pdf.eml', '--case', 'JB-R-2', '--out', 'met-pdf-schoon.eml']), 2, /scan\.pdf/u);
      expect(fs.existsSync(path.join(sb.dir, 'met-pdf-schoon.eml'))).toBe(false);
    });

    it("a worker's own address with no team mailbox to put in its place: exit 2 with a hint, no file", async () => {
      fs.writeFileSync(path.join(sb.dir, 'zonder-team.eml'), MAIL(NOTES));
      const r = await run(['redact', 'zonder-team.eml', '--case', 'JB-R-1', '--out', 'zonder-team-schoon.eml']);
      expectCleanError(r, 2, /no functional mailbox/u);
      expect(r.stderr).toContain('team set');
      expect(fs.existsSync(path.join(sb.dir, 'zonder-team-schoon.eml'))).toBe(false);
    });
  });
});
