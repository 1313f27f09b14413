// Word templates: every fixture is built here, with the `docx` package or as
// hand-written WordprocessingML zipped with fflate (to split a placeholder
// over runs, add tracked changes, text boxes, people.xml, …). Names are invented.
import * as docx from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readDocx } from '../../src/formats/read-docx.js';
import { docxPlaceholders, renderDocx } from '../../src/formats/render-docx.js';
import type { TextSegment } from '../../src/formats/segments.js';

// ---------------------------------------------------------------- helpers

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const NS =
  `${W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"';
const CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A paragraph of runs: [text, run properties XML]. */
const p = (...runs: Array<string | [string, string]>) =>
  `<w:p>${runs.map((r) => (typeof r === 'string' ? [r, ''] : r)).map(([t, rPr]) => `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${t}</w:t></w:r>`).join('')}</w:p>`;

interface HandParts {
  body: string;
  header?: string;
  footer?: string;
  footnotes?: string;
  endnotes?: string;
  comments?: string;
  people?: string;
  settings?: string;
  core?: string;
  app?: string;
  custom?: string;
}

/** A minimal but complete .docx from hand-written part contents (inner XML). */
function handDocx(parts: HandParts): Uint8Array {
  const files: Record<string, string> = {};
  const overrides: Array<[string, string]> = [[`/word/document.xml`, `${CT}.document.main+xml`]];
  const docRels: Array<[string, string]> = [];
  const wordPart = (key: keyof HandParts, file: string, root: string, type: string, rel: string) => {
    const inner = parts[key];
    if (inner === undefined) return;
    files[`word/${file}`] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><${root} ${NS}>${inner}</${root}>`;
    overrides.push([`/word/${file}`, type]);
    docRels.push([rel, file]);
  };
  wordPart('header', 'header1.xml', 'w:hdr', `${CT}.header+xml`, `${REL}/header`);
  wordPart('footer', 'footer1.xml', 'w:ftr', `${CT}.footer+xml`, `${REL}/footer`);
  wordPart('footnotes', 'footnotes.xml', 'w:footnotes', `${CT}.footnotes+xml`, `${REL}/footnotes`);
  wordPart('endnotes', 'endnotes.xml', 'w:endnotes', `${CT}.endnotes+xml`, `${REL}/endnotes`);
  wordPart('comments', 'comments.xml', 'w:comments', `${CT}.comments+xml`, `${REL}/comments`);
  wordPart('people', 'people.xml', 'w15:people', `${CT}.people+xml`, 'http://schemas.microsoft.com/office/2011/relationships/people');
  wordPart('settings', 'settings.xml', 'w:settings', `${CT}.settings+xml`, `${REL}/settings`);
  const sect =
    (parts.header !== undefined ? '<w:headerReference w:type="default" r:id="rIdheader1.xml"/>' : '') +
    (parts.footer !== undefined ? '<w:footerReference w:type="default" r:id="rIdfooter1.xml"/>' : '');
  files['word/document.xml'] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>${parts.body}<w:sectPr>${sect}</w:sectPr></w:body></w:document>`;
  files['word/_rels/document.xml.rels'] =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    docRels.map(([type, target]) => `<Relationship Id="rId${target}" Type="${type}" Target="${target}"/>`).join('') +
    '</Relationships>';
  const pkgRels: Array<[string, string]> = [[`${REL}/officeDocument`, 'word/document.xml']];
  if (parts.core !== undefined) {
    files['docProps/core.xml'] =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `${parts.core}</cp:coreProperties>`;
    overrides.push(['/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml']);
    pkgRels.push(['http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml']);
  }
  if (parts.app !== undefined) {
    files['docProps/app.xml'] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">${parts.app}</Properties>`;
    overrides.push(['/docProps/app.xml', 'application/vnd.openxmlformats-officedocument.extended-properties+xml']);
    pkgRels.push([`${REL}/extended-properties`, 'docProps/app.xml']);
  }
  if (parts.custom !== undefined) {
    files['docProps/custom.xml'] =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
      `${parts.custom}</Properties>`;
    overrides.push(['/docProps/custom.xml', 'application/vnd.openxmlformats-officedocument.custom-properties+xml']);
    pkgRels.push([`${REL}/custom-properties`, 'docProps/custom.xml']);
  }
  files['_rels/.rels'] =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    pkgRels.map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`).join('') +
    '</Relationships>';
  files['[Content_Types].xml'] =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>' +
    overrides.map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`).join('') +
    '</Types>';
  const ordered = ['[Content_Types].xml', ...Object.keys(files).filter((k) => k !== '[Content_Types].xml')];
  return zipSync(Object.fromEntries(ordered.map((k) => [k, strToU8(files[k]!)])));
}

