// Document readers: every fixture is built here (docx with the `docx` package
// or hand-written XML zipped with fflate, PDFs with pdfkit, e-mails and HTML
// as strings), so no binary fixture is committed. Names are invented.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import * as docx from 'docx';
import { strToU8, zipSync } from 'fflate';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readerNotes } from '../../src/formats/notes.js';
import { readDocx } from '../../src/formats/read-docx.js';
import { readEml } from '../../src/formats/read-eml.js';
import { readSegments, readStdinSegments, sniffKind } from '../../src/formats/read-file.js';
import { htmlToSegments, readHtml } from '../../src/formats/read-html.js';
import { layoutByPosition } from '../../src/formats/pdf-layout.js';
import { readPdf } from '../../src/formats/read-pdf.js';
import type { TextSegment } from '../../src/formats/segments.js';

// ---------------------------------------------------------------- helpers

async function textOf(segment: TextSegment): Promise<string> {
  if (typeof segment.text === 'string') return segment.text;
  let out = '';
  for await (const chunk of segment.text) out += chunk;
  return out;
}

/** location → text of every segment there (several joined with " | "). */
async function byLocation(segments: TextSegment[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of segments) {
    if ('note' in s) continue;
    const t = await textOf(s);
    out[s.location] = s.location in out ? `${out[s.location]} | ${t}` : t;
  }
  return out;
}

function textsAt(segments: TextSegment[], location: string): string[] {
  return segments.filter((s) => s.location === location && !('note' in s)).map((s) => s.text as string);
}

async function expectUsageError(p: Promise<unknown>, message: RegExp): Promise<UsageError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  expect((e as UsageError).message).toMatch(message);
  expect((e as UsageError).message).not.toMatch(/\n/u);
  return e as UsageError;
}

const enc = (s: string) => new TextEncoder().encode(s);

// ---------------------------------------------------------------- HTML

describe('read-html', () => {
  const page = [
    '<!doctype html>',
    '<html><head><title>Dossier &Ouml;zlem Ko&ccedil;</title>',
    '<meta name="author" content="Jan van der Berg">',
    '<meta name="description" content="Brief over J&#46; de Vries">',
    '<style>p { color: red } .Jan { }</style><script>var naam = "Piet Jansen";</script></head>',
    '<body><h1>Geachte J&#46; de Vries,</h1>',
    '<p>Wij spraken met Jan&nbsp;de&nbsp;Vries en &#214;zlem Ko&#xE7;.<br>Nieuwe regel</p>',
    '<p><b>Jan</b> van der <i>Berg</i> en J<span>an</span> Smit</p>',
    '<img src="logo.png" alt="Foto van Anna Bakker"><a href="mailto:a.bakker@example.org" title="Mail Anna">mail</a>',
    '<input type="text" value="Kees de Boer" aria-label="Naam behandelaar"><!-- concept van Piet Jansen -->',
    '<table><tr><td>Naam</td><td>Chlo&euml; IJzerman</td></tr></table>',
    '</body></html>',
  ].join('\n');

  it('extracts body text with tags removed, entities decoded and blocks as lines', async () => {
    const segments = await htmlToSegments(page);
    const body = textsAt(segments, 'body')[0]!;
    expect(body).toContain('Geachte J. de Vries,');
    expect(body).toContain('Wij spraken met Jan\u00a0de\u00a0Vries en Özlem Koç.\nNieuwe regel');
    expect(body).toContain('Jan van der Berg en Jan Smit');
    expect(body).toContain('Naam\tChloë IJzerman');
    expect(body).not.toContain('Piet Jansen'); // script dropped
    expect(body).not.toContain('color'); // style dropped
    expect(body).not.toContain('Dossier'); // the title is its own segment
    expect(body).not.toMatch(/<|&/u);
    // blocks are lines
    expect(body.split('\n')).toEqual(
      expect.arrayContaining(['Geachte J. de Vries,', 'Nieuwe regel', 'Jan van der Berg en Jan Smit']),
    );
  });

  it('gives title, meta author, attributes and comments their own segments', async () => {
    const segments = await htmlToSegments(page);
    expect(textsAt(segments, 'metadata:title')).toEqual(['Dossier Özlem Koç']);
    expect(textsAt(segments, 'metadata:author')).toEqual(['Jan van der Berg']);
    expect(textsAt(segments, 'attribute:content')).toEqual(['Brief over J. de Vries']);
    expect(textsAt(segments, 'attribute:alt')).toEqual(['Foto van Anna Bakker']);
    expect(textsAt(segments, 'attribute:title')).toEqual(['Mail Anna']);
    expect(textsAt(segments, 'attribute:href')).toEqual(['mailto:a.bakker@example.org']);
    expect(textsAt(segments, 'attribute:value')).toEqual(['Kees de Boer']);
    expect(textsAt(segments, 'attribute:aria-label')).toEqual(['Naam behandelaar']);
    expect(textsAt(segments, 'attribute:src')).toEqual(['logo.png']);
    expect(textsAt(segments, 'comment')).toEqual([' concept van Piet Jansen ']);
  });

  it('maps offsets in the extracted text to line and column in the file', async () => {
    const segments = await htmlToSegments(page);
    const body = segments.find((s) => s.location === 'body')!;
    const text = body.text as string;
    const lines = page.split('\n');
    const where = (needle: string) => body.position!(text.indexOf(needle));
    // plain text maps one to one
    expect(where('Wij spraken')).toEqual({ line: 7, column: lines[6]!.indexOf('Wij spraken') + 1 });
    // an entity maps to its "&"
    expect(where('Özlem')).toEqual({ line: 7, column: lines[6]!.indexOf('&#214;') + 1 });
    expect(where('. de Vries,')).toEqual({ line: 6, column: lines[5]!.indexOf('&#46;') + 1 });
    // text after an entity maps one to one again
    expect(where('zlem')).toEqual({ line: 7, column: lines[6]!.indexOf('&#214;') + '&#214;'.length + 1 });
    // across tags
    expect(where('Berg en')).toEqual({ line: 8, column: lines[7]!.indexOf('Berg</i>') + 1 });
    // attributes and the title too
    const alt = segments.find((s) => s.location === 'attribute:alt')!;
    expect(alt.position!(9)).toEqual({ line: 9, column: lines[8]!.indexOf('Anna Bakker') + 1 });
    const title = segments.find((s) => s.location === 'metadata:title')!;
    expect(title.position!(0)).toEqual({ line: 2, column: lines[1]!.indexOf('Dossier') + 1 });
  });

  it('decodes a declared Windows-1252 file and a UTF-8 BOM', async () => {
    const latin = Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"></head><body><p>'),
      Buffer.from([0xd6]), // Ö
      Buffer.from('zlem Ko'),
      Buffer.from([0xe7]), // ç
      Buffer.from('</p></body></html>'),
    ]);
    expect(textsAt(await readHtml(latin, 'brief.html'), 'body')[0]).toBe('Özlem Koç\n');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>Chloë</p>')]);
    expect(textsAt(await readHtml(bom, 'brief.html'), 'body')[0]).toBe('Chloë\n');
  });

  it('refuses binary data', async () => {
    await expectUsageError(readHtml(new Uint8Array([0x3c, 0x70, 0, 0, 1, 2]), 'x.html'), /^x\.html is not a readable HTML file: it contains binary data$/u);
  });
});

