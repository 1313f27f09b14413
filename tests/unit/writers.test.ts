// Output writers: a filled-in template (Markdown, HTML or text) becomes
// blocks, and blocks become .txt, .md, .html, .pdf or .docx. The binary
// formats are read back with the project's own readers (the same ones the
// leak scan uses) and unzipped, so what is checked is what a recipient gets.
// Names are invented.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { htmlToBlocks, markdownToBlocks, textToBlocks, type Block } from '../../src/formats/markdown.js';
import { escapeMarkdownText } from '../../src/formats/write-markdown.js';
import { readDocx } from '../../src/formats/read-docx.js';
import { readPdf } from '../../src/formats/read-pdf.js';
import type { TextSegment } from '../../src/formats/segments.js';
import {
  outputFormatOf,
  writeDocument,
  writeDocx,
  writeHtml,
  writeMarkdown,
  writePdf,
  writeText,
  type DocumentMeta,
} from '../../src/formats/write-document.js';

const NAME = 'Chloë Özdemir-Kılıç ş ğ ł';
const meta: DocumentMeta = { title: 'Uitnodiging voor een gesprek', author: 'Team Noord', language: 'nl', created: new Date('2026-11-25T09:00:00Z') };

const LETTER = `Team Noord
Postbus 1234
9700 AB Groningen

Groningen, 25 november 2026

Kenmerk: JB-2026-0042
Onderwerp: uitnodiging voor een gesprek

Geachte ouder(s)/verzorger(s),

Graag nodigen wij u uit voor een gesprek over **hoe het met Chloë gaat**. We kijken *samen* terug.

## Wat kunt u meenemen?

- het schoolrapport van ${NAME}
- uw vragen

1. We sturen een verslag.
2. U kunt reageren.

Met vriendelijke groet,

Eva Smit
Team Noord
`;

const pageText = (segments: TextSegment[]) =>
  segments
    .filter((s) => s.location.startsWith('page '))
    .map((s) => s.text as string)
    .join('\n');
const metadata = (segments: TextSegment[]) =>
  Object.fromEntries(segments.filter((s) => s.location.startsWith('metadata:')).map((s) => [s.location, s.text as string]));
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => null,
    (e: unknown) => e,
  );
}

// ---------------------------------------------------------------- Markdown → blocks

