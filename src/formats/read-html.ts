// HTML: the text a reader sees (tags removed, entities decoded, blocks and <br>
// as line breaks, script and style dropped), each attribute value a person
// could read or copy (title, alt, aria-label, value, meta content, link
// targets, …), the <title>, and comments, which are invisible but travel with
// the file. Every segment maps its offsets back to the line and column in
// the original file. Parsing is htmlparser2's tokenizer, which reports each
// entity as its own text event with its source range, so "J&#46; de Vries"
// and "Jan&nbsp;de&nbsp;Vries" come out as the characters at exact positions.
import type { Parser as HtmlParser } from 'htmlparser2';
import { UsageError } from '../errors.js';
import { decodeText, LineIndex } from './decode-text.js';
import type { SegmentReader, TextSegment } from './segments.js';

/** Elements that start and end a line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'optgroup', 'option', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'tfoot', 'thead', 'tr', 'ul', 'textarea', 'select',
]);
/** Table cells: separated by a tab within their row. */
const CELL = new Set(['td', 'th']);
/** Elements whose content is not text a reader sees. */
const DROP = new Set(['script', 'style']);
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

/** Segments of an HTML document given as text (also used for e-mail bodies). */
export async function htmlToSegments(source: string): Promise<TextSegment[]> {
  const { Parser } = await import('htmlparser2');
  const lines = new LineIndex(source);
  const body = new Extract();
  let title: Extract | null = null;
  const extras: TextSegment[] = [];

  let dropDepth = 0;
  let svgDepth = 0;
  let inTitle = 0;
  let pending: { name: string; value: string; start: number; end: number }[] = [];

  // Attribute values: the decoded value maps one to one onto the source when
  // no entity was decoded, else every offset maps to the value's start.
  const attributeSegment = (location: string, attr: { value: string; start: number; end: number }) => {
    const raw = source.slice(attr.start, attr.end + 1);
    const eq = /^[^=]*=\s*(["']?)/u.exec(raw);
    const valueStart = attr.start + (eq ? eq[0].length : 0);
    const e = new Extract();
    const verbatim = source.startsWith(attr.value, valueStart);
    const quoted = eq?.[1] ?? '';
    const valueEnd = attr.end + 1 - (quoted && source[attr.end] === quoted ? 1 : 0);
    e.add(attr.value, valueStart, verbatim, valueEnd);
    extras.push(e.segment(location, lines));
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
        if (attr.name === 'href' || attr.name === 'src' || attr.name === 'action' || attr.name === 'srcset') {
          if (/^\s*data:/iu.test(attr.value)) continue;
        }
        if (attr.name === 'content' && isMetaAuthor) attributeSegment('metadata:author', attr);
        else if (TEXT_ATTRIBUTES.has(attr.name) || attr.name.startsWith('data-')) attributeSegment(`attribute:${attr.name}`, attr);
      }
      pending = [];
      if (name === 'svg') svgDepth++;
      if (DROP.has(name)) dropDepth++;
      else if (name === 'title' && svgDepth === 0) {
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
      if (DROP.has(name)) dropDepth = Math.max(0, dropDepth - 1);
      else if (name === 'title' && inTitle > 0) inTitle--;
      else if (BLOCK.has(name)) body.breakLine(at);
    },
    ontext(data: string) {
      if (dropDepth > 0) return;
      const start = parser.startIndex;
      const verbatim = parser.endIndex - start + 1 === data.length && source.startsWith(data, start);
      (inTitle > 0 && title ? title : body).add(data, start, verbatim, parser.endIndex + 1);
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