/** Unzips, lets `edit` change parts (text), zips again. */
function patch(bytes: Uint8Array, edit: (files: Record<string, string>) => void): Uint8Array {
  const raw = unzipSync(bytes);
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!k.endsWith('/')) files[k] = strFromU8(v);
  edit(files);
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
}

const parts = (bytes: Uint8Array) => Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));

const VALUES = new Map([
  ['worker.name', 'Eva Smit'],
  ['worker.formal_name', 'E. Smit'],
  ['case.reference', 'Z-2026-0042'],
  ['team.name', 'Team Noord'],
  ['team.phone', '020 123 4567'],
  ['today', '25 november 2026'],
]);
const KNOWN = new Set([...VALUES.keys(), 'team.email', 'team.address', 'locatie']);

function options(values: Map<string, string> = VALUES, extra: { title?: string } = {}) {
  return { values, isKnown: (n: string) => KNOWN.has(n) || values.has(n), author: 'Team Noord', ...extra };
}

async function segments(bytes: Uint8Array): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of (await readDocx(bytes, 'out.docx')) as TextSegment[]) {
    if (typeof s.text !== 'string') continue;
    out[s.location] = s.location in out ? `${out[s.location]} | ${s.text}` : s.text;
  }
  return out;
}

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  const err = e as UsageError;
  expect(err.exitCode).toBe(2);
  expect(err.message).not.toMatch(/\n\s+at /u);
  return err;
}

/** A letter template made with the `docx` package: body, header, footer and a footnote. */
async function libraryTemplate(): Promise<Uint8Array> {
  const doc = new docx.Document({
    creator: 'Jolanda Verbeek',
    lastModifiedBy: 'Jolanda Verbeek',
    title: 'Sjabloon brief',
    description: 'concept van Jolanda',
    keywords: 'Verbeek',
    subject: 'brief aan ouders',
    customProperties: [{ name: 'Behandelaar', value: 'Jolanda Verbeek' }],
    footnotes: { 1: { children: [new docx.Paragraph('Bel {{team.phone}} bij vragen.')] } },
    sections: [
      {
        headers: { default: new docx.Header({ children: [new docx.Paragraph('Kenmerk {{case.reference}}')] }) },
        footers: { default: new docx.Footer({ children: [new docx.Paragraph('{{team.name}}, {{today}}')] }) },
        children: [
          new docx.Paragraph({ children: [new docx.TextRun({ text: 'Geachte ouders,', font: 'Calibri' })] }),
          new docx.Paragraph({ children: [new docx.TextRun('Uw gezinsvoogd is {{worker.name}}.'), new docx.FootnoteReferenceRun(1)] }),
          new docx.Paragraph('Met vriendelijke groet, {{worker.formal_name}}'),
        ],
      },
    ],
  });
  return new Uint8Array(await docx.Packer.toBuffer(doc));
}

// ---------------------------------------------------------------- filling in