describe('markdownToBlocks', () => {
  it('reads headings with their level and inline style', async () => {
    expect(await markdownToBlocks('# Rapportage *voortgang*\n\n### Op school')).toEqual([
      { type: 'heading', level: 1, runs: [{ text: 'Rapportage ' }, { text: 'voortgang', italic: true }] },
      { type: 'heading', level: 3, runs: [{ text: 'Op school' }] },
    ]);
  });

  it('keeps bold, italic and both as separate runs', async () => {
    const [p] = await markdownToBlocks('Beste **mevrouw _De Vries_**, tot *ziens*.');
    expect(p).toEqual({
      type: 'paragraph',
      runs: [
        { text: 'Beste ' },
        { text: 'mevrouw ', bold: true },
        { text: 'De Vries', bold: true, italic: true },
        { text: ', tot ' },
        { text: 'ziens', italic: true },
        { text: '.' },
      ],
    });
  });

  it('turns a single newline into a line break, as an address block needs', async () => {
    const [p] = await markdownToBlocks('Team Noord\nPostbus 1234  \n9700 AB Groningen\\\nNederland');
    expect(p).toEqual({
      type: 'paragraph',
      runs: [
        { text: 'Team Noord' },
        { text: '\n', break: true },
        { text: 'Postbus 1234' },
        { text: '\n', break: true },
        { text: '9700 AB Groningen' },
        { text: '\n', break: true },
        { text: 'Nederland' },
      ],
    });
  });

  it('reads bulleted and numbered lists, keeping a first number other than 1', async () => {
    const blocks = await markdownToBlocks('- het **rapport**\n- uw vragen\n  en opmerkingen\n\n3. drie\n4. vier\n');
    expect(blocks).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [
          [{ text: 'het ' }, { text: 'rapport', bold: true }],
          [{ text: 'uw vragen' }, { text: '\n', break: true }, { text: 'en opmerkingen' }],
        ],
      },
      { type: 'list', ordered: true, start: 3, items: [[{ text: 'drie' }], [{ text: 'vier' }]] },
    ]);
  });

  it('keeps a nested list as prefixed lines of its item, and a loose list as a list', async () => {
    const blocks = await markdownToBlocks('1. een\n   - sub a\n   - sub b\n2. twee\n\n* los\n\n* lijstje\n');
    expect(blocks[0]).toEqual({
      type: 'list',
      ordered: true,
      items: [
        [{ text: 'een' }, { text: '\n', break: true }, { text: '– sub a' }, { text: '\n', break: true }, { text: '– sub b' }],
        [{ text: 'twee' }],
      ],
    });
    expect(blocks[1]).toEqual({ type: 'list', ordered: false, items: [[{ text: 'los' }], [{ text: 'lijstje' }]] });
  });

  it('prints raw HTML as the literal text it is, inline and as a block', async () => {
    const blocks = await markdownToBlocks('Hallo <script>alert("Jan")</script> en <b>vet</b>?\n\n<div style="display:none">verborgen</div>\n');
    expect(blocks).toEqual([
      { type: 'paragraph', runs: [{ text: 'Hallo <script>alert("Jan")</script> en <b>vet</b>?' }] },
      { type: 'paragraph', runs: [{ text: '<div style="display:none">verborgen</div>' }] },
    ]);
  });

  it('decodes character references but leaves a bare ampersand alone', async () => {
    const [p] = await markdownToBlocks('Noord &amp; Oost, caf&eacute;, &#233;&#x131;, R&notes, AT&T');
    expect(p).toEqual({ type: 'paragraph', runs: [{ text: 'Noord & Oost, café, éı, R&notes, AT&T' }] });
  });

  it('prints where a link points, since paper cannot be clicked', async () => {
    const [p] = await markdownToBlocks('Zie [onze site](https://jbnoord.example/info), mail [ons](mailto:team@jbnoord.example) of https://x.example.');
    expect(p!.type === 'paragraph' && p!.runs.map((r) => r.text).join('')).toBe(
      'Zie onze site (https://jbnoord.example/info), mail ons (team@jbnoord.example) of https://x.example.',
    );
  });

  it('reads rules, and flattens quotes, code and tables to text', async () => {
    const blocks = await markdownToBlocks('> geciteerd\n\n---\n\n    code  blok\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(blocks).toEqual([
      { type: 'paragraph', runs: [{ text: 'geciteerd' }] },
      { type: 'rule' },
      { type: 'paragraph', runs: [{ text: 'code  blok' }] },
      {
        type: 'paragraph',
        runs: [{ text: 'a', bold: true }, { text: ' | ' }, { text: 'b', bold: true }, { text: '\n', break: true }, { text: '1 | 2' }],
      },
    ]);
  });

  it('gives decomposed letters in precomposed form (NFC)', async () => {
    const [p] = await markdownToBlocks('Chloe\u0308');
    expect(p).toEqual({ type: 'paragraph', runs: [{ text: 'Chloë' }] });
  });
});

// ---------------------------------------------------------------- HTML and text → blocks