// ---------------------------------------------------------------- DOCX

const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" ' +
  'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"';

const DOCUMENT_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ${W_NS}><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
  <w:r><w:t xml:space="preserve">Geachte heer </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>J</w:t></w:r><w:r><w:t xml:space="preserve">an van der </w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>Berg</w:t></w:r><w:r><w:t>,</w:t></w:r></w:p>
<w:p><w:r><w:t>Naam:</w:t></w:r><w:r><w:tab/><w:t>Jansen &amp; Zn</w:t><w:br/><w:t>Tweede regel</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Behandelaar: Jan </w:t></w:r><w:del w:id="1" w:author="Piet Jansen" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>van der Berg</w:delText></w:r></w:del><w:ins w:id="2" w:author="Özlem Koç" w:date="2026-01-01T00:00:00Z"><w:r><w:t>Smit</w:t></w:r></w:ins></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Tekstvak 1" descr="Foto van Anna Bakker"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Contact: Kees de Boer</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Contact: Kees de Boer</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Na het tekstvak</w:t></w:r></w:p>
<w:p><w:hyperlink r:id="rId5" w:tooltip="Mail Chloë"><w:r><w:t>mail ons</w:t></w:r></w:hyperlink><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:</w:instrText></w:r><w:r><w:instrText>c.ijzerman@example.org" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cel één</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Chloë IJzerman</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p/>
<w:sectPr><w:headerReference w:type="default" r:id="rId3"/></w:sectPr>
</w:body></w:document>`;

const CORE_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Brief aan familie</dc:title><dc:subject>Zaak 2026-17</dc:subject><dc:creator>Jan van der Berg</dc:creator>
<cp:keywords>jeugd; Özlem</cp:keywords><dc:description>Opgesteld door J. van der Berg</dc:description>
<cp:lastModifiedBy>Özlem Koç</cp:lastModifiedBy><cp:revision>3</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created></cp:coreProperties>`;