describe('renderDocx fills placeholders', () => {
  it('replaces placeholders in the body, header, footer and footnotes', async () => {
    const out = await renderDocx(await libraryTemplate(), 'brief.docx', options());
    const s = await segments(out);
    expect(s.body).toContain('Uw gezinsvoogd is Eva Smit.');
    expect(s.body).toContain('Met vriendelijke groet, E. Smit');
    expect(s.header).toBe('Kenmerk Z-2026-0042');
    expect(s.footer).toBe('Team Noord, 25 november 2026');
    expect(s.footnote).toContain('Bel 020 123 4567 bij vragen.');
    expect(JSON.stringify(s)).not.toContain('{{');
  });

  it('fills endnotes and text boxes too', async () => {
    const textbox = (t: string) =>
      `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>${p(t)}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>${p(t)}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`;
    const bytes = handDocx({
      body: p('Brief') + textbox('Kenmerk {{case.reference}}'),
      endnotes: `<w:endnote w:type="separator" w:id="-1">${p('')}</w:endnote><w:endnote w:id="1">${p('Team {{team.name}}')}</w:endnote>`,
    });
    expect(await docxPlaceholders(bytes, 't.docx')).toEqual([
      { name: 'case.reference', part: 'textbox', paragraph: 1 },
      { name: 'team.name', part: 'footnote', paragraph: 1 },
    ]);
    const out = parts(await renderDocx(bytes, 't.docx', options()));
    expect(out['word/endnotes.xml']).toContain('Team Team Noord');
    // both the modern text box and Word's VML copy of it are filled
    expect(out['word/document.xml']!.match(/Kenmerk Z-2026-0042/gu)).toHaveLength(2);
  });

  it('finds and fills a placeholder Word split over three runs, in the first run’s formatting', async () => {
    const bytes = handDocx({
      body:
        p('Aanhef') +
        p(['Beste {{wor', '<w:color w:val="C00000"/>'], ['ker.na', '<w:b/>'], ['me}}, hallo', '<w:i/>']),
    });
    expect(await docxPlaceholders(bytes, 't.docx')).toEqual([{ name: 'worker.name', part: 'body', paragraph: 2 }]);
    const out = await renderDocx(bytes, 't.docx', options());
    const xml = parts(out)['word/document.xml']!;
    expect(xml).toMatch(/<w:r><w:rPr><w:color w:val="C00000"\/><\/w:rPr><w:t xml:space="preserve">Beste Eva Smit<\/w:t><\/w:r>/u);
    expect((await segments(out)).body).toBe('Aanhef\nBeste Eva Smit, hallo');
  });

  it('accepts spaces inside the braces', async () => {
    const bytes = handDocx({ body: p('Beste {{ worker.name }} en {{  team.name}}') });
    expect((await docxPlaceholders(bytes, 't.docx')).map((x) => x.name)).toEqual(['worker.name', 'team.name']);
    expect((await segments(await renderDocx(bytes, 't.docx', options()))).body).toBe('Beste Eva Smit en Team Noord');
  });

  it('writes values as text: XML, ampersands and braces in a value stay literal', async () => {
    const values = new Map(VALUES).set('locatie', 'A & B <w:p><w:r><w:t>x</w:t></w:r></w:p> {{worker.name}}');
    const bytes = handDocx({ body: p('Locatie: {{locatie}}') });
    const out = await renderDocx(bytes, 't.docx', options(values));
    expect((await segments(out)).body).toBe('Locatie: A & B <w:p><w:r><w:t>x</w:t></w:r></w:p> {{worker.name}}');
    const xml = parts(out)['word/document.xml']!;
    expect(xml.match(/<w:p>/gu)).toHaveLength(1);
    expect(xml).toContain('A &amp; B &lt;w:p&gt;');
  });

  it('turns a multi-line value into line breaks', async () => {
    const values = new Map(VALUES).set('team.address', 'Postbus 1\r\n1000 AA Amsterdam');
    const out = await renderDocx(handDocx({ body: p('{{team.address}}') }), 't.docx', options(values));
    expect(parts(out)['word/document.xml']).toContain('<w:br/>');
    expect((await segments(out)).body).toBe('Postbus 1\n1000 AA Amsterdam');
  });
});

// ---------------------------------------------------------------- refusals