describe('htmlToBlocks', () => {
  it('reads headings, paragraphs, breaks, lists, emphasis and rules; drops script and style', async () => {
    const blocks = await htmlToBlocks(`<!DOCTYPE html><html><head><title>Brief</title><style>p { color: red }</style></head><body>
      <h2>Uitnodiging</h2>
      <p>Team Noord<br>Postbus 1234<br/>9700&nbsp;AB Groningen</p>
      <p>Beste <b>mevrouw &amp; <i>meneer</i></b>, <span>tot</span> <em>ziens</em>.</p>
      <script>var naam = "Jan Jansen";</script>
      <ul><li>een</li><li><strong>twee</strong></li></ul>
      <ol start="2"><li>b</li><li>c</li></ol>
      <hr>
      <div>losse <a href="https://x.example/a">link</a></div>
    </body></html>`);
    expect(blocks).toEqual([
      { type: 'heading', level: 2, runs: [{ text: 'Uitnodiging' }] },
      {
        type: 'paragraph',
        runs: [
          { text: 'Team Noord' },
          { text: '\n', break: true },
          { text: 'Postbus 1234' },
          { text: '\n', break: true },
          { text: '9700\u00a0AB Groningen' },
        ],
      },
      {
        type: 'paragraph',
        runs: [{ text: 'Beste ' }, { text: 'mevrouw & ', bold: true }, { text: 'meneer', bold: true, italic: true }, { text: ', tot ' }, { text: 'ziens', italic: true }, { text: '.' }],
      },
      { type: 'list', ordered: false, items: [[{ text: 'een' }], [{ text: 'twee', bold: true }]] },
      { type: 'list', ordered: true, start: 2, items: [[{ text: 'b' }], [{ text: 'c' }]] },
      { type: 'rule' },
      { type: 'paragraph', runs: [{ text: 'losse link (https://x.example/a)' }] },
    ]);
  });

  it('flattens tables and unknown elements to text, rows as lines', async () => {
    const blocks = await htmlToBlocks('<table><tr><th>Naam</th><th>Rol</th></tr><tr><td>Eva Smit</td><td>jeugdbeschermer</td></tr></table><custom-el>tekst</custom-el>');
    expect(blocks).toEqual([
      {
        type: 'paragraph',
        runs: [{ text: 'Naam', bold: true }, { text: ' | ' }, { text: 'Rol', bold: true }, { text: '\n', break: true }, { text: 'Eva Smit | jeugdbeschermer' }],
      },
      { type: 'paragraph', runs: [{ text: 'tekst' }] },
    ]);
  });

  it('keeps nested list items as lines of their item, and preformatted text line by line', async () => {
    const blocks = await htmlToBlocks('<ul><li>een<ol><li>a</li><li>b</li></ol></li><li>twee</li></ul><pre>regel 1\n  regel 2</pre>');
    expect(blocks).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [[{ text: 'een' }, { text: '\n', break: true }, { text: '1. a' }, { text: '\n', break: true }, { text: '2. b' }], [{ text: 'twee' }]],
      },
      { type: 'paragraph', runs: [{ text: 'regel 1' }, { text: '\n', break: true }, { text: 'regel 2' }] },
    ]);
  });
});

describe('textToBlocks', () => {
  it('makes a paragraph of each text between blank lines and a break of each newline', () => {
    expect(textToBlocks('Team Noord\r\nPostbus 1234\r\n\r\n  \r\nBeste ouder,\n')).toEqual([
      { type: 'paragraph', runs: [{ text: 'Team Noord' }, { text: '\n', break: true }, { text: 'Postbus 1234' }] },
      { type: 'paragraph', runs: [{ text: 'Beste ouder,' }] },
    ]);
  });
});

// ---------------------------------------------------------------- text and Markdown out

describe('writeText', () => {
  it('underlines headings, marks list items and separates blocks by a blank line', async () => {
    const text = writeText(await markdownToBlocks('# Brief\n\n## Özet\n\nTeam Noord\nPostbus 1\n\n- een\n- twee\n\n9. negen\n10. tien\n\n---\n'));
    expect(text).toBe(
      ['Brief', '=====', '', 'Özet', '----', '', 'Team Noord', 'Postbus 1', '', '- een', '- twee', '', '9.  negen', '10. tien', '', '-'.repeat(40), ''].join('\n'),
    );
  });

  it('is empty for no blocks', () => {
    expect(writeText([])).toBe('');
  });
});

