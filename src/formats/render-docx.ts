// Filling a Word (.docx) letter template: the organisation's house style stays
// as it is and only {{placeholders}} are replaced. docxtemplater does the
// replacing (it finds a placeholder that Word split over runs with different
// formatting and writes the value into the first run, so that run's
// formatting is kept); everything around it is ours:
//
// - Templates are logic-less. docxtemplater's loop and raw-XML modules are
//   left out altogether, so {{#x}}, {{/x}}, {{^x}}, {{@x}} are plain tags that
//   we refuse, and a value is always escaped text: it can never inject XML.
// - All problems (unknown, unfilled, logic-less, unbalanced braces) are
//   collected first from our own walk of the parts, with the part and
//   paragraph where they sit, and reported in one error; docxtemplater's own
//   lookups are a second net for tags our walk cannot place (shapes, fields).
// - Templates with tracked changes or comments are refused: which version of
//   the text is meant, and whether a comment may go out, is the author's call.
// - Document properties name people (author, last editor, company, custom
//   properties, the people.xml list of reviewers), so they are rewritten
//   rather than templated; see `cleanMetadata`.
//
// Parts and paragraph numbers follow readDocx (body, header, footer,
// footnote, textbox; paragraphs counted over all headers in order, foot- and
// endnotes together), so a template error and a leak finding in the same
// place name it the same way. A line break inside a paragraph does not start
// a new paragraph here.
import type { Parser as HtmlParser } from 'htmlparser2';
import type Docxtemplater from 'docxtemplater';
import type PizZip from 'pizzip';
import { UsageError } from '../errors.js';

export interface DocxPlaceholder {
  /** What stands between the braces, trimmed: `worker.name`. */
  name: string;
  /** Where it sits, as readDocx names it: body, header, footer, footnote, textbox. */
  part: string;
  /** 1-based paragraph number within the part: the "line". */
  paragraph: number;
}

export interface RenderDocxOptions {
  /** Everything that may be filled in, by placeholder name. */
  values: ReadonlyMap<string, string>;
  /** False → "unknown placeholder". */
  isKnown: (placeholder: string) => boolean;
  /** The team or organisation: the document's author from now on. */
  author: string;
  title?: string;
}

/** Largest total unpacked size; a letter template is far smaller. */
const MAX_UNPACKED = 256 * 1024 * 1024;

const REVISION_HINT = 'accept or reject all changes and delete the comments in Word, then use it as a template';

class TooLarge extends Error {}

type Files = Record<string, Uint8Array>;

async function unpack(bytes: Uint8Array, name: string): Promise<Files> {
  const fail = (reason: string) => new UsageError(`${name} is not a readable Word document: ${reason}`, 'save it in Word as a .docx document and try again');
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw fail('it is an old .doc file or a password-protected document, not a .docx');
  }
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw fail('it is not a zip archive');
  const { unzipSync } = await import('fflate');
  let files: Files;
  try {
    let total = 0;
    files = unzipSync(bytes, {
      filter(file) {
        total += file.originalSize;
        if (total > MAX_UNPACKED) throw new TooLarge();
        return !file.name.endsWith('/');
      },
    });
  } catch (e) {
    if (e instanceof TooLarge) throw fail(`its parts unpack to more than ${MAX_UNPACKED / 1024 / 1024} MiB`);
    throw fail('the zip archive is damaged');
  }
  if (!files['word/document.xml']) throw fail('it has no word/document.xml, so it is not a Word document');
  if (!files['[Content_Types].xml']) throw fail('it has no [Content_Types].xml');
  return files;
}

const text = (data: Uint8Array) => new TextDecoder('utf-8').decode(data);
const utf8 = (s: string) => new TextEncoder().encode(s);

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/* ------------------------------------------------------------------ parts */

/** Header, footer parts in readDocx's order: header1, header2, …, header10. */
function numbered(names: string[], pattern: RegExp): string[] {
  const num = (n: string) => Number(pattern.exec(n)?.[1] || 0);
  return names.filter((n) => pattern.test(n)).sort((a, b) => num(a) - num(b) || a.localeCompare(b));
}