function handMadeDocx(extra: Record<string, string> = {}, omit: string[] = []): Uint8Array {
  const files: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': DOCUMENT_XML,
    'word/_rels/document.xml.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="mailto:k.deboer@example.org" TargetMode="External"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>',
    'word/_rels/settings.xml.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\jvdberg\\Sjablonen\\Brief%20Jan.dotm" TargetMode="External"/></Relationships>',
    'word/header1.xml': `<?xml version="1.0"?><w:hdr ${W_NS}><w:p><w:r><w:t>Kenmerk: JvdB / Jan van der Berg</w:t></w:r></w:p></w:hdr>`,
    'word/header2.xml': `<?xml version="1.0"?><w:hdr ${W_NS}><w:p><w:r><w:t>Eerste pagina</w:t></w:r></w:p></w:hdr>`,
    'word/footer1.xml': `<?xml version="1.0"?><w:ftr ${W_NS}><w:p><w:r><w:t>Behandeld door Anna Bakker, 06-41234567</w:t></w:r></w:p></w:ftr>`,
    'word/footnotes.xml':
      `<?xml version="1.0"?><w:footnotes ${W_NS}>` +
      '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>' +
      '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>' +
      '<w:footnote w:id="1"><w:p><w:r><w:t>Zie verslag van Kees de Boer.</w:t></w:r></w:p></w:footnote></w:footnotes>',
    'word/endnotes.xml': `<?xml version="1.0"?><w:endnotes ${W_NS}><w:endnote w:id="1"><w:p><w:r><w:t>Eindnoot Chloë</w:t></w:r></w:p></w:endnote></w:endnotes>`,
    'word/comments.xml':
      `<?xml version="1.0"?><w:comments ${W_NS}>` +
      '<w:comment w:id="0" w:author="Piet Jansen" w:date="2026-01-01T00:00:00Z" w:initials="PJ"><w:p><w:r><w:t>Vraag dit na bij Jan van der Berg</w:t></w:r></w:p></w:comment>' +
      '<w:comment w:id="1" w:author="Özlem Koç" w:initials="ÖK"><w:p><w:r><w:t>Akkoord</w:t></w:r></w:p></w:comment></w:comments>',
    'word/people.xml': `<?xml version="1.0"?><w15:people ${W_NS}><w15:person w15:author="Piet Jansen"/></w15:people>`,
    'word/settings.xml': `<?xml version="1.0"?><w:settings ${W_NS}><w:docVars><w:docVar w:name="Behandelaar" w:val="Anna Bakker"/></w:docVars></w:settings>`,
    'docProps/core.xml': CORE_XML,
    'docProps/app.xml':
      '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template>' +
      '<Company>Jeugdzorg Voorbeeld</Company><Manager>Kees de Boer</Manager><Pages>1</Pages></Properties>',
    'docProps/custom.xml':
      '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
      '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Behandelaar"><vt:lpwstr>J. van der Berg</vt:lpwstr></property>' +
      '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Dossiernummer"><vt:i4>4711</vt:i4></property></Properties>',
    'customXml/item1.xml': '<?xml version="1.0"?><root><Eigenaar><DisplayName>Anna Bakker</DisplayName></Eigenaar></root>',
    ...extra,
  };
  const zip: Record<string, Uint8Array> = {};
  for (const [path, content] of Object.entries(files)) if (!omit.includes(path)) zip[path] = strToU8(content);
  zip['word/embeddings/oleObject1.bin'] = new Uint8Array([1, 2, 3]);
  return zipSync(zip);
}

