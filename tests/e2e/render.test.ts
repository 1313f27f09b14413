// End-to-end tests of `schuilnaam render` (and what goes with it: `template`,
// `team set`, `document list`, `rotate`, `render --reissue`, `render --batch`)
// on the built CLI. What a family receives may carry only the case
// pseudonym and the team's functional contact details; the leak gate must
// stop anything else before a single byte reaches the disk.
//
// One vault for the whole file, unlocked once; the session token goes to every
// later run. Every template and Word fixture is built here, in the sandbox.
// Names, numbers and addresses are invented.
import fs from 'node:fs';
import path from 'node:path';
import * as docx from 'docx';
import { execa } from 'execa';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';
import { openAsAttacker } from '../helpers/tamper.js';

// ---------------------------------------------------------------------------
// people, team, cases

const TEAM = {
  name: 'Team Noord',
  phone: '050-3141592',
  email: 'teamnoord@jeugdbescherming-test.nl',
  address: ['Stationsplein 1', '9726 AE Groningen'],
};

/** The worker who signs most letters; none of this may reach a family. */
const JOLANDA = {
  first: 'Jolanda',
  last: 'Verbeek',
  email: 'j.verbeek@jb-test.nl',
  phone: '06-12345678',
  employeeNo: 'P-73914',
};
/** What must not appear in any rendered document for Jolanda, in any part. */
const JOLANDA_REAL = ['Jolanda', 'JOLANDA', 'Verbeek', 'VERBEEK', 'j.verbeek', 'jb-test.nl', '06-12345678', '0612345678', '12345678', '1234 5678', 'P-73914', '73914'];

const CASE = 'JB-2026-0101';
const CASE_2 = 'JB-2026-0102';

let sb: Sandbox;
let env: Record<string, string>;
const W: Record<'jolanda' | 'pj' | 'ozlem', string> = { jolanda: '', pj: '', ozlem: '' };
const run = (args: string[]) => sb.run(args, { env });
const at = (...p: string[]) => path.join(sb.dir, ...p);

interface PseudonymJson {
  pseudonym: string;
  formal: string;
  worker: string;
  case: string;
}

async function pseudonym(reference: string, worker: string): Promise<PseudonymJson> {
  return json<PseudonymJson>(expectOk(await run(['pseudonym', 'get', '--case', reference, '--worker', worker, '--json'])));
}

/** A new, empty folder in the sandbox; returns its name relative to the sandbox (the CLI's cwd). */
function freshDir(name: string): string {
  fs.mkdirSync(at(name), { recursive: false });
  return name;
}

/** Writes a template file into the sandbox's tpl/ folder; returns its relative path. */
function template(name: string, content: string | Uint8Array): string {
  fs.mkdirSync(at('tpl'), { recursive: true });
  fs.writeFileSync(at('tpl', name), content);
  return `tpl/${name}`;
}

/** Every entry of a folder, dotfiles (temporary files) included. */
const entries = (dir: string) => fs.readdirSync(at(dir)).sort();

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

// ---------------------------------------------------------------------------
// reading what was written

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

let havePoppler: boolean | undefined;
async function poppler(): Promise<boolean> {
  if (havePoppler === undefined) {
    const r = await execa('pdftotext', ['-v'], { reject: false });
    const i = await execa('pdfinfo', ['-v'], { reject: false });
    havePoppler = r.exitCode === 0 && i.exitCode === 0;
  }
  return havePoppler;
}

/** The text of every page and the Info dictionary's Author: pdftotext/pdfinfo where installed, else pdf.js. */
async function readPdf(file: string): Promise<{ text: string; author: string | null }> {
  if (await poppler()) {
    const text = (await execa('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
    const info = (await execa('pdfinfo', ['-enc', 'UTF-8', file])).stdout;
    return { text, author: /^Author:\s*(.*)$/mu.exec(info)?.[1]?.trim() ?? null };
  }
  // pdf.js in Node wants DOMMatrix (from @napi-rs/canvas); text extraction never uses it.
  const g = globalThis as Record<string, unknown>;
  if (!g.DOMMatrix) {
    try {
      const { createRequire } = await import('node:module');
      createRequire(import.meta.url)('@napi-rs/canvas');
    } catch {
      g.DOMMatrix = class {};
      g.ImageData ??= class {};
      g.Path2D ??= class {};
    }
  }
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  try {
    const doc = await task.promise;
    let text = '';
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      text += '\n';
    }
    const { info } = await doc.getMetadata();
    return { text, author: ((info as Record<string, unknown>)?.Author as string | undefined) ?? null };
  } finally {
    await task.destroy();
  }
}

interface Content {
  /** Everything a recipient can read or dig out of the file, entities decoded, whitespace collapsed. */
  text: string;
  /** The document's author metadata where the format has one. */
  author: string | null;
}

const squash = (s: string) => s.normalize('NFKC').replace(/\s+/gu, ' ');

/** Reads a rendered document the way a recipient could: every .docx part, the PDF text and Info, the bytes of the rest. */
async function readDocument(file: string): Promise<Content & { parts?: Record<string, string> }> {
  const ext = path.extname(file);
  if (ext === '.pdf') {
    const { text, author } = await readPdf(file);
    return { text: squash(`${text}\n${author ?? ''}`), author };
  }
  if (ext === '.docx') {
    const parts = Object.fromEntries(Object.entries(unzipSync(fs.readFileSync(file))).map(([n, b]) => [n, strFromU8(b)]));
    const core = parts['docProps/core.xml'] ?? '';
    const author = /<dc:creator>([^<]*)<\/dc:creator>/u.exec(core)?.[1] ?? null;
    return { text: squash(decodeEntities(Object.values(parts).join('\n'))), author: author === null ? null : decodeEntities(author), parts };
  }
  const raw = fs.readFileSync(file, 'utf8');
  if (ext === '.html') {
    const author = /<meta name="author" content="([^"]*)"/u.exec(raw)?.[1];
    return { text: squash(decodeEntities(raw)), author: author === undefined ? null : decodeEntities(author) };
  }
  return { text: squash(raw), author: null };
}

/**
 * The text with the worker's pseudonym taken out: a drawn pseudonym may share
 * a first name with a colleague, or contain a colleague's surname inside a
 * longer one ("Bergsma"), and that is not a leak.
 */
function withoutPseudonym(text: string, p: PseudonymJson): string {
  return text.split(p.pseudonym).join(' ').split(p.formal).join(' ').split(squash(p.pseudonym)).join(' ');
}

/** The letter carries the pseudonym and the team's details, and nothing of Jolanda's identity. */
async function expectCaseFacingOnly(file: string, p: PseudonymJson): Promise<Content> {
  const c = await readDocument(at(file));
  expect(c.text, `${file}: the pseudonym`).toContain(squash(p.pseudonym));
  expect(c.text, `${file}: the team phone`).toContain(TEAM.phone);
  expect(c.text, `${file}: the team mailbox`).toContain(TEAM.email);
  for (const real of JOLANDA_REAL) expect(withoutPseudonym(c.text, p), `${file} must not contain "${real}"`).not.toContain(real);
  return c;
}

// ---------------------------------------------------------------------------
// Word fixtures

const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * A Word file written by hand, as Word itself leaves it: {{worker.name}} split
 * over three runs with different formatting (bold, italic, coloured), a header
 * with {{team.name}}, a footer with {{team.phone}}, and properties naming the
 * colleagues who made the template.
 */