describe('renderDocx refuses', () => {
  it('reports every unknown and unfilled placeholder in one message, with where it is', async () => {
    const bytes = handDocx({
      body: p('Brief') + p('{{worker.name}}') + p('x') + p('Mail {{worker.email}}') + p('Waar: {{locatie}}'),
      header: p('{{team.address}}'),
    });
    const e = await usageError(renderDocx(bytes, 'letter.docx', options()));
    expect(e.message).toBe(
      'letter.docx: unknown placeholder {{worker.email}} in the body, paragraph 4; unfilled placeholder {{locatie}} in the body, paragraph 5; ' +
        'unfilled placeholder {{team.address}} in the header, paragraph 1',
    );
    expect(e.hint).toMatch(/--set KEY=VALUE/u);
  });

  it('names at most twenty problems and counts the rest', async () => {
    const body = Array.from({ length: 25 }, (_, i) => p(`{{onbekend${i + 1}}}`)).join('');
    const e = await usageError(renderDocx(handDocx({ body }), 't.docx', options()));
    expect(e.message).toMatch(/unknown placeholder \{\{onbekend20\}\} in the body, paragraph 20; and 5 more$/u);
    expect(e.message).not.toContain('onbekend21');
  });

  it('counts an empty or blank value as unfilled', async () => {
    const values = new Map(VALUES).set('locatie', '  ');
    const e = await usageError(renderDocx(handDocx({ body: p('{{locatie}}') }), 't.docx', options(values)));
    expect(e.message).toContain('unfilled placeholder {{locatie}} in the body, paragraph 1');
  });

  it('refuses sections, loops and raw XML: templates are logic-less', async () => {
    const loop = handDocx({ body: p('{{#kinderen}}') + p('{{naam}}') + p('{{/kinderen}}') });
    const e = await usageError(renderDocx(loop, 't.docx', options()));
    expect(e.message).toContain('{{#kinderen}} in the body, paragraph 1: templates are logic-less');
    expect(e.message).toContain('{{/kinderen}} in the body, paragraph 3');
    expect(e.hint).toMatch(/logic-less/u);

    const raw = handDocx({ body: p('{{@worker.name}}') });
    expect((await usageError(renderDocx(raw, 't.docx', options()))).message).toContain('{{@worker.name}} in the body, paragraph 1: templates are logic-less');

    for (const tag of ['{{^x}}', '{{>partial}}', '{{=<% %>=}}', '{{{worker.name}}}', '{{-w:p x}}']) {
      const err = await usageError(renderDocx(handDocx({ body: p(tag) }), 't.docx', options()));
      expect(err.message).toContain('templates are logic-less');
    }
  });

  it('reports braces that do not close, in place and without a stack trace', async () => {
    const bytes = handDocx({ body: p('Beste {{worker.name') + p('klaar }} hier') });
    const e = await usageError(renderDocx(bytes, 't.docx', options()));
    expect(e.message).toBe('t.docx: "{{worker.name" without a closing "}}" in the body, paragraph 1; "}}" without an opening "{{" in the body, paragraph 2');
  });

  it('refuses tracked changes anywhere in the text, and comments', async () => {
    const hint = 'accept or reject all changes and delete the comments in Word, then use it as a template';
    const ins = handDocx({ body: `<w:p><w:ins w:id="1" w:author="Jolanda Verbeek"><w:r><w:t>{{worker.name}}</w:t></w:r></w:ins></w:p>` });
    let e = await usageError(renderDocx(ins, 'a.docx', options()));
    expect(e.message).toBe('a.docx has tracked changes');
    expect(e.hint).toBe(hint);

    const del = handDocx({ body: p('x'), header: `<w:p><w:del w:id="2" w:author="J"><w:r><w:delText>oud</w:delText></w:r></w:del></w:p>` });
    expect((await usageError(renderDocx(del, 'b.docx', options()))).message).toBe('b.docx has tracked changes');

    const format = handDocx({ body: `<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="3" w:author="J"><w:rPr/></w:rPrChange></w:rPr><w:t>x</w:t></w:r></w:p>` });
    expect((await usageError(renderDocx(format, 'c.docx', options()))).message).toBe('c.docx has tracked changes');

    const comment = handDocx({ body: p('x'), comments: `<w:comment w:id="0" w:author="Jolanda Verbeek">${p('klopt dit?')}</w:comment>` });
    e = await usageError(renderDocx(comment, 'd.docx', options()));
    expect(e.message).toBe('d.docx has comments');
    expect(e.hint).toBe(hint);
  });

  it('refuses a damaged or foreign file with exit 2', async () => {
    const good = handDocx({ body: p('x') });
    const damaged = good.slice(0, Math.floor(good.length / 2));
    let e = await usageError(renderDocx(damaged, 'kapot.docx', options()));
    expect(e.message).toBe('kapot.docx is not a readable Word document: the zip archive is damaged');

    e = await usageError(renderDocx(new TextEncoder().encode('Beste {{worker.name}}'), 'brief.docx', options()));
    expect(e.message).toBe('brief.docx is not a readable Word document: it is not a zip archive');

    const noWord = zipSync({ 'hello.txt': strToU8('hi') });
    e = await usageError(docxPlaceholders(noWord, 'x.docx'));
    expect(e.message).toMatch(/no word\/document\.xml/u);
  });

  it('maps docxtemplater’s own errors (a tag split over paragraphs in a shape) to a usage error', async () => {
    // our walk reads w:t only; DrawingML text (a:t) is docxtemplater's
    const bytes = handDocx({ body: p('Brief') + '<w:p><w:r><w:drawing><a:p><a:r><a:t>{{worker.name</a:t></a:r></a:p></w:drawing></w:r></w:p>' });
    const e = await usageError(renderDocx(bytes, 'shape.docx', options()));
    expect(e.message).toMatch(/^shape\.docx is not a usable template: the tag beginning with "\{\{worker\.name" is unclosed \(in the body\)$/u);
  });

  it('catches unknown placeholders its own walk cannot place', async () => {
    const bytes = handDocx({ body: p('Brief') + '<w:p><w:r><w:drawing><a:p><a:r><a:t>{{geheim}}</a:t></a:r></a:p></w:drawing></w:r></w:p>' });
    const e = await usageError(renderDocx(bytes, 'shape.docx', options()));
    expect(e.message).toBe('shape.docx: unknown placeholder {{geheim}} elsewhere in the document');
  });
});