describe('writeMarkdown', () => {
  it('escapes a value for a Markdown template so it stays plain text', async () => {
    const value = '1. januari *ongeveer*\n- niet als lijst <b>';
    const [p] = await markdownToBlocks(`Datum: ${escapeMarkdownText(value)}`);
    expect(p).toEqual({
      type: 'paragraph',
      runs: [{ text: 'Datum: 1. januari *ongeveer*' }, { text: '\n', break: true }, { text: '- niet als lijst <b>' }],
    });
  });

  it('escapes text so that it reads back as the same blocks', async () => {
    const blocks: Block[] = [
      { type: 'heading', level: 2, runs: [{ text: '# niet *dit*' }] },
      {
        type: 'paragraph',
        runs: [
          { text: '1. januari: 5 * 3 = _15_ <script>x</script> &amp; [a](b) `c` ~d~ \\ ' },
          { text: 'vet ', bold: true },
          { text: 'beide', bold: true, italic: true },
          { text: '\n', break: true },
          { text: '- geen lijst' },
        ],
      },
      { type: 'list', ordered: true, start: 4, items: [[{ text: 'vier' }, { text: '\n', break: true }, { text: '> regel' }], [{ text: 'vijf', italic: true }]] },
      { type: 'rule' },
    ];
    expect(await markdownToBlocks(writeMarkdown(blocks))).toEqual(blocks);
  });
});

// ---------------------------------------------------------------- HTML out

describe('writeHtml', () => {
  it('writes a complete HTML5 document with language, author and escaped text', async () => {
    const blocks = await markdownToBlocks(`# Brief aan <b>"u"</b>\n\nHallo <script>alert(1)</script> & **vet**\nregel 2\n\n3. drie`);
    const html = await writeHtml(blocks, { ...meta, title: 'Brief <1>', subject: 'Gesprek "A"' });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="nl">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Brief &lt;1&gt;</title>');
    expect(html).toContain('<meta name="author" content="Team Noord">');
    expect(html).toContain('<meta name="description" content="Gesprek &quot;A&quot;">');
    expect(html).toContain('<h1>Brief aan &lt;b&gt;&quot;u&quot;&lt;/b&gt;</h1>');
    expect(html).toContain('<p>Hallo &lt;script&gt;alert(1)&lt;/script&gt; &amp; <strong>vet</strong><br>\nregel 2</p>');
    expect(html).toContain('<ol start="3">\n<li>drie</li>\n</ol>');
    expect(html).toMatch(/@page \{ size: A4;/u);
    expect(html).not.toMatch(/<script/u);
    expect(html.endsWith('</html>\n')).toBe(true);
  });

  it('follows the language of the template', async () => {
    expect(await writeHtml([], { ...meta, language: 'en' })).toContain('<html lang="en">');
  });
});

// ---------------------------------------------------------------- PDF

describe('writePdf', () => {
  it('writes an A4 PDF whose text reads back with every diacritic', async () => {
    const pdf = await writePdf(await markdownToBlocks(LETTER), meta);
    expect(latin1(pdf.subarray(0, 5))).toBe('%PDF-');
    const segments = await readPdf(pdf, 'brief.pdf');
    const text = pageText(segments);
    expect(text).toContain(NAME);
    expect(text).toContain('Graag nodigen wij u uit voor een gesprek over hoe het met Chloë');
    expect(text).toContain('Team Noord\nPostbus 1234\n9700 AB Groningen');
    expect(text).toContain(`• het schoolrapport van ${NAME}\n`);
    expect(text).toMatch(/1\. ?We sturen een verslag\./u);
    expect(latin1(pdf)).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/u);
    // Embedded, so the diacritics above are the font's own glyphs, not a viewer's substitute.
    expect(latin1(pdf)).toMatch(/\/FontFile2/u);
    expect(latin1(pdf)).toMatch(/\+DejaVuSerif-Bold\b/u);
  });

  it('names the team and schuilnaam in its metadata, and nobody else', async () => {
    const pdf = await writePdf(await markdownToBlocks(LETTER), { ...meta, subject: 'Uitnodiging' });
    const segments = await readPdf(pdf, 'brief.pdf');
    expect(metadata(segments)).toEqual({
      'metadata:author': 'Team Noord',
      'metadata:creator': 'schuilnaam',
      'metadata:producer': 'schuilnaam',
      'metadata:title': 'Uitnodiging voor een gesprek',
      'metadata:subject': 'Uitnodiging',
    });
    // No XMP stream (pdfkit writes one from PDF 1.4 on), and no pdfkit default.
    expect(latin1(pdf)).not.toMatch(/xmpmeta|\/Metadata|PDFKit/u);
    expect(segments.some((s) => s.location.startsWith('metadata:xmp'))).toBe(false);
  });

  it('is byte-for-byte the same for the same input and date', async () => {
    const blocks = await markdownToBlocks(LETTER);
    expect(Buffer.from(await writePdf(blocks, meta)).equals(Buffer.from(await writePdf(blocks, meta)))).toBe(true);
  });

  it('numbers the pages of a longer letter, in its language', async () => {
    const paragraph = 'Dit is een lange alinea over de voortgang van de afspraken en wat er de komende tijd gaat gebeuren. '.repeat(8);
    const blocks = await markdownToBlocks(Array.from({ length: 12 }, (_, i) => `## Deel ${i + 1}\n\n${paragraph}`).join('\n\n'));
    const segments = await readPdf(await writePdf(blocks, meta), 'lang.pdf');
    const pages = segments.filter((s) => s.location.startsWith('page '));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => {
      const lines = (p.text as string).split('\n').filter((l) => l !== '');
      expect(lines[lines.length - 1]).toBe(`Pagina ${i + 1} van ${pages.length}`);
      // A heading is never the last line of a page: it stays with its text.
      expect(lines[lines.length - 2]).not.toMatch(/^Deel \d+$/u);
    });
    const en = await readPdf(await writePdf(blocks, { ...meta, language: 'en' }), 'long.pdf');
    expect(pageText(en)).toContain(`Page 1 of ${pages.length}`);
  });

  it('leaves page numbers off a one-page letter', async () => {
    const segments = await readPdf(await writePdf(await markdownToBlocks('Kort briefje.'), meta), 'kort.pdf');
    expect(pageText(segments)).toBe('Kort briefje.');
  });

  it('breaks a word longer than the line instead of running off the page', async () => {
    const url = `https://jbnoord.example/${'a'.repeat(150)}`;
    const segments = await readPdf(await writePdf([{ type: 'paragraph', runs: [{ text: url }] }], meta), 'url.pdf');
    expect(pageText(segments).replace(/\n/gu, '')).toBe(url);
    // In a list item the line is narrower by the indent; the pieces still fit it.
    const inList = await readPdf(await writePdf([{ type: 'list', ordered: false, items: [[{ text: url }]] }], meta), 'url.pdf');
    const lines = pageText(inList).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('').replace(/^• ?/u, '')).toBe(url);
  });

  it('refuses a character the font cannot print rather than printing a box', async () => {
    const e = await rejection(writePdf([{ type: 'paragraph', runs: [{ text: 'Naam: 山田 太郎' }] }], meta));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toMatch(/cannot print the character "山" \(U\+5C71\)/u);
  });
});