function handMadeDocx(body: string): Uint8Array {
  const files: Record<string, string> = {
    '[Content_Types].xml':
      XML_HEAD +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' +
      '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>' +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
      '</Types>',
    '_rels/.rels':
      XML_HEAD +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
      '</Relationships>',
    'word/_rels/document.xml.rels':
      XML_HEAD +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>' +
      '<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>' +
      '</Relationships>',
    'word/document.xml':
      XML_HEAD +
      `<w:document ${W_NS}><w:body>${body}` +
      '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:footerReference w:type="default" r:id="rIdF"/></w:sectPr>' +
      '</w:body></w:document>',
    'word/header1.xml': XML_HEAD + `<w:hdr ${W_NS}><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{team.name}}</w:t></w:r></w:p></w:hdr>`,
    'word/footer1.xml': XML_HEAD + `<w:ftr ${W_NS}><w:p><w:r><w:t xml:space="preserve">Telefoon {{team.phone}}</w:t></w:r></w:p></w:ftr>`,
    'docProps/core.xml':
      XML_HEAD +
      '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<dc:title>Uitnodiging huisstijl</dc:title><dc:creator>Pieter Jan van der Berg</dc:creator><cp:lastModifiedBy>Özlem Koç</cp:lastModifiedBy>' +
      '<dcterms:created xsi:type="dcterms:W3CDTF">2025-03-01T09:00:00Z</dcterms:created></cp:coreProperties>',
    'docProps/app.xml':
      XML_HEAD +
      '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application>' +
      '<Company>Pieter Jan van der Berg</Company><Manager>Özlem Koç</Manager><AppVersion>16.0000</AppVersion></Properties>',
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([n, s]) => [n, strToU8(s)])));
}

const SPLIT_NAME_BODY =
  '<w:p><w:r><w:t xml:space="preserve">Kenmerk: {{case.reference}}</w:t></w:r></w:p>' +
  '<w:p><w:r><w:t xml:space="preserve">Beste ouders, mail ons op {{team.email}}.</w:t></w:r></w:p>' +
  '<w:p><w:r><w:t xml:space="preserve">Met vriendelijke groet, </w:t></w:r>' +
  '<w:r><w:rPr><w:b/></w:rPr><w:t>{{wor</w:t></w:r>' +
  '<w:r><w:rPr><w:i/></w:rPr><w:t>ker.na</w:t></w:r>' +
  '<w:r><w:rPr><w:color w:val="1F4E79"/><w:u w:val="single"/></w:rPr><w:t>me}}</w:t></w:r></w:p>';

/** A house-style letter made with the docx library; its author is a real colleague. */
async function libraryDocx(bodyLines: docx.Paragraph[] = []): Promise<Uint8Array> {
  const d = new docx.Document({
    creator: 'Pieter Jan van der Berg',
    lastModifiedBy: 'Pieter Jan van der Berg',
    title: 'Huisstijl brief',
    description: 'Sjabloon van Özlem Koç',
    sections: [
      {
        headers: { default: new docx.Header({ children: [new docx.Paragraph({ children: [new docx.TextRun({ text: '{{team.name}}', bold: true })] })] }) },
        footers: { default: new docx.Footer({ children: [new docx.Paragraph('Telefoon {{team.phone}} · {{team.email}}')] }) },
        children: [
          new docx.Paragraph({ heading: docx.HeadingLevel.HEADING_1, children: [new docx.TextRun('Uitnodiging')] }),
          new docx.Paragraph('Kenmerk: {{case.reference}}, {{today}}'),
          new docx.Paragraph({ children: [new docx.TextRun('Wij nodigen u uit voor een gesprek over '), new docx.TextRun({ text: '{{onderwerp}}', italics: true }), new docx.TextRun('.')] }),
          ...bodyLines,
          new docx.Paragraph({ children: [new docx.TextRun('Met vriendelijke groet, '), new docx.TextRun({ text: '{{worker.name}}', bold: true })] }),
        ],
      },
    ],
  });
  return new Uint8Array(await docx.Packer.toBuffer(d));
}

// ---------------------------------------------------------------------------
// text templates (own .md, .txt, .html)

const OWN_MD = [
  '# Uitnodiging over {{onderwerp}}',
  '',
  'Kenmerk: {{case.reference}}, {{today}}',
  '',
  'Beste ouders,',
  '',
  'Wij nodigen u uit voor een gesprek over **{{onderwerp}}**.',
  '',
  'Met vriendelijke groet,',
  '',
  '{{worker.name}} ({{worker.formal_name}})  ',
  '{{team.name}}  ',
  '{{team.address}}',
  '',
  'Telefoon: {{team.phone}}, e-mail: {{team.email}}',
  '',
].join('\n');

const OWN_TXT = [
  'Kenmerk: {{case.reference}}',
  '',
  'Beste ouders,',
  '',
  'Wij nodigen u uit voor een gesprek over {{onderwerp}}.',
  '',
  'Met vriendelijke groet,',
  '{{worker.name}}',
  '{{team.name}}',
  'Telefoon: {{team.phone}}',
  'E-mail: {{team.email}}',
  '',
].join('\n');

const OWN_HTML = [
  '<!doctype html>',
  '<html lang="nl"><head><meta charset="utf-8"><title>Uitnodiging {{case.reference}}</title></head>',
  '<body>',
  '<p>Beste ouders,</p>',
  '<p>Wij nodigen u uit voor een gesprek over <em>{{onderwerp}}</em>.</p>',
  '<p>Met vriendelijke groet,<br>{{worker.name}}<br>{{team.name}}</p>',
  '<p>Telefoon: {{team.phone}}<br>E-mail: <a href="mailto:{{team.email}}">{{team.email}}</a></p>',
  '</body></html>',
  '',
].join('\n');

const UITNODIGING_VALUES = ['--set', 'onderwerp=hoe het met Sanne gaat', '--set', 'datum=dinsdag 1 december 2026', '--set', 'tijd=14.00 uur', '--set', 'locatie=Politiebureau Centrum'];

// ---------------------------------------------------------------------------

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  env = { SCHUILNAAM_SESSION: expectOk(await sb.runP(['unlock'])).stdout.trim() };
  expectOk(await run(['team', 'set', TEAM.name, '--phone', TEAM.phone, '--email', TEAM.email, '--address', TEAM.address.join('\\n')]));
  const add = async (args: string[]) => expectOk(await run(['worker', 'add', ...args, '--team', TEAM.name])).stdout.trim();
  W.jolanda = await add(['--first-name', JOLANDA.first, '--last-name', JOLANDA.last, '--email', JOLANDA.email, '--phone', JOLANDA.phone, '--employee-no', JOLANDA.employeeNo]);
  W.pj = await add(['--first-name', 'Pieter Jan', '--prefix', 'van der', '--last-name', 'Berg', '--email', 'pj.vdberg@jb-test.nl', '--phone', '06-41234567']);
  W.ozlem = await add(['--first-name', 'Özlem', '--last-name', 'Koç', '--email', 'ozlem.koc@jb-test.nl', '--employee-no', 'P-58213']);
  for (const [ref, workers] of [
    [CASE, [W.jolanda, W.pj]],
    [CASE_2, [W.jolanda, W.ozlem]],
  ] as const) {
    expectOk(await run(['case', 'add', ref, '--team', TEAM.name]));
    for (const w of workers) expectOk(await run(['case', 'assign', ref, w]));
  }
});
afterAll(() => sb?.cleanup());

// ---------------------------------------------------------------------------