// ---------------------------------------------------------------- metadata

describe('renderDocx document properties', () => {
  it('leaves no trace of the template’s author anywhere in the file', async () => {
    const template = patch(await libraryTemplate(), (f) => {
      f['docProps/app.xml'] = f['docProps/app.xml']!.replace(
        /<Properties([^>]*)\/>/u,
        '<Properties$1><Template>Huisstijl Verbeek.dotx</Template><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity>' +
          '<Manager>Jolanda Verbeek</Manager><Company>Verbeek Consultancy</Company><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Titel</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>' +
          '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Brief Jolanda</vt:lpstr></vt:vector></TitlesOfParts><AppVersion>16.0000</AppVersion></Properties>',
      );
      f['word/people.xml'] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w15:people ${NS}><w15:person w15:author="Jolanda Verbeek"><w15:presenceInfo w15:providerId="None" w15:userId="Jolanda Verbeek"/></w15:person></w15:people>`;
      f['word/_rels/document.xml.rels'] = f['word/_rels/document.xml.rels']!.replace(
        '</Relationships>',
        '<Relationship Id="rIdPeople" Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/></Relationships>',
      );
      f['word/settings.xml'] = f['word/settings.xml']!.replace(/(<w:settings[^>]*>)/u, '$1<w:attachedTemplate r:id="rIdTpl"/>');
      f['word/_rels/settings.xml.rels'] =
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\jverbeek\\Templates\\Huisstijl%20Verbeek.dotx" TargetMode="External"/></Relationships>';
      f['docProps/thumbnail.jpeg'] = 'JFIF Jolanda Verbeek';
      f['_rels/.rels'] = f['_rels/.rels']!.replace(
        '</Relationships>',
        '<Relationship Id="rIdThumb" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
      );
      f['[Content_Types].xml'] = f['[Content_Types].xml']!.replace(
        '</Types>',
        `<Override PartName="/word/people.xml" ContentType="${CT}.people+xml"/></Types>`,
      );
    });
    const before = JSON.stringify(await segments(template));
    expect(before).toContain('Verbeek Consultancy');
    expect(before).toContain('Huisstijl%20Verbeek'.replace('%20', ' '));

    const out = await renderDocx(template, 'brief.docx', options(VALUES, { title: 'Brief Z-2026-0042' }));
    const files = parts(out);
    for (const [path, content] of Object.entries(files)) {
      expect(content, path).not.toMatch(/jolanda|verbeek/iu);
    }
    expect(Object.keys(files)).not.toContain('docProps/custom.xml');
    expect(Object.keys(files)).not.toContain('word/people.xml');
    expect(Object.keys(files)).not.toContain('docProps/thumbnail.jpeg');
    expect(files['[Content_Types].xml']).not.toMatch(/custom\.xml|people\.xml/u);
    expect(files['_rels/.rels']).not.toMatch(/custom\.xml|thumbnail/u);
    expect(files['word/_rels/document.xml.rels']).not.toContain('people.xml');
    expect(Object.keys(files)[0]).toBe('[Content_Types].xml');

    const s = await segments(out);
    expect(s['metadata:author']).toBe('Team Noord');
    expect(s['metadata:last-modified-by']).toBe('Team Noord');
    expect(s['metadata:title']).toBe('Brief Z-2026-0042');
    expect(s['metadata:company']).toBe('Team Noord');
    for (const gone of ['metadata:manager', 'metadata:description', 'metadata:keywords', 'metadata:subject', 'metadata:template', 'metadata:person']) {
      expect(s[gone], gone).toBeUndefined();
    }
    expect(Object.keys(s).filter((k) => k.startsWith('metadata:custom'))).toEqual([]);
    expect(s.body).toContain('Eva Smit');
  });

  it('never treats a title or author as a template', async () => {
    const bytes = handDocx({ body: p('{{worker.name}}'), core: '<dc:creator>X</dc:creator><dc:title>{{geheim}}</dc:title>', app: '<Company>{{x}}</Company>' });
    const out = await renderDocx(bytes, 't.docx', { ...options(), author: 'Team {{worker.name}} & Co', title: '{{case.reference}}' });
    const s = await segments(out);
    expect(s['metadata:author']).toBe('Team {{worker.name}} & Co');
    expect(s['metadata:title']).toBe('{{case.reference}}');
    expect(s['metadata:company']).toBe('Team {{worker.name}} & Co');
  });

  it('drops the template’s title when none is given', async () => {
    const bytes = handDocx({ body: p('x'), core: '<dc:title>Sjabloon</dc:title><dc:creator>X</dc:creator>' });
    const s = await segments(await renderDocx(bytes, 't.docx', options()));
    expect(s['metadata:title']).toBeUndefined();
    expect(s['metadata:author']).toBe('Team Noord');
  });
});

// ---------------------------------------------------------------- listing

describe('docxPlaceholders', () => {
  it('lists every placeholder with its part and paragraph, in order', async () => {
    const found = await docxPlaceholders(await libraryTemplate(), 'brief.docx');
    expect(found).toEqual([
      { name: 'worker.name', part: 'body', paragraph: 2 },
      { name: 'worker.formal_name', part: 'body', paragraph: 3 },
      { name: 'case.reference', part: 'header', paragraph: 1 },
      { name: 'team.name', part: 'footer', paragraph: 1 },
      { name: 'today', part: 'footer', paragraph: 1 },
      { name: 'team.phone', part: 'footnote', paragraph: 1 },
    ]);
  });

  it('does not refuse what rendering refuses, and skips deleted text', async () => {
    const bytes = handDocx({
      body: `<w:p><w:del w:id="1" w:author="J"><w:r><w:delText>{{oud}}</w:delText></w:r></w:del><w:ins w:id="2" w:author="J"><w:r><w:t>{{nieuw}}</w:t></w:r></w:ins></w:p>` + p('{{#loop}}'),
    });
    expect(await docxPlaceholders(bytes, 't.docx')).toEqual([
      { name: 'nieuw', part: 'body', paragraph: 1 },
      { name: '#loop', part: 'body', paragraph: 2 },
    ]);
  });
});