// ---------------------------------------------------------------- DOCX

describe('writeDocx', () => {
  async function docxParts(blocks: Block[], m: DocumentMeta = meta) {
    const bytes = await writeDocx(blocks, m);
    const files = unzipSync(bytes);
    return { bytes, core: strFromU8(files['docProps/core.xml']!), body: strFromU8(files['word/document.xml']!), numbering: strFromU8(files['word/numbering.xml']!) };
  }

  it('names the team as creator and last editor, and sets the title', async () => {
    const { core } = await docxParts(await markdownToBlocks(LETTER));
    expect(core).toContain('<dc:creator>Team Noord</dc:creator>');
    expect(core).toContain('<cp:lastModifiedBy>Team Noord</cp:lastModifiedBy>');
    expect(core).toContain('<dc:title>Uitnodiging voor een gesprek</dc:title>');
    expect(core).not.toMatch(/Un-named|<cp:keywords|<dc:description|<dc:subject/u);
  });

  it('writes the text with bold, italic, breaks, headings and lists on an A4 page', async () => {
    const { body, numbering } = await docxParts(await markdownToBlocks(LETTER));
    expect(body).toContain(NAME);
    expect(body).toMatch(/<w:r><w:rPr><w:b\/><w:bCs\/><\/w:rPr><w:t xml:space="preserve">hoe het met Chloë gaat<\/w:t>/u);
    expect(body).toMatch(/<w:i\/>.*?samen/u);
    expect(body).toMatch(/<w:br\/><w:t xml:space="preserve">Postbus 1234<\/w:t>/u);
    expect(body).toContain('<w:pStyle w:val="Heading2"/>');
    expect(body.match(/<w:numPr>/gu)).toHaveLength(4);
    expect(body).toMatch(/<w:pgSz w:w="11906" w:h="16838"/u);
    expect(numbering).toContain('<w:numFmt w:val="bullet"/>');
    expect(numbering).toContain('<w:numFmt w:val="decimal"/>');
  });

  it('reads back with the project reader: body lines and only the team in metadata', async () => {
    const { bytes } = await docxParts(await markdownToBlocks(LETTER), { ...meta, subject: 'Gesprek' });
    const segments = await readDocx(bytes, 'brief.docx');
    const body = segments.find((s) => s.location === 'body')!.text as string;
    expect(body.split('\n').slice(0, 3)).toEqual(['Team Noord', 'Postbus 1234', '9700 AB Groningen']);
    expect(body).toContain('\nGraag nodigen wij u uit voor een gesprek over hoe het met Chloë gaat. We kijken samen terug.\n');
    expect(body).toContain(`\nhet schoolrapport van ${NAME}\n`);
    expect(metadata(segments)).toEqual({
      'metadata:author': 'Team Noord',
      'metadata:last-modified-by': 'Team Noord',
      'metadata:title': 'Uitnodiging voor een gesprek',
      'metadata:subject': 'Gesprek',
      'metadata:description': 'Gesprek',
    });
  });

  it('leaves out control characters, which Word would refuse in its XML', async () => {
    const bytes = await writeDocx([{ type: 'paragraph', runs: [{ text: 'Bel\u0007 ons\u000b op' }] }], meta);
    const segments = await readDocx(bytes, 'brief.docx');
    expect(segments.find((s) => s.location === 'body')!.text).toBe('Bel ons op');
  });

  it('starts each numbered list afresh, at its own first number', async () => {
    const { body, numbering } = await docxParts(await markdownToBlocks('1. a\n2. b\n\nTussendoor.\n\n1. c\n\nEn:\n\n5. e\n'));
    const numIds = [...body.matchAll(/<w:numId w:val="(\d+)"\/>/gu)].map((m) => m[1]);
    expect(numIds).toHaveLength(4);
    expect(new Set([numIds[0], numIds[1]]).size).toBe(1);
    expect(new Set([numIds[0], numIds[2], numIds[3]]).size).toBe(3);
    expect(numbering).toContain('<w:start w:val="5"/>');
  });
});

