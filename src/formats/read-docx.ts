// Word (.docx): a zip of XML parts. Everything a recipient can see or dig out
// is read: the body, headers and footers, foot- and endnotes, comments and
// their authors, text boxes, tracked changes (deleted text and who changed
// what), image alt texts, link targets, field codes, document variables and
// the core, app and custom document properties. The zip is unpacked with
// fflate (only the parts read here, size-capped); the XML is tokenised with
// htmlparser2 in XML mode.
//
// Lines: each paragraph is one line of its segment (w:br adds a line, w:tab a
// tab); runs of a paragraph are joined as they are, so "Jan" + "van der Berg"
// split over three <w:r> comes out as written.
//
// Tracked changes: inserted text is part of the current text, so it stays in
// its paragraph (in "body", "header", …). For every paragraph with deleted
// text, "tracked-change" gets one line with that paragraph as it read before
// the change (unchanged text + deleted text, insertions left out), so a name
// of which only a part was deleted ("Jan <del>van der Berg</del>") is still
// seen whole.
import type { Parser as HtmlParser } from 'htmlparser2';
import { urlTexts } from '../core/url-text.js';
import { UsageError } from '../errors.js';
import { noteSegment } from './notes.js';
import type { SegmentReader, TextSegment } from './segments.js';

/** Largest total unpacked size of the parts we read. */
const MAX_UNPACKED = 512 * 1024 * 1024;

type ParserClass = typeof HtmlParser;

class TooLarge extends Error {}

/** Lines per location (paragraphs) and distinct values per location (metadata, authors, …). */
class Collector {
  readonly lines = new Map<string, string[]>();
  readonly values = new Map<string, string[]>();

  line(location: string, text: string): void {
    let list = this.lines.get(location);
    if (!list) this.lines.set(location, (list = []));
    list.push(text);
  }

  value(location: string, text: string | undefined): void {
    const v = text?.trim();
    if (!v) return;
    let list = this.values.get(location);
    if (!list) this.values.set(location, (list = []));
    if (!list.includes(v)) list.push(v);
  }
}

const LINE_ORDER = ['body', 'header', 'footer', 'footnote', 'comment', 'textbox', 'tracked-change'];

function bytesToXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