async function packageDocx(): Promise<Uint8Array> {
  const { Document, Packer, Paragraph, TextRun, Header, Footer, FootnoteReferenceRun, CommentRangeStart, CommentRangeEnd, CommentReference, DeletedTextRun, InsertedTextRun, Textbox } = docx;
  const doc = new Document({
    creator: 'Özlem Koç',
    lastModifiedBy: 'Jan van der Berg',
    title: 'Verslag huisbezoek',
    subject: 'Zaak 2026-42',
    keywords: 'Chloë',
    description: 'Concept van Kees de Boer',
    customProperties: [{ name: 'Behandelaar', value: 'Anna Bakker' }],
    comments: {
      children: [{ id: 0, author: 'Piet Jansen', initials: 'PJ', date: new Date('2026-01-01'), children: [new Paragraph('Klopt dit, Özlem?')] }],
    },
    footnotes: { 1: { children: [new Paragraph('Bron: gesprek met Chloë IJzerman')] } },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph('Kopregel Jan van der Berg')] }) },
        footers: { default: new Footer({ children: [new Paragraph('Voettekst Anna Bakker')] }) },
        children: [
          new Paragraph({ children: [new TextRun('Geachte '), new TextRun({ text: 'mevrouw ', bold: true }), new TextRun('Ko'), new TextRun('ç,'), new FootnoteReferenceRun(1)] }),
          new Paragraph({
            children: [
              new CommentRangeStart(0),
              new TextRun('Wij spraken met '),
              new DeletedTextRun({ text: 'Jan van der Berg', id: 1, author: 'Kees de Boer', date: '2026-01-01T00:00:00Z' }),
              new InsertedTextRun({ text: 'de behandelaar', id: 2, author: 'Kees de Boer', date: '2026-01-01T00:00:00Z' }),
              new TextRun('.'),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
            ],
          }),
          new Textbox({ alignment: 'left', style: { width: '200pt', height: 'auto' }, children: [new Paragraph('In het kader: Piet Jansen')] }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

describe('read-docx', () => {
  it('reads body, header, footer, notes, comments, text boxes and tracked changes (hand-made XML)', async () => {
    const segments = await readDocx(handMadeDocx(), 'brief.docx');
    const at = await byLocation(segments);
    expect(at.body!.split('\n')).toEqual([
      'Geachte heer Jan van der Berg,',
      'Naam:\tJansen & Zn',
      'Tweede regel',
      'Behandelaar: Jan Smit',
      'Na het tekstvak',
      'mail ons',
      'Cel één',
      'Chloë IJzerman',
      '',
    ]);
    expect(at.header).toBe('Kenmerk: JvdB / Jan van der Berg\nEerste pagina');
    expect(at.footer).toBe('Behandeld door Anna Bakker, 06-41234567');
    expect(at.footnote).toBe('Zie verslag van Kees de Boer.\nEindnoot Chloë');
    expect(at.comment).toBe('Vraag dit na bij Jan van der Berg\nAkkoord');
    expect(at.textbox).toBe('Contact: Kees de Boer'); // once: the VML fallback copy is skipped
    // the paragraph as it read before the change, with the deleted text
    expect(at['tracked-change']).toBe('Behandelaar: Jan van der Berg');
  });

  it('reads authors, properties, alt texts, links, field codes and variables (hand-made XML)', async () => {
    const segments = await readDocx(handMadeDocx(), 'brief.docx');
    expect(textsAt(segments, 'metadata:comment-author')).toEqual(['Piet Jansen', 'Özlem Koç']);
    expect(textsAt(segments, 'metadata:revision-author')).toEqual(['Piet Jansen', 'Özlem Koç']);
    expect(textsAt(segments, 'metadata:author')).toEqual(['Jan van der Berg']);
    expect(textsAt(segments, 'metadata:last-modified-by')).toEqual(['Özlem Koç']);
    expect(textsAt(segments, 'metadata:title')).toEqual(['Brief aan familie']);
    expect(textsAt(segments, 'metadata:subject')).toEqual(['Zaak 2026-17']);
    expect(textsAt(segments, 'metadata:keywords')).toEqual(['jeugd; Özlem']);
    expect(textsAt(segments, 'metadata:description')).toEqual(['Opgesteld door J. van der Berg']);
    expect(textsAt(segments, 'metadata:company')).toEqual(['Jeugdzorg Voorbeeld']);
    expect(textsAt(segments, 'metadata:manager')).toEqual(['Kees de Boer']);
    expect(textsAt(segments, 'metadata:custom:Behandelaar')).toEqual(['J. van der Berg']);
    expect(textsAt(segments, 'metadata:custom:Dossiernummer')).toEqual(['4711']);
    expect(textsAt(segments, 'metadata:custom-xml')).toEqual(['Anna Bakker']);
    expect(textsAt(segments, 'metadata:person')).toEqual(['Piet Jansen']);
    expect(textsAt(segments, 'metadata:variable:Behandelaar')).toEqual(['Anna Bakker']);
    expect(textsAt(segments, 'metadata:template')).toEqual(['file:///C:\\Users\\jvdberg\\Sjablonen\\Brief Jan.dotm', 'Normal.dotm']);
    expect(textsAt(segments, 'attribute:alt')).toEqual(['Foto van Anna Bakker']);
    expect(textsAt(segments, 'attribute:title')).toEqual(['Mail Chloë']);
    expect(textsAt(segments, 'hyperlink')).toEqual(['mailto:k.deboer@example.org']);
    expect(textsAt(segments, 'field-code')).toEqual(['HYPERLINK "mailto:c.ijzerman@example.org"']);
    for (const s of segments.filter((x) => x.location.startsWith('metadata:'))) expect(s.noLines).toBe(true);
    expect(segments.find((s) => s.location === 'body')!.noLines).toBeUndefined();
    expect(readerNotes(segments)).toEqual([
      { location: 'embedded:oleObject1.bin', note: 'brief.docx: the embedded object oleObject1.bin was not scanned' },
    ]);
  });

  it('reads a document written by the docx package', async () => {
    const segments = await readDocx(await packageDocx(), 'verslag.docx');
    const at = await byLocation(segments);
    expect(at.body!.split('\n')).toEqual(expect.arrayContaining(['Geachte mevrouw Koç,', 'Wij spraken met de behandelaar.']));
    expect(at.header).toBe('Kopregel Jan van der Berg');
    expect(at.footer).toBe('Voettekst Anna Bakker');
    expect(at.footnote).toBe('Bron: gesprek met Chloë IJzerman');
    expect(at.comment).toBe('Klopt dit, Özlem?');
    expect(at.textbox).toBe('In het kader: Piet Jansen');
    expect(at['tracked-change']).toBe('Wij spraken met Jan van der Berg.');
    expect(at['metadata:comment-author']).toBe('Piet Jansen');
    expect(at['metadata:revision-author']).toBe('Kees de Boer');
    expect(at['metadata:author']).toBe('Özlem Koç');
    expect(at['metadata:last-modified-by']).toBe('Jan van der Berg');
    expect(at['metadata:title']).toBe('Verslag huisbezoek');
    expect(at['metadata:subject']).toBe('Zaak 2026-42');
    expect(at['metadata:keywords']).toBe('Chloë');
    expect(at['metadata:description']).toBe('Concept van Kees de Boer');
    expect(at['metadata:custom:Behandelaar']).toBe('Anna Bakker');
  });

  it('refuses damaged, foreign and non-Word files with one clear message', async () => {
    const good = handMadeDocx();
    await expectUsageError(readDocx(good.subarray(0, Math.floor(good.length / 2)), 'letter.docx'), /^letter\.docx is not a readable Word document: the zip archive is damaged$/u);
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    await expectUsageError(readDocx(random, 'letter.docx'), /^letter\.docx is not a readable Word document: it is not a zip archive$/u);
    const pkRandom = new Uint8Array(4096).map((_, i) => (i < 2 ? [0x50, 0x4b][i]! : (i * 31) % 256));
    await expectUsageError(readDocx(pkRandom, 'letter.docx'), /the zip archive is damaged$/u);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(100).fill(0)]);
    await expectUsageError(readDocx(ole, 'oud.docx'), /^oud\.docx is not a readable Word document: it is an old \.doc file or a password-protected document/u);
    const noWord = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') });
    await expectUsageError(readDocx(noWord, 'tabel.docx'), /^tabel\.docx is not a readable Word document: it has no word\/document\.xml/u);
  });
});

// ---------------------------------------------------------------- PDF

