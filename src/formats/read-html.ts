// HTML: the text a reader sees (tags removed, entities decoded, blocks and <br>
// as line breaks; text hidden with CSS, <template> and <noscript> content
// included, since another viewer may show it), each attribute value a person
// could read or copy (title, alt, aria-label, value, meta content, link
// targets, …), what any attribute's URL carries once decoded (percent-escapes,
// data: payloads, HTML and SVG read as HTML), <iframe srcdoc> read as HTML,
// the strings CSS can show (content:, quotes, …, in <style> and style=""),
// the text of scripts (what they would write), ruby annotations apart from
// the base text they sit on, the <title>, and comments, which are invisible
// but travel with the file. Every segment maps its offsets back to the line and column in
// the original file. Parsing is htmlparser2's tokenizer, which reports each
// entity as its own text event with its source range, so "J&#46; de Vries"
// and "Jan&nbsp;de&nbsp;Vries" come out as the characters at exact positions.
import type { Parser as HtmlParser } from 'htmlparser2';
import { dataUrlText, urlTexts } from '../core/url-text.js';
import { UsageError } from '../errors.js';
import { decodeText, LineIndex } from './decode-text.js';
import type { SegmentReader, TextSegment } from './segments.js';

/** Elements that start and end a line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'optgroup', 'option', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'tfoot', 'thead', 'tr', 'ul', 'textarea', 'select', 'template', 'noscript',
]);
/** Table cells: separated by a tab within their row. */
const CELL = new Set(['td', 'th']);
/** Attributes whose values a person can read, hear or copy. */
const TEXT_ATTRIBUTES = new Set([
  'title', 'alt', 'aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'placeholder', 'value',
  'label', 'content', 'summary', 'abbr', 'download', 'href', 'src', 'cite', 'poster', 'srcset', 'action',
]);

/** Text assembled from pieces of the source, remembering where each piece came from. */
class Extract {
  text = '';
  private readonly outStarts: number[] = [];
  private readonly srcStarts: number[] = [];
  private readonly srcEnds: number[] = [];
  private readonly verbatim: boolean[] = [];

  /**
   * `verbatim`: the piece is the source text itself (offsets map one to one);
   * else every offset maps to the source range [srcStart, srcEnd) (an entity,
   * or nothing for a line break the layout added).
   */
  add(piece: string, srcStart: number, verbatim: boolean, srcEnd = verbatim ? srcStart + piece.length : srcStart): void {
    if (piece === '') return;
    this.outStarts.push(this.text.length);
    this.srcStarts.push(srcStart);
    this.srcEnds.push(srcEnd);
    this.verbatim.push(verbatim);
    this.text += piece;
  }

  private pieceOf(offset: number): number {
    let lo = 0;
    let hi = this.outStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.outStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The source range that text [start, end) came from (tags in between included). */
  sourceRange(start: number, end: number): [number, number] {
    const a = this.pieceOf(start);
    const b = this.pieceOf(Math.max(start, end - 1));
    const from = this.verbatim[a] ? this.srcStarts[a]! + (start - this.outStarts[a]!) : this.srcStarts[a]!;
    const to = this.verbatim[b] ? this.srcStarts[b]! + (end - this.outStarts[b]!) : Math.max(this.srcEnds[b]!, this.srcStarts[b]!);
    return [from, Math.max(from, to)];
  }

  /** A line break, unless the text is empty or already ends with one. */
  breakLine(srcStart: number): void {
    if (this.text !== '' && !this.text.endsWith('\n')) this.add('\n', srcStart, false);
  }

  separate(srcStart: number): void {
    if (this.text !== '' && !/\s$/u.test(this.text)) this.add('\t', srcStart, false);
  }

  sourceOffset(offset: number): number {
    if (this.outStarts.length === 0) return 0;
    const lo = this.pieceOf(offset);
    const start = this.srcStarts[lo]!;
    return this.verbatim[lo] ? start + Math.max(0, offset - this.outStarts[lo]!) : start;
  }

  segment(location: string, lines: LineIndex): TextSegment {
    return {
      location,
      text: this.text,
      position: (offset) => lines.at(this.sourceOffset(offset)),
      sourceRange: (start, end) => this.sourceRange(start, end),
    };
  }
}

/** The charset a document declares in its first bytes (<meta charset> or http-equiv). */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)/iu.exec(head)?.[1];
}

function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

type ParserClass = typeof HtmlParser;

/** How deep HTML inside HTML is read (srcdoc, data: URLs holding HTML or SVG); deeper is read as plain text. */
const MAX_DEPTH = 3;

/** Data: media types whose payload is markup, read with this reader. */
const MARKUP = /^\s*data:\s*(?:text\/html|image\/svg\+xml|application\/xhtml\+xml|text\/xml|application\/xml)/iu;

/**
 * CSS tokens that can carry text: strings (shown by content:, quotes,
 * list-style, …) and unquoted url() arguments; comments and separators to
 * know where a declaration ends.
 */