/** The parts a reader sees as text, with readDocx's location for each. */
function textParts(files: Files): Array<[path: string, part: string]> {
  const names = Object.keys(files);
  return [
    ['word/document.xml', 'body'],
    ...numbered(names, /^word\/header(\d*)\.xml$/u).map((p): [string, string] => [p, 'header']),
    ...numbered(names, /^word\/footer(\d*)\.xml$/u).map((p): [string, string] => [p, 'footer']),
    ...['word/footnotes.xml', 'word/endnotes.xml'].filter((p) => files[p]).map((p): [string, string] => [p, 'footnote']),
  ];
}

/* ------------------------------------------------------------ revisions */

// Word marks every tracked change with an author; formatting changes
// (w:rPrChange, …) carry one too, so any w:author outside the comment and
// people parts is a revision.
const REVISION_ELEMENT = /<w:(ins|del|moveFrom|moveTo)\b/u;
const AUTHOR_ATTRIBUTE = /\sw:author\s*=/u;

function refuseRevisions(files: Files, name: string): void {
  let changes = false;
  for (const [path, data] of Object.entries(files)) {
    if (!/^word\/[^/]+\.xml$/u.test(path) || /^word\/(comments\w*|people)\.xml$/u.test(path)) continue;
    const xml = text(data);
    if (REVISION_ELEMENT.test(xml) || AUTHOR_ATTRIBUTE.test(xml)) changes = true;
  }
  const comments = files['word/comments.xml'] ? /<w:comment\b/u.test(text(files['word/comments.xml'])) : false;
  if (!changes && !comments) return;
  const what = changes && comments ? 'tracked changes and comments' : changes ? 'tracked changes' : 'comments';
  throw new UsageError(`${name} has ${what}`, REVISION_HINT);
}

/* ----------------------------------------------------------- placeholders */

type Tag =
  | { kind: 'tag'; inner: string }
  | { kind: 'unclosed'; excerpt: string }
  | { kind: 'unopened' };

/**
 * The tags of one paragraph's text, the way docxtemplater's lexer pairs
 * delimiters: left to right, without overlap, so "{{{x}}}" is the tag "{x".
 */
function tagsOf(paragraph: string): Tag[] {
  const delimiters: Array<{ at: number; open: boolean }> = [];
  for (const m of paragraph.matchAll(/\{\{|\}\}/gu)) delimiters.push({ at: m.index, open: m[0] === '{{' });
  const tags: Tag[] = [];
  for (let i = 0; i < delimiters.length; i++) {
    const d = delimiters[i]!;
    const next = delimiters[i + 1];
    if (!d.open) tags.push({ kind: 'unopened' });
    else if (next && !next.open) {
      tags.push({ kind: 'tag', inner: paragraph.slice(d.at + 2, next.at) });
      i++;
    } else tags.push({ kind: 'unclosed', excerpt: paragraph.slice(d.at, (next?.at ?? paragraph.length)).slice(0, 24).trimEnd() });
  }
  return tags;
}

interface Found {
  tag: Tag;
  part: string;
  paragraph: number;
}

type ParserClass = typeof HtmlParser;

/**
 * The tags in every paragraph of one part. Walks like readDocx: text of
 * w:t only, deleted text left out, mc:Fallback (the VML copy of a text box)
 * and footnote separators skipped, text-box paragraphs counted apart.
 */