function pdf(build: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Uint8Array> {
  const doc = new PDFDocument({ compress: false, ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks)))));
  build(doc);
  doc.end();
  return done;
}

/** A tiny grey PNG, built by hand (the "scan" in a scanned PDF). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('read-pdf', () => {
  it('reads page text as lines, per page, with Dutch diacritics', async () => {
    const bytes = await pdf((doc) => {
      doc.text('Geachte mevrouw Koç,', 72, 72);
      doc.text('Wij spraken met Jan van der Berg over Chloë IJzerman.');
      doc.text('Naam:', 72, 200);
      doc.text('Özlem Koç', 200, 200);
      doc.addPage();
      doc.text('Tweede pagina: Anna Bakker', 72, 72);
    }, { info: { Author: 'Jan van der Berg', Title: 'Brief aan Özlem', Subject: 'Zaak 17', Keywords: 'jeugd, Chloë', Creator: 'Piet Jansen' } });
    const segments = await readPdf(bytes, 'brief.pdf');
    const at = await byLocation(segments);
    expect(at['page 1']!.split('\n')).toEqual(['Geachte mevrouw Koç,', 'Wij spraken met Jan van der Berg over Chloë IJzerman.', 'Naam: Özlem Koç']);
    expect(at['page 2']).toBe('Tweede pagina: Anna Bakker');
    expect(at['metadata:author']).toBe('Jan van der Berg');
    expect(at['metadata:title']).toBe('Brief aan Özlem');
    expect(at['metadata:subject']).toBe('Zaak 17');
    expect(at['metadata:keywords']).toBe('jeugd, Chloë');
    expect(at['metadata:creator']).toBe('Piet Jansen');
    expect(at['metadata:producer']).toBe('PDFKit');
    expect(readerNotes(segments)).toEqual([]);
    for (const s of segments.filter((x) => x.location.startsWith('metadata:'))) expect(s.noLines).toBe(true);
  });

  it('reads XMP metadata (dc:creator) where it differs from the Info dictionary', async () => {
    const original = Buffer.from(await pdf((doc) => doc.text('Hallo', 72, 72), { subset: 'PDF/A-1b', pdfVersion: '1.4', info: { Author: 'Özlem Koç' } }));
    // Rewrite the XMP copy of the author (UTF-8, same byte length) so that it differs from Info.
    const from = Buffer.from('<rdf:li>Özlem Koç</rdf:li>');
    const at = original.indexOf(from);
    expect(at).toBeGreaterThan(0);
    const patched = Buffer.concat([original.subarray(0, at), Buffer.from('<rdf:li>Anna Bakker</rdf:li>'), original.subarray(at + from.length)]);
    const segments = await readPdf(patched, 'pdfa.pdf');
    expect(textsAt(segments, 'metadata:author')).toEqual(['Özlem Koç', 'Anna Bakker']);
  });

  it('reads annotations: comments, form fields, links, bookmarks', async () => {
    const bytes = await pdf((doc) => {
      doc.text('Zie opmerking', 72, 72);
      doc.note(100, 100, 20, 20, 'Navragen bij Kees de Boer');
      doc.link(100, 200, 100, 20, 'mailto:a.bakker@example.org');
      doc.outline.addItem('Verslag Chloë IJzerman');
      doc.initForm();
      doc.formText('naam', 100, 300, 200, 20, { value: 'Özlem Koç' });
    });
    const segments = await readPdf(bytes, 'a.pdf');
    expect(textsAt(segments, 'comment')).toEqual(['Navragen bij Kees de Boer']);
    expect(textsAt(segments, 'hyperlink')).toEqual(['mailto:a.bakker@example.org']);
    expect(textsAt(segments, 'bookmark')).toEqual(['Verslag Chloë IJzerman']);
    expect(textsAt(segments, 'form-field')).toEqual(['Özlem Koç']);
  });

  it('reports a PDF without text as a note, not as clean', async () => {
    const bytes = await pdf((doc) => doc.image(png(40, 40), 72, 72, { width: 200 }), { info: { Author: 'Piet Jansen' } });
    const segments = await readPdf(bytes, 'scan.pdf');
    expect(segments.filter((s) => s.location.startsWith('page'))).toEqual([]);
    const note = segments.find((s) => s.location === 'body')!;
    expect(note).toMatchObject({ location: 'body', text: '', noLines: true });
    expect(readerNotes(segments)).toEqual([
      { location: 'body', note: 'scan.pdf has no text layer (a scanned or image-only PDF): its page could not be checked' },
    ]);
    expect(textsAt(segments, 'metadata:author')).toEqual(['Piet Jansen']); // metadata is still read
  });

  it('notes a page of images among pages with text', async () => {
    const bytes = await pdf((doc) => {
      doc.text('Brief', 72, 72);
      doc.addPage();
      doc.image(png(20, 20), 72, 72, { width: 100 });
    });
    const segments = await readPdf(bytes, 'gemengd.pdf');
    expect(readerNotes(segments)).toEqual([
      { location: 'page 2', note: 'gemengd.pdf: page 2 shows images but has no text, so it was not checked (scanned?)' },
    ]);
  });

  it('refuses corrupt PDFs with one clear message', async () => {
    await expectUsageError(readPdf(enc('%PDF-1.4\nthis is not really a pdf\n'), 'kapot.pdf'), /^kapot\.pdf is not a readable PDF: the file is damaged or not a PDF$/u);
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    await expectUsageError(readPdf(random, 'ruis.pdf'), /^ruis\.pdf is not a readable PDF: it does not start like a PDF$/u);
    const locked = await pdf((doc) => doc.text('Geheim: Jan van der Berg', 72, 72), { userPassword: 'geheim', ownerPassword: 'eigenaar' });
    await expectUsageError(readPdf(locked, 'slot.pdf'), /^slot\.pdf is not a readable PDF: it is password-protected$/u);
    const good = await pdf((doc) => doc.text('Hallo Jan van der Berg', 72, 72));
    await expectUsageError(readPdf(good.subarray(0, 400), 'half.pdf'), /^half\.pdf is not a readable PDF: /u);
  });

  it('breaks lines by baseline and puts spaces in gaps', () => {
    // One glyph per letter, 5 pt wide, 10 pt type; `gap` points between letters.
    const word = (text: string, x: number, y: number, gap = 0) =>
      [...text].map((ch, i) => ({ text: ch, x: x + i * (5 + gap), y, dx: 1, dy: 0, width: 5, size: 10 }));
    expect(layoutByPosition([...word('Jan', 0, 100), ...word('van', 20, 100), ...word('tweede', 0, 88)])).toEqual(['Jan van', 'tweede']);
    expect(layoutByPosition([...word('J', 0, 100), ...word('an', 5, 100)])).toEqual(['Jan']);
    expect(layoutByPosition([...word('Kop', 0, 110), ...word('Zelfde', 0, 100)])).toEqual(['Kop', 'Zelfde']);
  });
});

// ---------------------------------------------------------------- EML

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/.{76}/gu, '$&\r\n');
}

async function mail(): Promise<string> {
  const attachedDocx = handMadeDocx();
  const forwarded = [
    'From: Kees de Boer <k.deboer@example.org>',
    'To: Piet Jansen <p.jansen@example.org>',
    'Subject: Doorgestuurd',
    '',
    'Groet van Kees',
  ].join('\r\n');
  return [
    'Return-Path: <bounce@example.org>',
    'From: =?UTF-8?Q?=C3=96zlem_Ko=C3=A7?= <o.koc@example.org>',
    'To: "Jan van der Berg" <j.vanderberg@example.org>, anna.bakker@example.org',
    'Cc: Team Noord: Piet Jansen <p.jansen@example.org>, k.deboer@example.org;',
    'Reply-To: Chloë IJzerman <c.ijzerman@example.org>',
    'Subject: =?UTF-8?Q?Verslag_over_Chlo=C3=AB?=',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    '--mixed',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Beste J. van der Berg,=0A=0Ahierbij het verslag.',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><head><title>Verslag</title></head><body><p>Beste J&#46; van der Berg,</p><img alt="Handtekening Özlem Koç" src="cid:sig"></body></html>',
    '--alt--',
    '--mixed',
    'Content-Type: text/plain; charset=utf-8; name="notities.txt"',
    'Content-Disposition: attachment; filename="notities.txt"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(enc('Gesprek met Anna Bakker\nTel. 06-41234567\n')),
    '--mixed',
    'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="brief.docx"',
    'Content-Disposition: attachment; filename="brief.docx"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(attachedDocx),
    '--mixed',
    'Content-Type: image/jpeg; name="foto Jan.jpg"',
    'Content-Disposition: attachment; filename="foto Jan.jpg"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])),
    '--mixed',
    'Content-Type: message/rfc822',
    'Content-Disposition: attachment; filename="doorgestuurd.eml"',
    '',
    forwarded,
    '--mixed--',
    '',
  ].join('\r\n');
}

describe('read-eml', () => {
  it('reads address headers with display names, the subject and both bodies', async () => {
    const segments = await readEml(enc(await mail()), 'bericht.eml');
    const at = await byLocation(segments);
    expect(at['mail-header:from']).toBe('Özlem Koç <o.koc@example.org>');
    expect(at['mail-header:to']).toBe('Jan van der Berg <j.vanderberg@example.org>, anna.bakker@example.org');
    expect(at['mail-header:cc']).toBe('Team Noord: Piet Jansen <p.jansen@example.org>, k.deboer@example.org;');
    expect(at['mail-header:reply-to']).toBe('Chloë IJzerman <c.ijzerman@example.org>');
    expect(at['mail-header:subject']).toBe('Verslag over Chloë');
    expect(at['mail-header:return-path']).toBe('<bounce@example.org>');
    expect(at.body).toBe('Beste J. van der Berg,\n\nhierbij het verslag.\n');
    expect(at['html:body']).toContain('Beste J. van der Berg,');
    expect(at['html:attribute:alt']).toBe('Handtekening Özlem Koç');
    expect(at['html:metadata:title']).toBe('Verslag');
    for (const s of segments.filter((x) => x.location.startsWith('mail-header:'))) expect(s.noLines).toBe(true);
  });

  it('reads scannable attachments recursively and notes the others', async () => {
    const segments = await readEml(enc(await mail()), 'bericht.eml');
    const at = await byLocation(segments);
    expect(at['attachment-name']).toBe('notities.txt | brief.docx | foto Jan.jpg | doorgestuurd.eml');
    expect(at['attachment:notities.txt/body']).toBe('Gesprek met Anna Bakker\nTel. 06-41234567\n');
    expect(at['attachment:brief.docx/body']).toContain('Geachte heer Jan van der Berg,');
    expect(at['attachment:brief.docx/comment']).toBe('Vraag dit na bij Jan van der Berg\nAkkoord');
    expect(at['attachment:brief.docx/metadata:author']).toBe('Jan van der Berg');
    expect(at['attachment:brief.docx/tracked-change']).toBe('Behandelaar: Jan van der Berg');
    expect(at['attachment:doorgestuurd.eml/mail-header:from']).toBe('Kees de Boer <k.deboer@example.org>');
    expect(at['attachment:doorgestuurd.eml/body']).toBe('Groet van Kees\n');
    expect(readerNotes(segments)).toEqual([
      { location: 'attachment:brief.docx/embedded:oleObject1.bin', note: 'bericht.eml: attachment brief.docx: the embedded object oleObject1.bin was not scanned' },
      { location: 'attachment:foto Jan.jpg', note: 'bericht.eml: attachment foto Jan.jpg (image/jpeg) was not scanned: its type cannot be read' },
    ]);
  });

  it('fails the whole message on a damaged attachment of a readable type', async () => {
    const broken = (await mail()).replace(b64(handMadeDocx()), b64(handMadeDocx().subarray(0, 300)));
    await expectUsageError(readEml(enc(broken), 'bericht.eml'), /^bericht\.eml: attachment brief\.docx is not a readable Word document: the zip archive is damaged$/u);
  });

  it('refuses input without mail headers', async () => {
    await expectUsageError(readEml(enc(''), 'leeg.eml'), /^leeg\.eml is not a readable e-mail message/u);
  });

  it('reads every mailbox of every From line, and every header that is not structural (Received, X-…)', async () => {
    const raw = [
      'From: Özlem Koç <o.koc@example.org>, Jan van der Berg <j.vanderberg@example.org>',
      'From: Kees de Boer <k.deboer@example.org>',
      'To: ouders@example.org',
      'Subject: test',
      'Received: from pc-anna-bakker.example.org by mx.example.org',
      'X-Sender-Name: =?UTF-8?Q?Chlo=C3=AB_IJzerman?=',
      'Content-Type: text/plain; charset=utf-8',
      'MIME-Version: 1.0',
      '',
      'Hallo',
      '',
    ].join('\r\n');
    const segments = await readEml(enc(raw), 'meer.eml');
    const texts = (loc: string) => segments.filter((x) => x.location === loc).map((x) => x.text);
    expect(texts('mail-header:from')).toEqual(['Özlem Koç <o.koc@example.org>, Jan van der Berg <j.vanderberg@example.org>', 'Kees de Boer <k.deboer@example.org>']);
    expect(texts('mail-header:received')).toEqual(['from pc-anna-bakker.example.org by mx.example.org']);
    expect(texts('mail-header:x-sender-name')).toEqual(['Chloë IJzerman']);
    expect(texts('mail-header:content-type')).toEqual([]);
    expect(texts('mail-header:mime-version')).toEqual([]);
  });
});

// ---------------------------------------------------------------- read-file

describe('read-file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schuilnaam-readers-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams plain text in ~1 MiB chunks', async () => {
    const path = join(dir, 'groot.txt');
    const line = 'Gesprek met Özlem Koç over Chloë.\n';
    await writeFile(path, line.repeat(Math.ceil((3 * 1024 * 1024) / Buffer.byteLength(line))));
    const [segment] = await readSegments(path, 'groot.txt');
    expect(segment!.location).toBe('body');
    expect(typeof segment!.text).not.toBe('string');
    const chunks: string[] = [];
    for await (const chunk of segment!.text as AsyncIterable<string>) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1024 * 1024);
    const all = chunks.join('');
    expect(all.startsWith(line)).toBe(true);
    expect(all).not.toContain('\ufffd'); // multi-byte characters across chunk boundaries survive
  });

  it('reads a Windows-1252 text file and strips a BOM', async () => {
    const latin = join(dir, 'oud.txt');
    await writeFile(latin, Buffer.from([0xd6, 0x7a, 0x6c, 0x65, 0x6d, 0x20, 0x4b, 0x6f, 0xe7])); // Özlem Koç
    expect(await textOf((await readSegments(latin))[0]!)).toBe('Özlem Koç');
    const bom = join(dir, 'bom.md');
    await writeFile(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Chloë')]));
    expect(await textOf((await readSegments(bom))[0]!)).toBe('# Chloë');
  });

  it('chooses the reader by extension', async () => {
    const d = join(dir, 'brief.DOCX');
    await writeFile(d, handMadeDocx());
    expect(textsAt(await readSegments(d), 'metadata:author')).toEqual(['Jan van der Berg']);
    const h = join(dir, 'brief.htm');
    await writeFile(h, '<p>Anna&nbsp;Bakker</p>');
    expect(textsAt(await readSegments(h), 'body')).toEqual(['Anna\u00a0Bakker\n']);
    const e = join(dir, 'bericht.eml');
    await writeFile(e, await mail());
    expect(textsAt(await readSegments(e), 'mail-header:subject')).toEqual(['Verslag over Chloë']);
    const p = join(dir, 'brief.pdf');
    await writeFile(p, await pdf((doc) => doc.text('Anna Bakker', 72, 72)));
    expect(textsAt(await readSegments(p), 'page 1')).toEqual(['Anna Bakker']);
  });

  it('refuses unknown types, missing and empty files, and corrupt ones', async () => {
    const x = join(dir, 'lijst.xyz');
    await writeFile(x, 'Jan');
    const e = await expectUsageError(readSegments(x, 'lijst.xyz'), /^cannot scan lijst\.xyz: unknown file type \.xyz$/u);
    expect(e.hint).toMatch(/^scannable types: \.txt, .*\.docx.*\.pdf.*\.eml$/u);
    await expectUsageError(readSegments(join(dir, 'LEESMIJ')), /unknown file type \(no extension\)$/u);
    await expectUsageError(readSegments(join(dir, 'weg.txt'), 'weg.txt'), /^cannot scan weg\.txt: no such file$/u);
    await expectUsageError(readSegments(join(dir, 'weg.pdf'), 'weg.pdf'), /^cannot scan weg\.pdf: no such file$/u);
    const empty = join(dir, 'leeg.docx');
    await writeFile(empty, '');
    await expectUsageError(readSegments(empty, 'leeg.docx'), /^cannot scan leeg\.docx: the file is empty$/u);
    const truncated = join(dir, 'half.docx');
    await writeFile(truncated, handMadeDocx().subarray(0, 500));
    await expectUsageError(readSegments(truncated, 'half.docx'), /^half\.docx is not a readable Word document: the zip archive is damaged$/u);
    const random = join(dir, 'ruis.docx');
    await writeFile(random, Buffer.from(new Uint8Array(2048).map((_, i) => (i * 7919 + 13) % 251)));
    await expectUsageError(readSegments(random, 'ruis.docx'), /^ruis\.docx is not a readable Word document: it is not a zip archive$/u);
    const disguised = join(dir, 'brief.txt');
    await writeFile(disguised, handMadeDocx());
    await expectUsageError(readSegments(disguised, 'brief.txt'), /^cannot scan brief\.txt: it is not text but a zip archive/u);
    const corruptPdf = join(dir, 'kapot.pdf');
    await writeFile(corruptPdf, '%PDF-1.7\n1 0 obj garbage');
    await expectUsageError(readSegments(corruptPdf, 'kapot.pdf'), /^kapot\.pdf is not a readable PDF: /u);
  });
});

// ---------------------------------------------------------------- stdin

describe('readStdinSegments', () => {
  const stdin = (bytes: Uint8Array | string, chunk = 1000) => {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
    const parts: Buffer[] = [];
    for (let i = 0; i < b.length; i += chunk) parts.push(b.subarray(i, i + chunk));
    return Readable.from(parts);
  };

  it('sniffs PDF, docx, e-mail, HTML and text', async () => {
    const p = await readStdinSegments(stdin(await pdf((doc) => doc.text('Anna Bakker', 72, 72))));
    expect(textsAt(p, 'page 1')).toEqual(['Anna Bakker']);
    const d = await readStdinSegments(stdin(handMadeDocx()));
    expect(textsAt(d, 'metadata:author')).toEqual(['Jan van der Berg']);
    const m = await readStdinSegments(stdin(await mail()));
    expect(textsAt(m, 'mail-header:from')).toEqual(['Özlem Koç <o.koc@example.org>']);
    const h = await readStdinSegments(stdin('<!DOCTYPE html>\n<html><body><p>J&#46; de Vries</p></body></html>'));
    expect(textsAt(h, 'body')[0]).toContain('J. de Vries');
    const big = 'Beste Chloë,\n'.repeat(20_000); // > the 64 KiB sniffed
    const t = await readStdinSegments(stdin(big, 4096));
    expect(t).toHaveLength(1);
    expect(await textOf(t[0]!)).toBe(big);
  });

  it('uses a name hint with a known extension', async () => {
    const s = await readStdinSegments(stdin('From: Jan\n\nniet als mail gelezen'), 'notitie.txt');
    expect(await textOf(s[0]!)).toBe('From: Jan\n\nniet als mail gelezen');
  });

  it('refuses zips that are not Word, old Office files, binary data and empty input', async () => {
    await expectUsageError(readStdinSegments(stdin(zipSync({ 'a.txt': strToU8('Jan') }))), /^stdin is not a readable Word document: it has no word\/document\.xml/u);
    await expectUsageError(readStdinSegments(stdin(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0]))), /^cannot scan stdin: it is an old Office/u);
    await expectUsageError(readStdinSegments(stdin(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))), /^cannot scan stdin: it is binary data/u);
    await expectUsageError(readStdinSegments(stdin('')), /^cannot scan stdin: the input is empty$/u);
  });

  it('sniffKind recognises mail headers but not a letter that starts with a colon line', () => {
    expect(sniffKind(enc('Received: from x\r\n\tby y\r\nFrom: a@b.nl\r\n\r\nbody'))).toBe('eml');
    expect(sniffKind(enc('MIME-Version: 1.0\nContent-Type: text/plain\n\nhoi'))).toBe('eml');
    expect(sniffKind(enc('Onderwerp: verslag\n\nBeste Jan,'))).toBe('text');
    expect(sniffKind(enc('From: Jan\nDit is gewoon een zin zonder dubbele punt\n\nx'))).toBe('text');
    expect(sniffKind(enc('  <!-- x --><html lang="nl">'))).toBe('html');
    expect(sniffKind(enc('%PDF-1.7'))).toBe('pdf');
  });
});