describe('render: every output format from every kind of template', () => {
  const FORMATS = ['pdf', 'docx', 'html', 'md', 'txt'] as const;
  const KINDS = [
    { kind: 'built-in uitnodiging', file: () => 'uitnodiging', values: UITNODIGING_VALUES },
    { kind: 'own .md', file: () => template('brief.md', OWN_MD), values: ['--set', 'onderwerp=de voortgang'] },
    { kind: 'own .txt', file: () => template('brief.txt', OWN_TXT), values: ['--set', 'onderwerp=de voortgang'] },
    { kind: 'own .html', file: () => template('brief.html', OWN_HTML), values: ['--set', 'onderwerp=de voortgang'] },
  ];

  for (const k of KINDS) {
    it(`${k.kind} -> ${FORMATS.join(', ')}: the pseudonym and the team's details, nothing of the worker's identity`, async () => {
      const tpl = k.file();
      const dir = freshDir(`formats-${k.kind.replace(/[^a-z]+/gu, '-')}`);
      const p = await pseudonym(CASE, W.jolanda);
      const results = await Promise.all(
        FORMATS.map(async (f) => {
          const out = `${dir}/brief.${f}`;
          const r = expectOk(await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', out, ...k.values, '--json']));
          return { f, out, doc: json<{ document: string; path: string; pseudonyms: string[]; format: string; sha256: string; case: string; worker: string }>(r) };
        }),
      );
      for (const { f, out, doc } of results) {
        expect(doc.document).toMatch(/^D-/u);
        expect(doc).toMatchObject({ path: out, pseudonyms: [p.pseudonym], case: CASE, worker: W.jolanda, format: f });
        const c = await expectCaseFacingOnly(out, p);
        if (f === 'pdf' || f === 'docx') expect(c.author, `${out}: author`).toBe(TEAM.name);
        if (f === 'html' && c.author !== null) expect(c.author).toBe(TEAM.name);
      }
      // Only the five letters, no temporary files left over.
      expect(entries(dir)).toEqual(FORMATS.map((f) => `brief.${f}`).sort());
    });
  }

  it('own .docx -> docx: every part carries the pseudonym and team details only; author is the team; other formats are refused', async () => {
    const tpl = template('huisstijl.docx', await libraryDocx());
    const dir = freshDir('formats-docx');
    const p = await pseudonym(CASE, W.jolanda);
    const r = json<{ format: string; pseudonyms: string[] }>(
      expectOk(await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.docx`, '--set', 'onderwerp=de voortgang', '--json'])),
    );
    expect(r).toMatchObject({ format: 'docx', pseudonyms: [p.pseudonym] });
    const c = await expectCaseFacingOnly(`${dir}/brief.docx`, p);
    expect(c.author).toBe(TEAM.name);
    for (const colleague of ['Pieter', 'Berg', 'Özlem', 'Koç']) expect(withoutPseudonym(c.text, p)).not.toContain(colleague);
    // A Word template keeps its layout only in Word.
    expectCleanError(await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.pdf`, '--set', 'onderwerp=x']), 2, /\.docx only/u);
    expect(entries(dir)).toEqual(['brief.docx']);
  });
});