function walkPart(Parser: ParserClass, xml: string, part: string, counters: Map<string, number>, out: Found[]): void {
  const paragraphs: Array<{ part: string; text: string }> = [];
  let skip = 0;
  let deleted = 0;
  let textbox = 0;
  let inText = false;
  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (skip > 0 || tag === 'mc:Fallback' || ((tag === 'w:footnote' || tag === 'w:endnote') && attrs['w:type'])) {
          skip++;
          return;
        }
        if (tag === 'w:p') paragraphs.push({ part: textbox > 0 ? 'textbox' : part, text: '' });
        else if (tag === 'w:del' || tag === 'w:moveFrom') deleted++;
        else if (tag === 'w:txbxContent') textbox++;
        else if (tag === 'w:t') inText = true;
      },
      ontext(t) {
        const p = paragraphs[paragraphs.length - 1];
        if (skip === 0 && inText && deleted === 0 && p) p.text += t;
      },
      onclosetag(tag) {
        if (skip > 0) {
          skip--;
          return;
        }
        if (tag === 'w:t') inText = false;
        else if (tag === 'w:del' || tag === 'w:moveFrom') deleted = Math.max(0, deleted - 1);
        else if (tag === 'w:txbxContent') textbox = Math.max(0, textbox - 1);
        else if (tag === 'w:p') {
          const p = paragraphs.pop();
          if (!p) return;
          const n = (counters.get(p.part) ?? 0) + 1;
          counters.set(p.part, n);
          for (const tag of tagsOf(p.text)) out.push({ tag, part: p.part, paragraph: n });
        }
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeCDATA: true },
  );
  parser.end(xml);
}

async function findTags(files: Files, name: string): Promise<Found[]> {
  const { Parser } = await import('htmlparser2');
  const out: Found[] = [];
  const counters = new Map<string, number>();
  for (const [path, part] of textParts(files)) {
    try {
      walkPart(Parser, text(files[path]!), part, counters, out);
    } catch (e) {
      throw new UsageError(`${name} is not a readable Word document: ${path} could not be read (${(e as Error).message.toLowerCase()})`);
    }
  }
  return out;
}

/** Every {{placeholder}} of the body, headers, footers, foot- and endnotes and text boxes, in order; malformed braces are left out. */
export async function docxPlaceholders(bytes: Uint8Array, name: string): Promise<DocxPlaceholder[]> {
  const files = await unpack(bytes, name);
  const found = await findTags(files, name);
  return found.flatMap((f) => (f.tag.kind === 'tag' ? [{ name: f.tag.inner.trim(), part: f.part, paragraph: f.paragraph }] : []));
}

/* --------------------------------------------------------------- checking */