const CSS_TOKEN = /\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?|url\(\s*([^)"'\s]*)\s*\)|[;{}]/giu;

/** A CSS string's value: escapes ("\4A", "\"", a backslash before a newline) decoded. */
function cssUnescape(s: string): string {
  return s.replace(/\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|([\s\S]))/giu, (_m, hex?: string, _nl?: string, ch?: string) => {
    if (hex) {
      const cp = parseInt(hex, 16);
      return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(cp);
    }
    return ch ?? '';
  });
}

/** Segments of an HTML document given as text (also used for e-mail bodies). */
export async function htmlToSegments(source: string): Promise<TextSegment[]> {
  const { Parser } = await import('htmlparser2');
  return segmentsOf(Parser, source, 0);
}

function segmentsOf(Parser: ParserClass, source: string, depth: number): TextSegment[] {
  const lines = new LineIndex(source);
  const body = new Extract();
  let title: Extract | null = null;
  const css = new Extract();
  const script = new Extract();
  const ruby = new Extract();
  const extras: TextSegment[] = [];

  let svgDepth = 0;
  let inTitle = 0;
  let rubyText = 0;
  let inScript = 0;
  let inStyle = 0;
  let pending: { name: string; value: string; start: number; end: number }[] = [];

  /** Where an attribute's value stands in the source, and whether the decoded value is the source's text. */
  const valueRange = (attr: { value: string; start: number; end: number }) => {
    const raw = source.slice(attr.start, attr.end + 1);
    const eq = /^[^=]*=\s*(["']?)/u.exec(raw);
    const start = attr.start + (eq ? eq[0].length : 0);
    const quoted = eq?.[1] ?? '';
    const end = attr.end + 1 - (quoted && source[attr.end] === quoted ? 1 : 0);
    return { start, end, verbatim: source.startsWith(attr.value, start) };
  };

  // Attribute values: the decoded value maps one to one onto the source when
  // no entity was decoded, else every offset maps to the value's start.
  const attributeSegment = (location: string, attr: { value: string; start: number; end: number }) => {
    const r = valueRange(attr);
    const e = new Extract();
    e.add(attr.value, r.start, r.verbatim, r.end);
    extras.push(e.segment(location, lines));
  };

  /** Segments read from a text held inside the document (an attribute, a URL), all pointing at where it stands. */
  const nested = (location: string, segments: TextSegment[], range: [number, number]) => {
    for (const seg of segments) {
      extras.push({ location: `${location}:${seg.location}`, text: seg.text, position: () => lines.at(range[0]), sourceRange: () => range });
    }
  };

  const plain = (location: string, text: string, range: [number, number]) => {
    if (text.trim() === '') return;
    const e = new Extract();
    e.add(text, range[0], false, range[1]);
    extras.push(e.segment(location, lines));
  };

  /** What a URL carries once decoded: percent-escapes undone, a data: URL's payload (HTML and SVG read as such). */
  const urlSegments = (location: string, url: string, range: [number, number]) => {
    const payload = dataUrlText(url);
    for (const text of urlTexts(url)) {
      if (text === payload && MARKUP.test(url) && depth < MAX_DEPTH) nested(`${location}:data`, segmentsOf(Parser, text, depth + 1), range);
      else plain(`${location}:${text === payload ? 'data' : 'decoded'}`, text, range);
    }
  };

  /**
   * The text CSS can put on screen: every string (content:, quotes,
   * list-style, counters…) and what its URLs carry. `base` is where the CSS
   * starts in the source when it is the source's text, else every piece maps
   * to `range`. Strings of one declaration are joined as content: joins them.
   */
  const readCss = (text: string, base: number | null, range: [number, number]) => {
    let declaration = 0;
    let strings = 0;
    for (const m of text.matchAll(CSS_TOKEN)) {
      const tok = m[0];
      const at = m.index;
      if (tok === ';' || tok === '{' || tok === '}') {
        if (strings > 0) css.breakLine(base ?? range[0]);
        declaration = at + 1;
        strings = 0;
        continue;
      }
      if (tok.startsWith('/*')) continue;
      let value: string;
      let valueAt: number;
      if (tok.startsWith('"') || tok.startsWith("'")) {
        const closed = tok.length > 1 && tok.endsWith(tok[0]!) && !tok.endsWith(`\\${tok[0]}`);
        value = tok.slice(1, closed ? -1 : undefined);
        valueAt = at + 1;
      } else {
        value = m[1] ?? '';
        valueAt = at + tok.indexOf(value);
      }
      if (value === '') continue;
      const decoded = cssUnescape(value);
      const isContent = /^\s*content\s*:/iu.test(text.slice(declaration, at));
      if (strings > 0 && !isContent) css.add(' ', base ?? range[0], false);
      if (base !== null && decoded === value) css.add(value, base + valueAt, true);
      else if (base !== null) css.add(decoded, base + valueAt, false, base + valueAt + value.length);
      else css.add(decoded, range[0], false, range[1]);
      strings++;
      const where: [number, number] = base !== null ? [base + valueAt, base + valueAt + value.length] : range;
      urlSegments('css:url', decoded, where);
    }
    css.breakLine(base ?? range[0]);
  };

  // The callbacks read the parser's source indices; it is created below and
  // only calls them from parser.end().
  const handler = {
    onopentagname() {
      pending = [];
    },
    onattribute(name: string, value: string) {
      pending.push({ name, value, start: parser.startIndex, end: parser.endIndex });
    },
    onopentag(name: string, attribs: Record<string, string>) {
      const at = parser.startIndex;
      const isMetaAuthor = name === 'meta' && (attribs.name ?? '').toLowerCase() === 'author';
      for (const attr of pending) {
        if (attr.value.trim() === '') continue;
        const r = valueRange(attr);
        const range: [number, number] = [r.start, r.end];
        const isData = /^\s*data:/iu.test(attr.value);
        if (attr.name === 'srcdoc') {
          // A frame's document, shown in the page: read as HTML.
          if (depth < MAX_DEPTH) nested('attribute:srcdoc', segmentsOf(Parser, attr.value, depth + 1), range);
          else plain('attribute:srcdoc', attr.value, range);
        } else if (attr.name === 'style') readCss(attr.value, r.verbatim ? r.start : null, range);
        // A data: URL as written is mostly base64; what it carries is read below.
        else if (attr.name === 'content' && isMetaAuthor) attributeSegment('metadata:author', attr);
        else if (!isData && (TEXT_ATTRIBUTES.has(attr.name) || attr.name.startsWith('data-'))) attributeSegment(`attribute:${attr.name}`, attr);
        // Any attribute can hold a URL (href, src, data, poster, xlink:href, …) or percent-encoded text.
        urlSegments(`attribute:${attr.name}`, attr.value, range);
      }
      pending = [];
      if (name === 'svg') svgDepth++;
      if (name === 'script') inScript++;
      else if (name === 'style') inStyle++;
      else if (name === 'rt' || name === 'rp' || name === 'rtc') {
        // Ruby annotations sit above the base text: the base reads on ("Ja<rt>…</rt>n" is "Jan"), the annotation is read on its own.
        rubyText++;
        ruby.breakLine(at);
      } else if (name === 'title' && svgDepth === 0) {
        inTitle++;
        title ??= new Extract();
        title.breakLine(at);
      } else if (name === 'br') body.add('\n', at, false);
      else if (BLOCK.has(name)) body.breakLine(at);
      else if (CELL.has(name)) body.separate(at);
    },
    onclosetag(name: string) {
      const at = parser.startIndex;
      if (name === 'svg' && svgDepth > 0) svgDepth--;
      if (name === 'script') inScript = Math.max(0, inScript - 1);
      else if (name === 'style') inStyle = Math.max(0, inStyle - 1);
      else if (name === 'rt' || name === 'rp' || name === 'rtc') rubyText = Math.max(0, rubyText - 1);
      else if (name === 'title' && inTitle > 0) inTitle--;
      else if (BLOCK.has(name)) body.breakLine(at);
    },
    ontext(data: string) {
      const start = parser.startIndex;
      const verbatim = parser.endIndex - start + 1 === data.length && source.startsWith(data, start);
      if (inStyle > 0) readCss(data, verbatim ? start : null, [start, parser.endIndex + 1]);
      // A script is not shown, but what it would write is in it.
      else if (inScript > 0) script.add(data, start, verbatim, parser.endIndex + 1);
      else if (rubyText > 0) ruby.add(data, start, verbatim, parser.endIndex + 1);
      else (inTitle > 0 && title ? title : body).add(data, start, verbatim, parser.endIndex + 1);
    },
    oncomment(data: string) {
      if (data.trim() === '') return;
      const e = new Extract();
      const start = parser.startIndex + 4; // after "<!--"
      e.add(data, start, source.startsWith(data, start), start + data.length);
      extras.push(e.segment('comment', lines));
    },
  };
  const parser: HtmlParser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.end(source);

  const segments: TextSegment[] = [body.segment('body', lines)];
  if (title && (title as Extract).text.trim() !== '') segments.push((title as Extract).segment('metadata:title', lines));
  for (const [location, e] of [['css', css], ['script', script], ['ruby-annotation', ruby]] as const) {
    if (e.text.trim() !== '') segments.push(e.segment(location, lines));
  }
  segments.push(...extras);
  return segments;
}

/** The text of an HTML file, decoded by its BOM or declared charset (for rewriting it). */
export function decodeHtml(bytes: Uint8Array): string {
  return decodeText(bytes, declaredCharset(bytes));
}

export const readHtml: SegmentReader = async (bytes, name) => {
  if (looksBinary(bytes) && !(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UsageError(`${name} is not a readable HTML file: it contains binary data`);
  }
  try {
    return await htmlToSegments(decodeText(bytes, declaredCharset(bytes)));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${name} is not a readable HTML file: ${(e as Error).message.toLowerCase()}`);
  }
};