describe('render: Word templates keep the house style', () => {
  it('{{worker.name}} split over three runs: filled with the pseudonym, formatting kept; header and footer filled; properties name the team', async () => {
    const tpl = template('handgemaakt.docx', handMadeDocx(SPLIT_NAME_BODY));
    const dir = freshDir('word-split');
    const p = await pseudonym(CASE, W.jolanda);
    expectOk(await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.docx`]));
    const { parts, text } = await readDocument(at(dir, 'brief.docx'));
    const body = parts!['word/document.xml']!;
    const paragraphText = (xml: string) => [...xml.matchAll(/<w:p\b.*?<\/w:p>/gsu)].map((m) => decodeEntities(m[0].replace(/<[^>]+>/gu, '')));
    expect(paragraphText(body)).toContain(`Met vriendelijke groet, ${p.pseudonym}`);
    expect(paragraphText(body)).toContain(`Kenmerk: ${CASE}`);
    // The value went into one run, which kept its bold; the other runs' properties are still there.
    const runWithName = [...body.matchAll(/<w:r>.*?<\/w:r>/gsu)].map((m) => m[0]).find((r) => decodeEntities(r).includes(p.pseudonym));
    expect(runWithName, 'the run holding the pseudonym').toBeDefined();
    expect(runWithName).toContain('<w:b/>');
    expect(body).toContain('<w:i/>');
    expect(body).toContain('<w:color w:val="1F4E79"/>');
    expect(body).not.toContain('{{');
    expect(paragraphText(parts!['word/header1.xml']!)).toEqual([TEAM.name]);
    expect(parts!['word/header1.xml']).toContain('<w:b/>');
    expect(paragraphText(parts!['word/footer1.xml']!)).toEqual([`Telefoon ${TEAM.phone}`]);
    const core = parts!['docProps/core.xml']!;
    expect(core).toMatch(new RegExp(`<dc:creator>${escapeRe(TEAM.name)}</dc:creator>`, 'u'));
    expect(core).toMatch(new RegExp(`<cp:lastModifiedBy>${escapeRe(TEAM.name)}</cp:lastModifiedBy>`, 'u'));
    for (const real of [...JOLANDA_REAL, 'Pieter', 'Berg', 'Özlem', 'Koç', 'Ozlem']) expect(withoutPseudonym(text, p), `no "${real}" in any part`).not.toContain(real);
    // What was written scans clean.
    const scan = await run(['scan', `${dir}/brief.docx`, '--strict', '--json']);
    expect(scan.exitCode, scan.stdout + scan.stderr).toBe(0);
  });

  it('docx-library template: bold/italic runs, header with {{team.name}}, footer with {{team.phone}}; creator was a colleague, now the team', async () => {
    const tpl = template('bibliotheek.docx', await libraryDocx());
    const src = strFromU8(unzipSync(fs.readFileSync(at(tpl)))['docProps/core.xml']!);
    expect(src, 'fixture: a colleague made the template').toContain('<dc:creator>Pieter Jan van der Berg</dc:creator>');
    const dir = freshDir('word-library');
    const p = await pseudonym(CASE_2, W.jolanda);
    expectOk(await run(['render', tpl, '--case', CASE_2, '--worker', W.jolanda, '--out', `${dir}/brief.docx`, '--set', 'onderwerp=de afspraken met school']));
    const { parts } = await readDocument(at(dir, 'brief.docx'));
    const body = parts!['word/document.xml']!;
    expect(decodeEntities(body)).toContain(p.pseudonym);
    expect(body).toMatch(new RegExp(`<w:b/>(?:(?!</w:r>).)*${escapeRe(p.pseudonym)}`, 'su'));
    expect(body).toMatch(/<w:i\/>(?:(?!<\/w:r>).)*de afspraken met school/su);
    const headers = Object.keys(parts!).filter((n) => /^word\/header\d*\.xml$/u.test(n)).map((n) => parts![n]!).join('');
    const footers = Object.keys(parts!).filter((n) => /^word\/footer\d*\.xml$/u.test(n)).map((n) => parts![n]!).join('');
    expect(headers).toContain(`>${TEAM.name}<`);
    expect(decodeEntities(footers)).toContain(`Telefoon ${TEAM.phone} · ${TEAM.email}`);
    const core = parts!['docProps/core.xml']!;
    expect(/<dc:creator>([^<]*)</u.exec(core)?.[1]).toBe(TEAM.name);
    expect(/<cp:lastModifiedBy>([^<]*)</u.exec(core)?.[1]).toBe(TEAM.name);
    const all = withoutPseudonym(decodeEntities(Object.values(parts!).join('\n')), p);
    for (const colleague of ['Pieter', 'Berg', 'Özlem', 'Koç', '{{']) expect(all).not.toContain(colleague);
  });
});

// ---------------------------------------------------------------------------
// the leak gate

/** Exit 1 from the leak gate: the error names the output file, each finding with its source, and says nothing was written. */
function expectBlocked(r: RunResult, out: string, ...mentions: (string | RegExp)[]): void {
  expect(r.exitCode, `exit code; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(1);
  expect(r.stdout, 'stdout without --json').toBe('');
  expect(r.stderr).toMatch(new RegExp(`^schuilnaam: error: the leak gate stopped ${escapeRe(path.basename(out))}`, 'u'));
  expect(r.stderr).toMatch(/schuilnaam: hint: nothing was written/u);
  expect(r.stderr).not.toMatch(/^\s+at /mu);
  expect(r.stderr).not.toMatch(/internal error/u);
  for (const m of mentions) {
    if (typeof m === 'string') expect(r.stderr).toContain(m);
    else expect(r.stderr).toMatch(m);
  }
}

interface BlockedJson {
  document: null;
  clean: false;
  findings: { kind: string; confidence: string; text: string; location: string; line: number | null; worker: string | null; source: string }[];
}

describe('render: the leak gate stops a real identity, and nothing is written', () => {
  it("a colleague's name in the template text: exit 1, finding and template line named, no file (not even a temporary one); --json says why", async () => {
    const tpl = template('cc.md', ['Beste ouders,', '', 'Groet, {{worker.name}}', '', 'Cc: Pieter Jan van der Berg', ''].join('\n'));
    const dir = freshDir('leak-body');
    for (const f of ['pdf', 'docx', 'html', 'md', 'txt']) {
      const out = `${dir}/brief.${f}`;
      expectBlocked(await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', out]), out, 'full-name "Pieter Jan van der Berg"', `from template ${tpl} line 5`);
    }
    const r = await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.pdf`, '--json']);
    expect(r.exitCode).toBe(1);
    const j = json<BlockedJson>(r);
    expect(j).toMatchObject({ document: null, clean: false });
    expect(j.findings).toEqual([expect.objectContaining({ kind: 'full-name', confidence: 'high', text: 'Pieter Jan van der Berg', worker: W.pj, source: `template ${tpl} line 5` })]);
    expect(entries(dir)).toEqual([]);
  });

  const SPELLINGS: [string, string, string][] = [
    ['initials', 'Namens P.J. van der Berg', 'initials-name'],
    ['reversed', 'Berg, P.J. van der', 'initials-name'],
    ['after a title', 'Contact: mevrouw Verbeek', 'surname'],
    ['capitals', 'JOLANDA VERBEEK', 'full-name'],
    ['without diacritics', 'Ozlem Koc', 'full-name'],
    ['over a line break', 'Pieter Jan van der\nBerg', 'full-name'],
    ['phone, other spelling', 'Bel 06 4123 4567', 'phone'],
    ['personnel number', 'Personeelsnummer P58213', 'employee-no'],
    ['e-mail, other case', 'Mail PJ.vdBerg@JB-test.nl', 'email'],
  ];
  for (const [what, line, kind] of SPELLINGS) {
    it(`a real identity in any spelling is stopped: ${what} (${JSON.stringify(line)})`, async () => {
      const tpl = template(`spelling-${kind}-${what.replace(/\W+/gu, '-')}.txt`, `Beste ouders,\n\nGroet, {{worker.name}}\n${line}\n`);
      const dir = freshDir(`leak-spelling-${what.replace(/\W+/gu, '-')}`);
      const r = await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.txt`, '--json']);
      expect(r.exitCode, r.stderr).toBe(1);
      const j = json<BlockedJson>(r);
      expect(j.findings.map((f) => f.kind)).toContain(kind);
      expect(j.findings.every((f) => f.confidence === 'high')).toBe(true);
      expect(j.findings.find((f) => f.kind === kind)!.source).toBe(`template ${tpl} line 4`);
      expect(entries(dir)).toEqual([]);
    });
  }

  it("a colleague's name hidden by markup (HTML tags and entities, Word runs with different formatting): stopped, no file", async () => {
    const dir = freshDir('leak-markup');
    const html = template('opgemaakt.html', '<p>Groet, {{worker.name}}</p>\n<p>Cc: Pieter Jan van <b>der</b> Be<span>rg</span> en &Ouml;zlem Ko&ccedil;</p>\n');
    for (const f of ['html', 'pdf', 'txt']) {
      const r = await run(['render', html, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.${f}`, '--json']);
      expect(r.exitCode, r.stderr).toBe(1);
      const found = json<BlockedJson>(r).findings.map((x) => [x.kind, x.worker]);
      expect(found).toEqual(expect.arrayContaining([['full-name', W.pj], ['full-name', W.ozlem]]));
    }
    const word = template(
      'runs.docx',
      handMadeDocx(
        SPLIT_NAME_BODY +
          '<w:p><w:r><w:t xml:space="preserve">Cc: Özlem </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>K</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>oç</w:t></w:r></w:p>',
      ),
    );
    expectBlocked(await run(['render', word, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.docx`]), 'brief.docx', 'full-name "Özlem Koç"', `from template ${word}`);
    expect(entries(dir)).toEqual([]);
  });

  it("HTML template with a colleague's name written with entities or tags: the finding names the template line (source of a markup-hidden name)", async () => {
    const dir = freshDir('leak-markup-source');
    const html = template('entiteiten.html', '<p>Groet, {{worker.name}}</p>\n<p>Beste ouders,</p>\n<p>Cc: &Ouml;zlem Ko&ccedil;</p>\n');
    expectBlocked(await run(['render', html, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.html`]), 'brief.html', 'full-name "Özlem Koç"', `from template ${html} line 3`);
    expect(entries(dir)).toEqual([]);
  });

  it("a colleague named in the Word template's metadata (a dc:creator the renderer does not rewrite): stopped", async () => {
    // The core properties' dc:creator is rewritten to the team (see above); a
    // SharePoint/cover-page customXml item carries its own dc:creator, which
    // goes out with the letter unless the gate sees it.
    const parts = unzipSync(await libraryDocx());
    parts['customXml/item1.xml'] = strToU8(
      XML_HEAD +
        '<p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><documentManagement><dc:creator>Pieter Jan van der Berg</dc:creator></documentManagement></p:properties>',
    );
    const tpl = template('sharepoint.docx', zipSync(parts));
    const dir = freshDir('leak-metadata');
    expectBlocked(
      await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.docx`, '--set', 'onderwerp=x']),
      'brief.docx',
      /full-name "Pieter Jan van der Berg" \(metadata:custom-xml\)/u,
      `from template ${tpl}`,
    );
    expect(entries(dir)).toEqual([]);
  });

  it("a colleague's signature kept in the Word template's building blocks (word/glossary/document.xml): not shipped, and scan sees it in the template", async () => {
    // Word saves AutoText/Quick Parts with the document in a glossary part;
    // Word offers it under Insert > Quick Parts. A rendered letter drops the
    // building blocks altogether; scanning the template itself reports them.
    const parts = unzipSync(await libraryDocx());
    parts['word/glossary/document.xml'] = strToU8(
      XML_HEAD +
        `<w:glossaryDocument ${W_NS}><w:docParts><w:docPart><w:docPartPr><w:name w:val="Ondertekening"/><w:category><w:name w:val="Algemeen"/><w:gallery w:val="autoTxt"/></w:category>` +
        '<w:behaviors><w:behavior w:val="content"/></w:behaviors><w:guid w:val="{5A1B2C3D-0000-4000-8000-000000000001}"/></w:docPartPr>' +
        '<w:docPartBody><w:p><w:r><w:t>Met vriendelijke groet, Pieter Jan van der Berg, 06-41234567</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>',
    );
    parts['[Content_Types].xml'] = strToU8(
      strFromU8(parts['[Content_Types].xml']!).replace(
        '</Types>',
        '<Override PartName="/word/glossary/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"/></Types>',
      ),
    );
    parts['word/_rels/document.xml.rels'] = strToU8(
      strFromU8(parts['word/_rels/document.xml.rels']!).replace(
        '</Relationships>',
        '<Relationship Id="rIdGlossary" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument" Target="glossary/document.xml"/></Relationships>',
      ),
    );
    const tpl = template('bouwstenen.docx', zipSync(parts));
    const dir = freshDir('leak-glossary');
    const r = await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.docx`, '--set', 'onderwerp=x']);
    expect(r.exitCode, r.stderr).toBe(0);
    const shipped = unzipSync(fs.readFileSync(at(dir, 'brief.docx')));
    expect(Object.keys(shipped).filter((p) => p.startsWith('word/glossary/'))).toEqual([]);
    for (const [part, data] of Object.entries(shipped)) {
      expect(strFromU8(data), `${part} must not carry the colleague`).not.toMatch(/Pieter Jan|van der Berg|41234567/u);
      expect(strFromU8(data), `${part} must not point at the dropped part`).not.toContain('glossary');
    }
    const scanned = await run(['scan', tpl, '--json']);
    expect(scanned.exitCode).toBe(1);
    expect(JSON.parse(scanned.stdout).files[0].findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: 'glossary', kind: 'full-name', text: 'Pieter Jan van der Berg' })]),
    );
  });

  it("a template whose file name is a colleague's name: the document title would carry it, so it is stopped", async () => {
    const tpl = template('Brief Özlem Koç.md', 'Beste ouders,\n\nGroet, {{worker.name}}\n');
    const dir = freshDir('leak-title');
    for (const f of ['pdf', 'docx', 'html']) {
      expectBlocked(await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.${f}`]), `brief.${f}`, /full-name "Özlem Koç" \(metadata:title/u);
    }
    expect(entries(dir)).toEqual([]);
  });

  it("a colleague's e-mail in a --set value: exit 1, named as coming from that value", async () => {
    const dir = freshDir('leak-value');
    const values = UITNODIGING_VALUES.map((v) => (v.startsWith('onderwerp=') ? 'onderwerp=uw vraag aan ozlem.koc@jb-test.nl' : v));
    for (const f of ['pdf', 'txt']) {
      expectBlocked(await run(['render', 'uitnodiging', '--case', CASE_2, '--worker', W.jolanda, '--out', `${dir}/brief.${f}`, ...values]), `brief.${f}`, 'email "ozlem.koc@jb-test.nl"', 'from the value of {{onderwerp}}');
    }
    // --data JSON values are gated in the same way.
    fs.writeFileSync(at(dir, '..', 'waarden.json'), JSON.stringify({ onderwerp: 'overleg met Jolanda Verbeek', datum: '1 mei', tijd: '9.00 uur', locatie: 'kantoor' }));
    expectBlocked(await run(['render', 'uitnodiging', '--case', CASE_2, '--worker', W.jolanda, '--out', `${dir}/brief.md`, '--data', 'waarden.json']), 'brief.md', 'from the value of {{onderwerp}}');
    expect(entries(dir)).toEqual([]);
  });

  it('the same colleague in a value and in the template: each finding names its own source', async () => {
    const tpl = template('tweemaal.txt', 'Groet, {{worker.name}}\nOnderwerp: {{onderwerp}}\nCc: Pieter Jan van der Berg\n');
    const dir = freshDir('leak-two-sources');
    const r = await run(['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.txt`, '--set', 'onderwerp=overleg met Pieter Jan van der Berg', '--json']);
    expect(r.exitCode).toBe(1);
    const findings = json<BlockedJson>(r).findings.map((f) => ({ line: f.line, source: f.source }));
    expect(findings).toEqual([
      { line: 2, source: 'the value of {{onderwerp}}' },
      { line: 3, source: `template ${tpl} line 3` },
    ]);
    expect(entries(dir)).toEqual([]);
  });

  it('a retired pseudonym (after a rotation) in a template: stopped as pseudonym-retired', async () => {
    const ref = 'JB-2026-0150';
    expectOk(await run(['case', 'add', ref, '--team', TEAM.name]));
    expectOk(await run(['case', 'assign', ref, W.pj]));
    const old = (await pseudonym(ref, W.pj)).pseudonym;
    const rot = json<{ rotated: { old: string; new: string }[] }>(expectOk(await run(['rotate', '--pseudonym', old, '--reason', 'naam genoemd op sociale media', '--yes', '--json'])));
    expect(rot.rotated).toEqual([expect.objectContaining({ old })]);
    const tpl = template('oude-naam.md', `Beste ouders,\n\nGroet, {{worker.name}}\n\nEerder schreef ${old} u.\n`);
    const dir = freshDir('leak-retired');
    for (const [reference, worker] of [
      [ref, W.pj],
      [CASE, W.jolanda],
    ] as const) {
      const r = await run(['render', tpl, '--case', reference, '--worker', worker, '--out', `${dir}/brief.pdf`]);
      expectBlocked(r, 'brief.pdf', `pseudonym-retired "${old}"`, `from template ${tpl} line 5`);
    }
    expect(entries(dir)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe('render: template and option errors (exit 2, nothing written)', () => {
  const args = (tpl: string, out: string, ...more: string[]) => ['render', tpl, '--case', CASE, '--worker', W.jolanda, '--out', out, ...more];

  it('unknown {{worker.email}}: exit 2 naming it and its line; in a Word template, its paragraph', async () => {
    const dir = freshDir('err-unknown');
    const tpl = template('onbekend.md', 'Beste ouders,\n\nMail {{worker.email}} of bel {{team.phone}}.\n');
    expectCleanError(await run(args(tpl, `${dir}/brief.pdf`)), 2, /unknown placeholder \{\{worker\.email\}\} on line 3/u);
    const word = template('onbekend.docx', handMadeDocx(SPLIT_NAME_BODY + '<w:p><w:r><w:t>Mail {{worker.email}}</w:t></w:r></w:p>'));
    expectCleanError(await run(args(word, `${dir}/brief.docx`)), 2, /unknown placeholder \{\{worker\.email\}\} in the body, paragraph 4/u);
    expect(entries(dir)).toEqual([]);
  });

  it('unfilled {{locatie}}: exit 2 naming it and its line, with a hint how to give it', async () => {
    const dir = freshDir('err-unfilled');
    const tpl = template('locatie.txt', 'Beste ouders,\nWaar: {{locatie}}\nGroet, {{worker.name}}\n');
    const r = expectCleanError(await run(args(tpl, `${dir}/brief.txt`)), 2, /unfilled placeholder \{\{locatie\}\} on line 2/u);
    expect(r.stderr).toMatch(/^schuilnaam: hint: .*--set locatie=/mu);
    // An empty value is no value.
    expectCleanError(await run(args(tpl, `${dir}/brief.txt`, '--set', 'locatie=  ')), 2, /\{\{locatie\}\}/u);
    // The built-in templates name their missing values too.
    const b = expectCleanError(await run(args('uitnodiging', `${dir}/brief.pdf`, ...UITNODIGING_VALUES.slice(0, 6))), 2, /unfilled placeholder \{\{locatie\}\} on line \d+/u);
    expect(b.stderr).toMatch(/hint: .*--set locatie=/u);
    expect(entries(dir)).toEqual([]);
  });

  it('{{#section}}: exit 2 "logic-less"', async () => {
    const dir = freshDir('err-logic');
    const tpl = template('sectie.md', 'Beste ouders,\n{{#kinderen}}- {{naam}}{{/kinderen}}\n');
    expectCleanError(await run(args(tpl, `${dir}/brief.md`)), 2, /\{\{#kinderen\}\} on line 2: templates are logic-less/u);
    expect(entries(dir)).toEqual([]);
  });

  it('bad --set: "=x", a reserved name (worker.name, team.phone), no "=": exit 2', async () => {
    const dir = freshDir('err-set');
    const tpl = template('set.txt', 'Groet, {{worker.name}} over {{onderwerp}}\n');
    expectCleanError(await run(args(tpl, `${dir}/brief.txt`, '--set', '=x')), 2, /invalid --set "=x"/u);
    expectCleanError(await run(args(tpl, `${dir}/brief.txt`, '--set', 'onderwerp')), 2, /invalid --set "onderwerp"/u);
    expectCleanError(await run(args(tpl, `${dir}/brief.txt`, '--set', 'worker.name=Jolanda Verbeek')), 2, /--set worker\.name: this name is reserved/u);
    expectCleanError(await run(args(tpl, `${dir}/brief.txt`, '--set', 'onderwerp=x', '--set', 'team.phone=06-12345678')), 2, /--set team\.phone: this name is reserved/u);
    expect(entries(dir)).toEqual([]);
  });

  it('an existing --out without --force: exit 2 and the file is unchanged; with --force it is replaced', async () => {
    const dir = freshDir('err-exists');
    const tpl = template('bestaat.txt', 'Groet, {{worker.name}}\n');
    fs.writeFileSync(at(dir, 'brief.txt'), 'van de ouders, niet overschrijven\n');
    expectCleanError(await run(args(tpl, `${dir}/brief.txt`)), 2, /already exists/u);
    expect(fs.readFileSync(at(dir, 'brief.txt'), 'utf8')).toBe('van de ouders, niet overschrijven\n');
    expectOk(await run(args(tpl, `${dir}/brief.txt`, '--force')));
    expect(fs.readFileSync(at(dir, 'brief.txt'), 'utf8')).toBe(`Groet, ${(await pseudonym(CASE, W.jolanda)).pseudonym}\n`);
    // A leak with --force leaves the existing file alone.
    const leak = template('bestaat-lek.txt', 'Groet, {{worker.name}} en Jolanda Verbeek\n');
    const before = fs.readFileSync(at(dir, 'brief.txt'));
    expectBlocked(await run(args(leak, `${dir}/brief.txt`, '--force')), 'brief.txt');
    expect(fs.readFileSync(at(dir, 'brief.txt'))).toEqual(before);
    expect(entries(dir)).toEqual(['brief.txt']);
  });
});

// ---------------------------------------------------------------------------

interface DocumentJson {
  id: string;
  kind: string;
  case: string;
  worker: string | null;
  template: string;
  format: string;
  path: string;
  sha256: string;
  pseudonyms: string[];
  created_at: string;
  reissue_of: string | null;
}

describe('rotation impact and reissue', () => {
  it('rotate lists the letters that carry the old name; --reissue replaces them with the new one; the old copy still scans as retired', async () => {
    const ref = 'JB-2026-0160';
    expectOk(await run(['case', 'add', ref, '--team', TEAM.name]));
    expectOk(await run(['case', 'assign', ref, W.ozlem]));
    const old = (await pseudonym(ref, W.ozlem)).pseudonym;
    const dir = freshDir('rotation');
    const tpl = template('rotatie.md', OWN_MD);
    const d1 = json<{ document: string }>(expectOk(await run(['render', tpl, '--case', ref, '--worker', W.ozlem, '--out', `${dir}/brief1.md`, '--set', 'onderwerp=de voortgang', '--json']))).document;
    const d2 = json<{ document: string }>(expectOk(await run(['render', 'uitnodiging', '--case', ref, '--worker', W.ozlem, '--out', `${dir}/brief2.txt`, ...UITNODIGING_VALUES, '--json']))).document;
    fs.mkdirSync(at('rotation-copy'));
    fs.copyFileSync(at(dir, 'brief1.md'), at('rotation-copy', 'verstuurd.md'));

    const rot = json<{ rotated: { old: string; new: string; worker: string; case: string }[]; documents: { id: string; case: string; template: string; path: string }[] }>(
      expectOk(await run(['rotate', '--pseudonym', old, '--reason', 'ouders kennen de naam', '--yes', '--json'])),
    );
    expect(rot.rotated).toHaveLength(1);
    expect(rot.rotated[0]).toMatchObject({ old, worker: W.ozlem, case: ref });
    const fresh = rot.rotated[0]!.new;
    expect(fresh).not.toBe(old);
    expect((await pseudonym(ref, W.ozlem)).pseudonym).toBe(fresh);
    expect([...rot.documents].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: d1, case: ref, template: path.resolve(at(tpl)), path: path.resolve(at(dir, 'brief1.md')), state: 'complete' },
        { id: d2, case: ref, template: 'uitnodiging', path: path.resolve(at(dir, 'brief2.txt')), state: 'complete' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );

    // Reissue of an unchanged letter: the same path, the new name, the old one gone.
    const re = json<{ document: string; path: string; pseudonyms: string[]; reissue_of: string; previous: string[] }>(expectOk(await run(['render', '--reissue', d1, '--json'])));
    expect(re).toMatchObject({ reissue_of: d1, previous: [old], pseudonyms: [fresh] });
    expect(path.resolve(sb.dir, re.path)).toBe(path.resolve(at(dir, 'brief1.md')));
    const letter = fs.readFileSync(at(dir, 'brief1.md'), 'utf8');
    expect(letter).toContain(fresh);
    expect(letter).not.toContain(old);
    expect(entries(dir)).toEqual(['brief1.md', 'brief2.txt']);
    const listed = json<{ documents: DocumentJson[] }>(expectOk(await run(['document', 'list', '--case', ref, '--json']))).documents;
    expect(listed.map((d) => d.id)).toEqual([d1, d2, re.document]);
    expect(listed.find((d) => d.id === re.document)).toMatchObject({ kind: 'render', case: ref, worker: W.ozlem, reissue_of: d1, pseudonyms: [fresh], format: 'md', path: path.resolve(at(dir, 'brief1.md')) });
    expect(listed.find((d) => d.id === d1)).toMatchObject({ reissue_of: null, pseudonyms: [old] });
    expect((await run(['scan', `${dir}/brief1.md`])).exitCode).toBe(0);

    // The copy that went out with the old name is still caught.
    const scan = await run(['scan', 'rotation-copy/verstuurd.md', '--json']);
    expect(scan.exitCode).toBe(1);
    const found = json<{ files: { findings: { kind: string; text: string; confidence: string }[] }[] }>(scan).files[0]!.findings;
    expect(found).toContainEqual(expect.objectContaining({ kind: 'pseudonym-retired', text: old, confidence: 'high' }));

    // A letter changed by hand since is not replaced without --force.
    const edited = fs.readFileSync(at(dir, 'brief2.txt'), 'utf8') + '\nPS: met de hand toegevoegd\n';
    fs.writeFileSync(at(dir, 'brief2.txt'), edited);
    expectCleanError(await run(['render', '--reissue', d2]), 2, /has changed since/u);
    expect(fs.readFileSync(at(dir, 'brief2.txt'), 'utf8')).toBe(edited);
    const forced = json<{ reissue_of: string; pseudonyms: string[] }>(expectOk(await run(['render', '--reissue', d2, '--force', '--json'])));
    expect(forced).toMatchObject({ reissue_of: d2, pseudonyms: [fresh] });
    const replaced = fs.readFileSync(at(dir, 'brief2.txt'), 'utf8');
    expect(replaced).toContain(fresh);
    expect(replaced).not.toContain(old);
    expect(replaced).not.toContain('met de hand');
    expect(entries(dir)).toEqual(['brief1.md', 'brief2.txt']);
  });

  it('--reissue of an unknown document, or with a case: exit 2', async () => {
    expectCleanError(await run(['render', '--reissue', 'D-zzzzzzzz']), 2, /D-zzzzzzzz/u);
    expectCleanError(await run(['render', '--reissue', 'D-zzzzzzzz', '--case', CASE]), 2, /--reissue takes only/u);
  });
});

// ---------------------------------------------------------------------------

describe('render --batch', () => {
  const BESLUIT = (reden: string) => `toegekend,${reden},1 januari 2027`;

  it('three rows: three files, each with its own pseudonym, registered; --json has timings', async () => {
    const dir = freshDir('batch-ok');
    const csv = ['case,worker,out,besluit,reden,ingangsdatum', `${CASE},${W.jolanda},,${BESLUIT('de veiligheid thuis')}`, `${CASE},${W.pj},pj.txt,${BESLUIT('de afspraken')}`, `${CASE_2},${W.ozlem},,${BESLUIT('"school, sport en thuis"')}`].join('\n');
    fs.writeFileSync(at('batch-ok.csv'), csv + '\n');
    const before = json<{ documents: DocumentJson[] }>(expectOk(await run(['document', 'list', '--json']))).documents.length;
    const r = json<{ documents: { document: string; path: string; case: string; worker: string; pseudonyms: string[] }[]; count: number; format: string; timings: Record<string, number> }>(
      expectOk(await run(['render', 'besluit', '--batch', 'batch-ok.csv', '--out-dir', dir, '--format', 'txt', '--json'])),
    );
    expect(r.count).toBe(3);
    expect(r.format).toBe('txt');
    expect(r.timings).toEqual(expect.any(Object));
    expect(Object.keys(r.timings).length).toBeGreaterThan(0);
    for (const v of Object.values(r.timings)) expect(v).toEqual(expect.any(Number));
    expect(r.documents.map((d) => [d.case, d.worker])).toEqual([
      [CASE, W.jolanda],
      [CASE, W.pj],
      [CASE_2, W.ozlem],
    ]);
    const names = await Promise.all(r.documents.map((d) => pseudonym(d.case, d.worker)));
    expect(new Set(names.map((n) => n.pseudonym)).size).toBe(3);
    for (const [i, d] of r.documents.entries()) {
      expect(d.pseudonyms).toEqual([names[i]!.pseudonym]);
      const text = fs.readFileSync(path.resolve(sb.dir, d.path), 'utf8');
      expect(text).toContain(names[i]!.pseudonym);
      for (const [j, other] of names.entries()) if (j !== i) expect(text).not.toContain(other.pseudonym);
      expect(text).toContain(TEAM.phone);
      for (const real of ['Jolanda', 'Verbeek', 'Pieter', 'Berg', 'Özlem', 'Koç', 'jb-test.nl']) expect(text).not.toContain(real);
    }
    expect(path.basename(r.documents[1]!.path)).toBe('pj.txt');
    expect(entries(dir)).toHaveLength(3);
    expect(entries(dir)).toContain('pj.txt');
    const after = json<{ documents: DocumentJson[] }>(expectOk(await run(['document', 'list', '--json']))).documents;
    expect(after.length).toBe(before + 3);
    expect(after.slice(-3).map((d) => d.id)).toEqual(r.documents.map((d) => d.document));
  });

  it("one row with a colleague's name in a value: exit 1, the row and the value named, no files at all, nothing registered", async () => {
    const dir = freshDir('batch-leak');
    const csv = ['case,worker,besluit,reden,ingangsdatum', `${CASE},${W.jolanda},${BESLUIT('de veiligheid')}`, `${CASE},${W.pj},${BESLUIT('overleg met Jolanda Verbeek')}`, `${CASE_2},${W.ozlem},${BESLUIT('de afspraken')}`].join('\n');
    fs.writeFileSync(at('batch-leak.csv'), csv + '\n');
    const before = json<{ documents: DocumentJson[] }>(expectOk(await run(['document', 'list', '--json']))).documents.length;
    const r = await run(['render', 'besluit', '--batch', 'batch-leak.csv', '--out-dir', dir]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/line 3 .*full-name "Jolanda Verbeek".*from the value of \{\{reden\}\}/u);
    expect(r.stderr).toMatch(/hint: nothing was written/u);
    expect(entries(dir)).toEqual([]);
    const j = await run(['render', 'besluit', '--batch', 'batch-leak.csv', '--out-dir', dir, '--format', 'md', '--json']);
    expect(j.exitCode).toBe(1);
    expect(json<{ documents: unknown[]; findings: { row: number; kind: string }[] }>(j)).toMatchObject({ documents: [], findings: [expect.objectContaining({ row: 3, kind: 'full-name' })] });
    expect(entries(dir)).toEqual([]);
    expect(json<{ documents: DocumentJson[] }>(expectOk(await run(['document', 'list', '--json']))).documents.length).toBe(before);
  });

  it('one row with an unknown case: exit 2 naming it, no files at all', async () => {
    const dir = freshDir('batch-unknown');
    const csv = ['case,worker,besluit,reden,ingangsdatum', `${CASE},${W.jolanda},${BESLUIT('de veiligheid')}`, `JB-2026-9999,${W.pj},${BESLUIT('de afspraken')}`].join('\n');
    fs.writeFileSync(at('batch-unknown.csv'), csv + '\n');
    expectCleanError(await run(['render', 'besluit', '--batch', 'batch-unknown.csv', '--out-dir', dir]), 2, /line 3 .*JB-2026-9999/u);
    expect(entries(dir)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe('template list / show / init', () => {
  interface ListJson {
    templates: { name: string; language: string; kind: string; description: string; values: string[] }[];
  }

  it('list names the eight built-ins with their values; show gives the text; init copies it, refuses to overwrite, and the copy renders', async () => {
    const list = json<ListJson>(expectOk(await run(['template', 'list', '--json'])));
    expect(list.templates.map((t) => t.name).sort()).toEqual(['besluit', 'decision', 'e-mail', 'email', 'invitation', 'rapportage', 'report', 'uitnodiging']);
    const byName = Object.fromEntries(list.templates.map((t) => [t.name, t]));
    expect(byName.uitnodiging).toMatchObject({ language: 'nl', values: ['onderwerp', 'datum', 'tijd', 'locatie'] });
    expect(byName.invitation).toMatchObject({ language: 'en', values: ['subject', 'date', 'time', 'location'] });
    expect(byName.besluit!.values).toEqual(['besluit', 'reden', 'ingangsdatum']);
    expect(byName.email!.values).toEqual(['message']);

    const show = json<{ name: string; text: string }>(expectOk(await run(['template', 'show', 'uitnodiging', '--json'])));
    expect(show.name).toBe('uitnodiging');
    for (const v of ['worker.name', 'team.phone', 'onderwerp', 'locatie']) expect(show.text).toContain(`{{${v}}}`);
    expect(expectOk(await run(['template', 'show', 'uitnodiging'])).stdout).toContain('{{locatie}}');

    expectOk(await run(['template', 'init', 'uitnodiging', 'sjablonen']));
    const copy = at('sjablonen', 'uitnodiging.md');
    expect(fs.readFileSync(copy, 'utf8')).toBe(show.text);
    fs.writeFileSync(copy, show.text.replace('Met vriendelijke groet,', 'Met hartelijke groet,'));
    expectCleanError(await run(['template', 'init', 'uitnodiging', 'sjablonen']), 2, /already exists/u);
    expect(fs.readFileSync(copy, 'utf8')).toContain('Met hartelijke groet,');
    const dir = freshDir('from-init');
    expectOk(await run(['render', 'sjablonen/uitnodiging.md', '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.md`, ...UITNODIGING_VALUES]));
    expect(fs.readFileSync(at(dir, 'brief.md'), 'utf8')).toContain('Met hartelijke groet,');
    expectOk(await run(['template', 'init', 'uitnodiging', 'sjablonen', '--force']));
    expect(fs.readFileSync(copy, 'utf8')).toBe(show.text);
  });

  it('show of an unknown template: exit 2 with a hint listing the names', async () => {
    const r = expectCleanError(await run(['template', 'show', 'nope']), 2, /"nope"/u);
    expect(r.stderr).toMatch(/^schuilnaam: hint: .*uitnodiging.*besluit/mu);
    expectCleanError(await run(['render', 'nope', '--case', CASE, '--worker', W.jolanda, '--out', 'nope.pdf']), 2, /"nope"/u);
    expect(fs.existsSync(at('nope.pdf'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------

describe('team contact details', () => {
  it("team set refuses a worker's own e-mail or phone (exit 2) without naming the worker, and keeps the functional details", async () => {
    for (const [flag, value] of [
      ['--email', JOLANDA.email],
      ['--email', 'J.Verbeek@JB-test.nl'],
      ['--phone', JOLANDA.phone],
      ['--phone', '06 1234 5678'],
      ['--phone', '+31 6 41234567'],
    ] as const) {
      const r = expectCleanError(await run(['team', 'set', TEAM.name, flag, value]), 2, /worker's own/u);
      for (const real of ['Jolanda', 'Verbeek', 'Pieter', 'Berg', W.jolanda, W.pj, value]) expect(r.stderr).not.toContain(real);
    }
    const teams = json<{ teams: { name: string; settings: Record<string, string> }[] }>(expectOk(await run(['team', 'list', '--json']))).teams;
    expect(teams.find((t) => t.name === TEAM.name)!.settings).toMatchObject({ phone: TEAM.phone, email: TEAM.email, address: TEAM.address.join('\n') });
  });
});

describe('access', () => {
  it('without a session or passphrase (no TTY): exit 3 and no file; a bad session token or a wrong passphrase too', async () => {
    const dir = freshDir('access');
    const cmd = ['render', 'uitnodiging', '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.pdf`, ...UITNODIGING_VALUES];
    expectCleanError(await sb.run(cmd), 3, /passphrase/u);
    expectCleanError(await sb.run(cmd, { env: { SCHUILNAAM_SESSION: 'niet-een-sessie' } }), 3, /session/u);
    fs.writeFileSync(at('fout.txt'), 'dit is niet de passphrase\n', { mode: 0o600 });
    expectCleanError(await sb.run([...cmd, '--passphrase-file', 'fout.txt']), 3);
    expectCleanError(await sb.run(['document', 'list']), 3);
    fs.writeFileSync(at('access.csv'), `case,worker,besluit,reden,ingangsdatum\n${CASE},${W.jolanda},toegekend,de veiligheid,1 mei 2027\n`);
    expectCleanError(await sb.run(['render', 'besluit', '--batch', 'access.csv', '--out-dir', dir]), 3);
    expect(entries(dir)).toEqual([]);
  });
});

describe('the case decides the team; the register is checked by verify', () => {
  it('a case without a team: the hint says how to give it one; after case update the letter carries the team and the stored reference', async () => {
    expectOk(await run(['case', 'add', 'JB-2026-0199']));
    expectOk(await run(['case', 'assign', 'JB-2026-0199', W.jolanda]));
    const dir = freshDir('case-team');
    const tpl = template('kenmerk.txt', 'Kenmerk: {{case.reference}}\n{{team.name}}\n{{worker.name}}\n');
    const r = await run(['render', tpl, '--case', 'JB-2026-0199', '--worker', W.jolanda, '--out', `${dir}/a.txt`]);
    expectCleanError(r, 2, /unfilled placeholder \{\{team\.name\}\}/u);
    expect(r.stderr).toContain('case update JB-2026-0199'.slice(0, 11));
    expect(entries(dir)).toEqual([]);
    expectOk(await run(['case', 'update', 'JB-2026-0199', '--team', TEAM.name]));
    // The reference as stored, not as typed ("jb-2026-0199 " finds the same case).
    expectOk(await run(['render', tpl, '--case', 'jb-2026-0199', '--worker', W.jolanda, '--out', `${dir}/a.txt`]));
    const text = fs.readFileSync(at(dir, 'a.txt'), 'utf8');
    expect(text).toContain('Kenmerk: JB-2026-0199\n');
    expect(text).toContain(`${TEAM.name}\n`);
  });

  it('verify finds a document whose pseudonym links were removed from the file (a rotation would miss it)', async () => {
    const dir = freshDir('verify-links');
    const doc = json<{ document: string }>(expectOk(await run(['render', 'uitnodiging', '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/a.md`, ...UITNODIGING_VALUES, '--json']))).document;
    expect(json<{ ok: boolean }>(await run(['verify', '--json'])).ok).toBe(true);
    const db = openAsAttacker(sb.vault);
    const links = db.prepare('SELECT document_id, pseudonym_id FROM document_pseudonyms WHERE document_id = ?').all(doc) as { document_id: string; pseudonym_id: string }[];
    expect(links).toHaveLength(1);
    db.prepare('DELETE FROM document_pseudonyms WHERE document_id = ?').run(doc);
    db.close();
    const v = await run(['verify', '--json']);
    expect(v.exitCode).toBe(1);
    expect(json<{ problems: string[] }>(v).problems).toEqual(expect.arrayContaining([expect.stringContaining(`document ${doc}: its pseudonym links do not match`)]));
    // Put the rows back: the vault is healthy again.
    const db2 = openAsAttacker(sb.vault);
    for (const l of links) db2.prepare('INSERT INTO document_pseudonyms (document_id, pseudonym_id) VALUES (?, ?)').run(l.document_id, l.pseudonym_id);
    db2.close();
    expect(json<{ ok: boolean }>(await run(['verify', '--json'])).ok).toBe(true);
  });

  it('template init of an English template prints a render command with --lang en', async () => {
    const r = expectOk(await run(['template', 'init', 'invitation', 'eng']));
    expect(r.stdout).toMatch(/render eng\/invitation\.md --lang en /u);
  });
});

describe('a file that cannot be put in place: nothing on disk, nothing registered', () => {
  const count = async () => json<{ documents: unknown[] }>(expectOk(await run(['document', 'list', '--json']))).documents.length;

  it('batch: the third file cannot be renamed into place (a folder has its name), so the first two are removed too', async () => {
    const dir = freshDir('place-fails');
    fs.mkdirSync(at(dir, 'c.md'));
    fs.writeFileSync(
      at('place-fails.csv'),
      ['case,worker,out,onderwerp,datum,tijd,locatie', ...['a', 'b', 'c'].map((n) => `${CASE},${W.jolanda},${n}.md,test ${n},1 december,14.00,Politiebureau`)].join('\n') + '\n',
    );
    const before = await count();
    const r = await run(['render', 'uitnodiging', '--batch', 'place-fails.csv', '--out-dir', dir, '--format', 'md', '--force']);
    expectCleanError(r, 2, /cannot write .*c\.md/u);
    expect(entries(dir)).toEqual(['c.md']);
    expect(fs.readdirSync(at(dir, 'c.md'))).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('single render and redact: --out is a folder (with --force): exit 2, no temporary file, nothing registered', async () => {
    const dir = freshDir('place-fails-1');
    fs.mkdirSync(at(dir, 'brief.md'));
    const before = await count();
    expectCleanError(await run(['render', 'uitnodiging', '--case', CASE, '--worker', W.jolanda, '--out', `${dir}/brief.md`, ...UITNODIGING_VALUES, '--force']), 2, /cannot write/u);
    fs.writeFileSync(at(dir, 'concept.txt'), 'Beste ouders, groet van Jolanda Verbeek.\n');
    fs.mkdirSync(at(dir, 'schoon.txt'));
    expectCleanError(await run(['redact', `${dir}/concept.txt`, '--case', CASE, '--out', `${dir}/schoon.txt`, '--force']), 2, /cannot write/u);
    expect(entries(dir)).toEqual(['brief.md', 'concept.txt', 'schoon.txt']);
    expect(await count()).toBe(before);
  });
});

describe('bad input to the new settings commands: one clear line, exit 2', () => {
  it('case update: an unknown case, nothing to change, an invalid risk', async () => {
    expectCleanError(await run(['case', 'update', 'JB-NOPE', '--team', TEAM.name]), 2, /no case "JB-NOPE"/u);
    expectCleanError(await run(['case', 'update', CASE]), 2, /nothing to change/u);
    expectCleanError(await run(['case', 'update', CASE, '--risk', 'extreme']), 2, /extreme/u);
  });

  it('team set: contact details for the vault defaults, an invalid phone or e-mail, nothing to set', async () => {
    expectCleanError(await run(['team', 'set', '--default', '--phone', '020 555 0100']), 2, /belong to a team/u);
    expectCleanError(await run(['team', 'set', TEAM.name, '--phone', 'bel me']), 2, /phone/u);
    expectCleanError(await run(['team', 'set', TEAM.name, '--email', 'geen-adres']), 2, /e-mail/u);
    expectCleanError(await run(['team', 'set', TEAM.name]), 2, /nothing to set/u);
    // The team's details are unchanged.
    expect(expectOk(await run(['team', 'list'])).stdout).toContain(TEAM.phone);
  });
});