// First characters that mean a section, loop, partial, raw XML, comment or
// delimiter change in Mustache or docxtemplater.
const LOGIC = /^[#/^>@=\-!&{}~%$]/u;

const WHERE: Record<string, string> = {
  body: 'the body',
  header: 'the header',
  footer: 'the footer',
  footnote: 'the footnotes',
  textbox: 'a text box',
};

const where = (f: Found) => `in ${WHERE[f.part] ?? f.part}, paragraph ${f.paragraph}`;

type Problem = 'logic' | 'unknown' | 'unfilled' | 'syntax';

function filled(values: ReadonlyMap<string, string>, key: string): boolean {
  const v = values.get(key);
  return v !== undefined && v.trim() !== '';
}

/** What is wrong with one tag name, if anything. */
function judge(inner: string, options: RenderDocxOptions): Problem | null {
  const key = inner.trim();
  if (LOGIC.test(key)) return 'logic';
  if (!options.isKnown(key)) return 'unknown';
  if (!filled(options.values, key)) return 'unfilled';
  return null;
}

function describe(f: Found, problem: Problem): string {
  const { tag } = f;
  if (tag.kind === 'unopened') return `"}}" without an opening "{{" ${where(f)}`;
  if (tag.kind === 'unclosed') return `"${tag.excerpt}" without a closing "}}" ${where(f)}`;
  const key = tag.inner.trim();
  if (problem === 'logic') return `{{${key}}} ${where(f)}: templates are logic-less`;
  return `${problem} placeholder {{${key}}} ${where(f)}`;
}

const HINTS: Record<Problem, string> = {
  logic: 'templates are logic-less: use only plain {{name}} placeholders, no sections, loops or raw XML',
  unknown: 'correct the placeholder in Word; a template sees only case-facing data and keys given with --set KEY=VALUE',
  unfilled: 'give it a value (--set KEY=VALUE, or the team details with `team set`) or remove it from the template',
  syntax: 'every placeholder opens with {{ and closes with }} in the same paragraph',
};

/** Problems named in one message; a template full of them needs fixing first, not a list of hundreds. */
const MAX_LISTED = 20;

function problemError(name: string, problems: Array<[Problem, string]>): UsageError {
  const kinds = [...new Set(problems.map(([kind]) => kind))];
  const listed = problems.slice(0, MAX_LISTED).map(([, text]) => text);
  if (problems.length > MAX_LISTED) listed.push(`and ${problems.length - MAX_LISTED} more`);
  return new UsageError(`${name}: ${listed.join('; ')}`, kinds.map((k) => HINTS[k]).join('; '));
}

function check(found: Found[], name: string, options: RenderDocxOptions): void {
  const problems: Array<[Problem, string]> = [];
  for (const f of found) {
    const problem = f.tag.kind === 'tag' ? judge(f.tag.inner, options) : 'syntax';
    if (problem) problems.push([problem, describe(f, problem)]);
  }
  if (problems.length > 0) throw problemError(name, problems);
}

/* --------------------------------------------------------------- metadata */

const CONTENT_TYPES = '[Content_Types].xml';

/** Where a relationship's Target points, as a path in the zip. */
function resolveTarget(relsPath: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const base = relsPath.replace(/_rels\/[^/]*\.rels$/u, '').split('/').filter(Boolean);
  for (const seg of target.split('/')) {
    if (seg === '..') base.pop();
    else if (seg !== '.' && seg !== '') base.push(seg);
  }
  return base.join('/');
}

const RELATIONSHIP = /<Relationship\b[^>]*?(?:\/>|>\s*<\/Relationship>)/gu;
const attribute = (element: string, attr: string) => new RegExp(`\\s${attr}\\s*=\\s*"([^"]*)"`, 'u').exec(element)?.[1];

/** Removes relationships from a .rels part; returns the targets of those removed. */
function dropRelationships(files: Files, relsPath: string, drop: (type: string, target: string) => boolean): string[] {
  const data = files[relsPath];
  if (!data) return [];
  const removed: string[] = [];
  const xml = text(data).replace(RELATIONSHIP, (element) => {
    const type = attribute(element, 'Type') ?? '';
    const target = attribute(element, 'Target') ?? '';
    const external = attribute(element, 'TargetMode') === 'External';
    if (!drop(type, external ? target : resolveTarget(relsPath, target))) return element;
    removed.push(target);
    return '';
  });
  files[relsPath] = utf8(xml);
  return removed;
}

/** Removes a part with the relationship that points at it and its content type. */
function dropPart(files: Files, path: string, relsPath: string): void {
  if (!files[path]) return;
  delete files[path];
  dropRelationships(files, relsPath, (_, target) => target === path);
  const ct = text(files[CONTENT_TYPES]!).replace(/<Override\b[^>]*?(?:\/>|>\s*<\/Override>)/gu, (element) =>
    attribute(element, 'PartName')?.replace(/^\//u, '') === path ? '' : element,
  );
  files[CONTENT_TYPES] = utf8(ct);
}

/** The text of the first element called `tag` in a small properties part. */
function element(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'u').exec(xml)?.[1];
}

function coreXml(author: string, title: string | undefined): string {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/u, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    (title ? `<dc:title>${escapeXml(title)}</dc:title>` : '') +
    `<dc:creator>${escapeXml(author)}</dc:creator><cp:lastModifiedBy>${escapeXml(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${now}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${now}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

function appXml(old: string, author: string): string {
  // Only what says nothing about people is carried over; counts (pages,
  // words) would be stale after filling in anyway, and Word recomputes them.
  const application = element(old, 'Application');
  const version = element(old, 'AppVersion');
  const security = element(old, 'DocSecurity');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
    (application && application.length <= 100 ? `<Application>${application}</Application>` : '') +
    (security && /^\d+$/u.test(security) ? `<DocSecurity>${security}</DocSecurity>` : '') +
    `<Company>${escapeXml(author)}</Company>` +
    (version && /^\d{1,2}\.\d{4}$/u.test(version) ? `<AppVersion>${version}</AppVersion>` : '') +
    '</Properties>'
  );
}

/**
 * Rewrites what names people outside the text, in `files`:
 * - docProps/core.xml is written anew: creator and last editor are the
 *   author, the title is options.title (or none); subject, keywords,
 *   description, category and status, often personal, are gone.
 * - docProps/app.xml keeps only the application and its version; Company is
 *   the author, Manager, Template, HyperlinkBase and the titles are gone.
 * - docProps/custom.xml (custom properties: often a case worker or a case)
 *   and word/people.xml (everyone who commented or changed the template) are
 *   removed with their relationships and content types.
 * - The thumbnail is removed: it shows whatever was saved last, maybe a real
 *   letter, and nothing can scan a picture.
 * - Building blocks (word/glossary/: AutoText, Quick Parts) are removed.
 * - The attached template is unlinked: its path usually runs through a
 *   user's profile folder (C:\Users\name\…).
 * w:rsid revision ids stay: random numbers that name no one.
 * Returns the new core and app parts, which are added after rendering so
 * that docxtemplater never treats a title or author as a template.
 */
function cleanMetadata(files: Files, options: RenderDocxOptions): Files {
  const props: Files = {};
  if (files['docProps/core.xml']) props['docProps/core.xml'] = utf8(coreXml(options.author, options.title));
  if (files['docProps/app.xml']) props['docProps/app.xml'] = utf8(appXml(text(files['docProps/app.xml']), options.author));
  delete files['docProps/core.xml'];
  delete files['docProps/app.xml'];

  dropPart(files, 'docProps/custom.xml', '_rels/.rels');
  dropPart(files, 'word/people.xml', 'word/_rels/document.xml.rels');
  // Building blocks (AutoText, Quick Parts) travel with a template: a
  // colleague's saved signature must not go out with the letter.
  if (Object.keys(files).some((f) => f.startsWith('word/glossary/'))) {
    for (const f of Object.keys(files)) if (f.startsWith('word/glossary/')) delete files[f];
    dropRelationships(files, 'word/_rels/document.xml.rels', (type, target) => type.endsWith('/glossaryDocument') || target.replace(/^\/?(word\/)?/u, '').startsWith('glossary/'));
    const ct = text(files[CONTENT_TYPES]!).replace(/<Override\b[^>]*?(?:\/>|>\s*<\/Override>)/gu, (e) => (attribute(e, 'PartName')?.startsWith('/word/glossary/') ? '' : e));
    files[CONTENT_TYPES] = utf8(ct);
  }
  for (const target of dropRelationships(files, '_rels/.rels', (type) => type.endsWith('/thumbnail'))) {
    const path = resolveTarget('_rels/.rels', target);
    delete files[path];
  }
  const templates = dropRelationships(files, 'word/_rels/settings.xml.rels', (type) => type.endsWith('/attachedTemplate'));
  if (templates.length > 0 && files['word/settings.xml']) {
    files['word/settings.xml'] = utf8(text(files['word/settings.xml']).replace(/<w:attachedTemplate\b[^>]*?(?:\/>|>\s*<\/w:attachedTemplate>)/gu, ''));
  }
  return props;
}

/* -------------------------------------------------------------- rendering */

type Templater = Docxtemplater<PizZip>;

const ENDNOTES = 'application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml';

/** docxtemplater's errors: a MultiError holds the others in properties.errors. */
interface TemplaterError {
  message?: string;
  properties?: { id?: string; explanation?: string; file?: string; errors?: TemplaterError[] };
}

function partLabel(path: string | undefined): string {
  if (!path) return '';
  if (path === 'word/document.xml') return ' (in the body)';
  if (/^word\/header\d*\.xml$/u.test(path)) return ' (in a header)';
  if (/^word\/footer\d*\.xml$/u.test(path)) return ' (in a footer)';
  if (/^word\/(foot|end)notes\.xml$/u.test(path)) return ' (in the notes)';
  return ` (in ${path})`;
}

function templaterError(e: unknown, name: string): UsageError | null {
  const err = e as TemplaterError;
  if (!err || typeof err !== 'object' || !err.properties?.id) return null;
  const all = err.properties.errors?.length ? err.properties.errors : [err];
  const reasons = all.map((x) => {
    const reason = (x.properties?.explanation ?? x.message ?? 'unknown error').replace(/\.$/u, '');
    return reason.charAt(0).toLowerCase() + reason.slice(1) + partLabel(x.properties?.file);
  });
  return new UsageError(
    `${name} is not a usable template: ${[...new Set(reasons)].join('; ')}`,
    'open and save it in Word, and check that every placeholder opens with {{ and closes with }} in the same paragraph',
  );
}

/**
 * Lets docxtemplater fill foot- and endnotes alike: it templates footnotes
 * of itself but not endnotes.
 */
function endnotesModule() {
  return {
    name: 'SchuilnaamEndnotes',
    getFileType({ doc }: { doc: { invertedContentTypes?: Record<string, string[]>; targets: string[] } }) {
      for (const target of doc.invertedContentTypes?.[ENDNOTES] ?? []) if (!doc.targets.includes(target)) doc.targets.push(target);
      return undefined;
    },
  };
}

async function fill(files: Files, name: string, options: RenderDocxOptions): Promise<Templater> {
  const { default: Zip } = await import('pizzip');
  const { default: Templater } = await import('docxtemplater');
  const zip = new Zip();
  for (const [path, data] of Object.entries(files)) zip.file(path, data);

  // The second net: anything docxtemplater finds that our walk did not
  // place (a tag in a shape's DrawingML text, an equation, a setting).
  const late: Array<[Problem, string]> = [];
  const value = (tag: string): string | undefined => {
    const key = tag.trim();
    const problem = judge(tag, options);
    if (problem) {
      late.push([problem, problem === 'logic' ? `{{${key}}} elsewhere in the document: templates are logic-less` : `${problem} placeholder {{${key}}} elsewhere in the document`]);
      return undefined;
    }
    // \r would end up as a stray character: a line break is \n only.
    return options.values.get(key)!.replace(/\r\n?/gu, '\n');
  };

  // FileTypeConfig is public (docxtemplater.com/docs/configuration) but not in its typings.
  const docx = (Templater as unknown as { FileTypeConfig: { docx: () => { baseModules: Array<() => { name: string }> } } }).FileTypeConfig.docx();
  const logicModules = new Set(['LoopModule', 'RawXmlModule']);
  const baseModules = docx.baseModules.filter((make) => !logicModules.has(make().name));
  let doc: Templater;
  try {
    doc = new Templater(zip, {
      delimiters: { start: '{{', end: '}}' },
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false,
      stripInvalidXMLChars: true,
      syntax: { changeDelimiterPrefix: null },
      fileTypeConfig: { ...docx, baseModules },
      modules: [endnotesModule()],
      parser: (tag: string) => ({ get: () => value(tag) }),
      nullGetter: () => '',
    });
    doc.render({});
  } catch (e) {
    throw templaterError(e, name) ?? e;
  }
  if (late.length > 0) throw problemError(name, late);
  return doc;
}

/**
 * A letter from a Word template: placeholders filled with `values`, people's
 * names taken out of the document properties. Throws UsageError (exit 2) for
 * a file that is no Word document, a template with tracked changes or
 * comments, and, all in one message, every placeholder that is unknown,
 * unfilled, not logic-less or not closed.
 */
export async function renderDocx(bytes: Uint8Array, name: string, options: RenderDocxOptions): Promise<Uint8Array> {
  const files = await unpack(bytes, name);
  refuseRevisions(files, name);
  check(await findTags(files, name), name, options);
  const props = cleanMetadata(files, options);
  const doc = await fill(files, name, options);
  const zip = doc.getZip();
  for (const [path, data] of Object.entries(props)) zip.file(path, data);
  // docxtemplater's writer puts [Content_Types].xml first, as some readers expect.
  return doc.toUint8Array();
}