// ---------------------------------------------------------------- choosing the format

describe('writeDocument', () => {
  it('takes the format from the extension of --out', () => {
    expect(outputFormatOf('brief.PDF')).toBe('pdf');
    expect(outputFormatOf('/tmp/x/brief.docx')).toBe('docx');
    expect(outputFormatOf('brief.htm')).toBe('html');
    expect(outputFormatOf('brief.md')).toBe('md');
    expect(outputFormatOf('brief.txt')).toBe('txt');
    expect(outputFormatOf('brief.doc')).toBeNull();
    expect(outputFormatOf('brief')).toBeNull();
  });

  it('returns every format as bytes', async () => {
    const blocks = await markdownToBlocks('# Brief\n\nHallo Chloë.');
    expect(new TextDecoder().decode(await writeDocument(blocks, meta, 'txt'))).toBe('Brief\n=====\n\nHallo Chloë.\n');
    expect(new TextDecoder().decode(await writeDocument(blocks, meta, 'md'))).toBe('# Brief\n\nHallo Chloë.\n');
    expect(new TextDecoder().decode(await writeDocument(blocks, meta, 'html'))).toContain('<p>Hallo Chloë.</p>');
    expect(latin1((await writeDocument(blocks, meta, 'pdf')).subarray(0, 5))).toBe('%PDF-');
    expect(latin1((await writeDocument(blocks, meta, 'docx')).subarray(0, 2))).toBe('PK');
  });
});