function parseXml(Parser: ParserClass, xml: string, handler: ConstructorParameters<ParserClass>[0]): void {
  const parser = new Parser(handler, { xmlMode: true, decodeEntities: true, recognizeCDATA: true });
  parser.end(xml);
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

interface Paragraph {
  location: string;
  current: string;
  original: string;
  deleted: boolean;
  field: string;
}

/**
 * Walk one part that holds paragraphs (document, header, footer, notes,
 * comments) and add its lines to `out` under `location`.
 */
function walkWordPart(Parser: ParserClass, xml: string, location: string, out: Collector): void {
  const stack: string[] = [];
  const paragraphs: Paragraph[] = [];
  let skip = 0; // depth inside a part we do not read (mc:Fallback duplicates, note separators)
  let deleted = 0;
  let inserted = 0;
  let textbox = 0;
  let textTag: string | null = null;

  const append = (text: string, kind: 'run' | 'deleted' | 'field') => {
    const p = paragraphs[paragraphs.length - 1];
    if (!p) return;
    if (kind === 'field') p.field += text;
    else if (kind === 'deleted' || deleted > 0) {
      p.original += text;
      p.deleted = true;
    } else if (inserted > 0) p.current += text;
    else {
      p.current += text;
      p.original += text;
    }
  };

  parseXml(Parser, xml, {
    onopentag(name, attrs) {
      const parent = stack[stack.length - 1];
      stack.push(name);
      if (skip > 0) {
        skip++;
        return;
      }
      if (name === 'mc:Fallback' || ((name === 'w:footnote' || name === 'w:endnote') && attrs['w:type'])) {
        skip = 1;
        return;
      }
      const author = attrs['w:author'];
      if (author !== undefined) out.value(name === 'w:comment' ? 'metadata:comment-author' : 'metadata:revision-author', author);
      const local = localName(name);
      if (local === 'docPr' || local === 'cNvPr') {
        out.value('attribute:alt', attrs.descr);
        out.value('attribute:title', attrs.title);
      }
      switch (name) {
        case 'w:p':
          paragraphs.push({ location: textbox > 0 ? 'textbox' : location, current: '', original: '', deleted: false, field: '' });
          break;
        case 'w:del':
        case 'w:moveFrom':
          deleted++;
          break;
        case 'w:ins':
        case 'w:moveTo':
          inserted++;
          break;
        case 'w:txbxContent':
          textbox++;
          break;
        case 'w:t':
        case 'w:delText':
        case 'w:instrText':
        case 'w:delInstrText':
          textTag = name;
          break;
        case 'w:hyperlink':
          out.value('attribute:title', attrs['w:tooltip']);
          break;
        case 'w:fldSimple':
          if (attrs['w:instr']) append(` ${attrs['w:instr']} `, 'field');
          break;
        case 'w:tab':
        case 'w:ptab':
          if (parent === 'w:r') append('\t', 'run');
          break;
        case 'w:br':
        case 'w:cr':
          if (parent === 'w:r') append('\n', 'run');
          break;
        case 'w:noBreakHyphen':
          if (parent === 'w:r') append('-', 'run');
          break;
        case 'w:softHyphen':
          if (parent === 'w:r') append('\u00ad', 'run');
          break;
      }
    },
    ontext(text) {
      if (skip > 0 || textTag === null) return;
      if (textTag === 'w:t') append(text, 'run');
      else if (textTag === 'w:delText') append(text, 'deleted');
      else append(text, 'field');
    },
    onclosetag(name) {
      stack.pop();
      if (skip > 0) {
        skip--;
        return;
      }
      switch (name) {
        case 'w:p': {
          const p = paragraphs.pop();
          if (!p) break;
          out.line(p.location, p.current);
          if (p.deleted) out.line('tracked-change', p.original);
          if (p.field.trim() !== '') out.value('field-code', p.field.replace(/\s+/gu, ' '));
          break;
        }
        case 'w:del':
        case 'w:moveFrom':
          deleted = Math.max(0, deleted - 1);
          break;
        case 'w:ins':
        case 'w:moveTo':
          inserted = Math.max(0, inserted - 1);
          break;
        case 'w:txbxContent':
          textbox = Math.max(0, textbox - 1);
          break;
        case 'w:t':
        case 'w:delText':
        case 'w:instrText':
        case 'w:delInstrText':
          textTag = null;
          break;
      }
    },
  });
}

/** Children of the root element of a properties part: local name → text. */
function walkProperties(Parser: ParserClass, xml: string, onValue: (local: string, text: string) => void): void {
  let depth = 0;
  let current: string | null = null;
  let text = '';
  parseXml(Parser, xml, {
    onopentag(name) {
      depth++;
      if (depth === 2) {
        current = localName(name);
        text = '';
      }
    },
    ontext(t) {
      if (current !== null && depth >= 2) text += t;
    },
    onclosetag() {
      if (depth === 2 && current !== null) {
        onValue(current, text);
        current = null;
      }
      depth--;
    },
  });
}

const CORE_PROPERTIES: Record<string, string> = {
  creator: 'metadata:author',
  lastModifiedBy: 'metadata:last-modified-by',
  title: 'metadata:title',
  subject: 'metadata:subject',
  keywords: 'metadata:keywords',
  description: 'metadata:description',
  category: 'metadata:category',
  contentStatus: 'metadata:status',
};

const APP_PROPERTIES: Record<string, string> = {
  Company: 'metadata:company',
  Manager: 'metadata:manager',
  HyperlinkBase: 'metadata:hyperlink-base',
  Template: 'metadata:template',
};

/** docProps/custom.xml: <property name="…"><vt:lpwstr>value</vt:lpwstr></property>. */
function walkCustomProperties(Parser: ParserClass, xml: string, out: Collector): void {
  let property: string | null = null;
  let text = '';
  parseXml(Parser, xml, {
    onopentag(name, attrs) {
      if (localName(name) === 'property') {
        property = attrs.name ?? '';
        text = '';
      }
    },
    ontext(t) {
      if (property !== null) text += t;
    },
    onclosetag(name) {
      if (localName(name) === 'property' && property !== null) {
        out.value(`metadata:custom:${property}`, text);
        property = null;
      }
    },
  });
}

/** Every text node of a part (customXml items: SharePoint and data-binding values). */
function walkAllText(Parser: ParserClass, xml: string, onText: (text: string) => void): void {
  let text = '';
  const flush = () => {
    if (text.trim() !== '') onText(text);
    text = '';
  };
  parseXml(Parser, xml, { onopentag: flush, onclosetag: flush, ontext: (t) => (text += t) });
}

interface Relationship {
  type: string;
  target: string;
  external: boolean;
}

function walkRelationships(Parser: ParserClass, xml: string): Relationship[] {
  const out: Relationship[] = [];
  parseXml(Parser, xml, {
    onopentag(name, attrs) {
      if (localName(name) === 'Relationship') {
        out.push({ type: attrs.Type ?? '', target: attrs.Target ?? '', external: attrs.TargetMode === 'External' });
      }
    },
  });
  return out;
}

function decodeUri(target: string): string {
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

/** Header and footer parts in a stable order: header1, header2, …, header10. */
function numbered(names: string[], pattern: RegExp): string[] {
  const num = (n: string) => Number(pattern.exec(n)?.[1] || 0);
  return names.filter((n) => pattern.test(n)).sort((a, b) => num(a) - num(b) || a.localeCompare(b));
}

// Every XML part is read: the known ones by what they mean, any other one
// (building blocks, charts, SmartArt, …) for all its text, so that nothing a
// family could open in Word goes unseen.
const WANTED = /^(?!\[Content_Types\]\.xml$).+\.(xml|rels)$/iu;
/** Parts whose text says nothing (styles, fonts, themes, numbering) or that are read above. */
const SKIP_GENERIC = /^(word\/(styles|stylesWithEffects|fontTable|webSettings|numbering|settings|document|header\d*|footer\d*|footnotes|endnotes|comments|people)\.xml|word\/theme\/.*|.*\.rels|docProps\/(core|app|custom)\.xml|customXml\/item\d*\.xml)$/u;

export const readDocx: SegmentReader = async (bytes, name) => {
  const fail = (reason: string) => new UsageError(`${name} is not a readable Word document: ${reason}`);
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw fail('it is an old .doc file or a password-protected document, not a .docx');
  }
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw fail('it is not a zip archive');

  const { unzipSync } = await import('fflate');
  const { Parser } = await import('htmlparser2');
  const allNames: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    let total = 0;
    files = unzipSync(bytes, {
      filter(file) {
        allNames.push(file.name);
        if (!WANTED.test(file.name)) return false;
        total += file.originalSize;
        if (total > MAX_UNPACKED) throw new TooLarge();
        return true;
      },
    });
  } catch (e) {
    if (e instanceof TooLarge) throw fail(`its parts unpack to more than ${MAX_UNPACKED / 1024 / 1024} MiB`);
    throw fail('the zip archive is damaged');
  }

  const out = new Collector();
  const notes: TextSegment[] = [];
  try {
    const xml = (path: string) => (files[path] ? bytesToXml(files[path]) : undefined);
    // Word writes no DTD. One in a part can declare entities ("&nm;") whose text
    // another program shows but this reader would not: refuse rather than pass it.
    for (const part of Object.keys(files).sort()) {
      if (/<!(DOCTYPE|ENTITY)\b/iu.test(bytesToXml(files[part]!))) {
        throw fail(`${part} declares a DTD or XML entities (<!DOCTYPE …>), which Word does not write; its text cannot be checked`);
      }
    }

    let mainPath = 'word/document.xml';
    const packageRels = xml('_rels/.rels');
    if (packageRels) {
      const main = walkRelationships(Parser, packageRels).find((r) => r.type.endsWith('/officeDocument'));
      if (main) mainPath = main.target.replace(/^\//u, '');
    }
    const main = xml(mainPath) ?? xml('word/document.xml');
    if (main === undefined) throw fail('it has no word/document.xml, so it is not a Word document');
    walkWordPart(Parser, main, 'body', out);

    const names = Object.keys(files);
    for (const part of numbered(names, /^word\/header(\d*)\.xml$/u)) walkWordPart(Parser, xml(part)!, 'header', out);
    for (const part of numbered(names, /^word\/footer(\d*)\.xml$/u)) walkWordPart(Parser, xml(part)!, 'footer', out);
    for (const part of ['word/footnotes.xml', 'word/endnotes.xml']) {
      const x = xml(part);
      if (x) walkWordPart(Parser, x, 'footnote', out);
    }
    const comments = xml('word/comments.xml');
    if (comments) walkWordPart(Parser, comments, 'comment', out);

    const people = xml('word/people.xml');
    if (people) {
      parseXml(Parser, people, {
        onopentag(tag, attrs) {
          if (localName(tag) === 'person') out.value('metadata:person', attrs['w15:author'] ?? attrs['w:author']);
        },
      });
    }

    const settings = xml('word/settings.xml');
    if (settings) {
      parseXml(Parser, settings, {
        onopentag(tag, attrs) {
          if (tag === 'w:docVar' && attrs['w:name']) out.value(`metadata:variable:${attrs['w:name']}`, attrs['w:val']);
        },
      });
    }

    for (const part of names.filter((n) => /^word\/_rels\/[^/]+\.rels$/u.test(n)).sort()) {
      for (const rel of walkRelationships(Parser, xml(part)!)) {
        if (!rel.external) continue;
        const where = rel.type.endsWith('/hyperlink')
          ? 'hyperlink'
          : rel.type.endsWith('/attachedTemplate')
            ? 'metadata:template'
            : 'metadata:external-link';
        out.value(where, decodeUri(rel.target));
        // Encoded twice, or a data: URL: what the link carries when opened is scanned too.
        for (const t of urlTexts(rel.target)) out.value(where, t);
      }
    }

    const core = xml('docProps/core.xml');
    if (core) {
      walkProperties(Parser, core, (local, text) => {
        const where = CORE_PROPERTIES[local];
        if (where) out.value(where, text);
      });
    }
    const app = xml('docProps/app.xml');
    if (app) {
      walkProperties(Parser, app, (local, text) => {
        const where = APP_PROPERTIES[local];
        if (where) out.value(where, text);
      });
    }
    const custom = xml('docProps/custom.xml');
    if (custom) walkCustomProperties(Parser, custom, out);
    for (const part of numbered(names, /^customXml\/item(\d*)\.xml$/u)) {
      walkAllText(Parser, xml(part)!, (text) => out.value('metadata:custom-xml', text));
    }

    for (const part of names.filter((n) => n !== mainPath && !SKIP_GENERIC.test(n)).sort()) {
      const x = xml(part)!;
      if (part.startsWith('word/glossary/') && /<w:t\b/u.test(x)) walkWordPart(Parser, x, 'glossary', out);
      else {
        const where = part.startsWith('word/charts/') ? 'chart' : part.startsWith('word/diagrams/') ? 'diagram' : `part:${part}`;
        walkAllText(Parser, x, (text) => out.value(where, text));
      }
    }

    for (const embedded of allNames.filter((n) => n.startsWith('word/embeddings/'))) {
      const file = embedded.slice('word/embeddings/'.length);
      notes.push(noteSegment(`embedded:${file}`, `${name}: the embedded object ${file} was not scanned`));
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw fail(`its XML could not be read (${(e as Error).message.toLowerCase()})`);
  }

  const segments: TextSegment[] = [];
  const lineLocations = [...LINE_ORDER, ...[...out.lines.keys()].filter((l) => !LINE_ORDER.includes(l))];
  for (const location of lineLocations) {
    const lines = out.lines.get(location);
    if (location === 'body') segments.push({ location, text: (lines ?? []).join('\n') });
    else if (lines && lines.some((l) => l.trim() !== '')) segments.push({ location, text: lines.join('\n') });
  }
  for (const [location, values] of out.values) {
    for (const text of values) segments.push({ location, text, noLines: true });
  }
  segments.push(...notes);
  return segments;
};
