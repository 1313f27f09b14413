// The allow-list every HTML letter passes before it is written. A letter is
// text with a little structure; nothing in it may run, load, submit or
// navigate by itself. The template is parsed and the document is written
// anew from the parse: only the elements and attributes below are written,
// text and attribute values are escaped again, and everything else is left
// out. So what a browser makes of the output is decided by this file, not by
// how a browser might have parsed the template's odd corners (a stray
// "</noscript>" inside an attribute, say): no tag we do not write can appear.
//
// Two outcomes for what is not allowed:
// - refused (the render stops, exit 2): active content, which only makes
//   sense to run code, embed another document, send the family's input
//   somewhere or move them to another page: <script>, on… handlers,
//   javascript:/vbscript: URLs, frames, plug-ins, forms, <base>,
//   <meta http-equiv=refresh>, srcdoc, SVG <foreignObject>, CSS expression(),
//   behavior and -moz-binding. A letter template never needs them, and
//   quietly dropping a script would change what the letter says.
// - removed, with a warning: everything else that is not on the list
//   (pictures, other stylesheets, comments, unknown elements and attributes,
//   links other than http(s)/mailto/tel, data: URLs, CSS that fetches or
//   writes text). Unknown elements lose their tags and keep their text;
//   elements whose content is not letter text (<template>, <noscript>, <svg>,
//   <img>, form controls, …) go with their content.
//
// Every letter also carries a Content-Security-Policy that forbids scripts,
// frames, fetching anything and submitting forms, in case a browser reads
// the file differently from this parser.
import type { Parser as HtmlParser } from 'htmlparser2';
import { escapeHtml } from '../core/template.js';

export const LETTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export interface SanitizeIssue {
  action: 'removed' | 'refused';
  /** What it was, for a message: "<script>", "onclick attribute", "CSS url()". */
  what: string;
  /** Offset in the source where it stands. */
  offset: number;
}

export interface Sanitized {
  html: string;
  issues: SanitizeIssue[];
}

export interface SanitizeOptions {
  /** The letter's language when the template does not set <html lang>. */
  language: string;
  /** The title when the template has no <title>. */
  title: string;
}

/** Elements written as they are (with allowed attributes). */
const KEEP = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
  'blockquote', 'pre', 'address', 'div', 'span', 'section', 'article', 'header', 'footer', 'main',
  'strong', 'b', 'em', 'i', 'u', 's', 'small', 'sub', 'sup', 'mark', 'abbr', 'q', 'cite', 'code', 'time', 'a', 'wbr',
]);
const VOID = new Set(['br', 'hr', 'col', 'wbr', 'img', 'meta', 'link', 'base', 'input', 'source', 'track', 'area', 'embed', 'param', 'keygen']);

/** Active content: the template is refused. */
const REFUSE = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'base', 'portal', 'fencedframe', 'foreignobject', 'isindex']);

/** Not letter text: removed together with everything inside. */
const DROP = new Set([
  'template', 'noscript', 'noembed', 'noframes', 'svg', 'math', 'canvas', 'audio', 'video', 'picture', 'img', 'image',
  'source', 'track', 'map', 'area', 'select', 'textarea', 'button', 'input', 'option', 'optgroup', 'datalist',
  'output', 'progress', 'meter', 'link', 'param', 'keygen', 'dialog', 'slot',
]);

/** Structure this writer supplies itself: the tags go, the content stays, no warning. */
const STRUCTURE = new Set(['html', 'head', 'body']);

/** Attributes allowed on every kept element (style is checked as CSS). */
const GLOBAL_ATTRIBUTES = new Set(['title', 'lang', 'dir', 'class', 'id', 'style', 'role']);
/** Presentation and table attributes: no URLs, no behaviour. */
const PRESENTATION = new Set([
  'align', 'valign', 'width', 'height', 'border', 'cellpadding', 'cellspacing', 'bgcolor', 'nowrap', 'span',
  'colspan', 'rowspan', 'scope', 'headers', 'start', 'type', 'reversed', 'value', 'datetime', 'abbr', 'summary',
]);
/** <meta name="…"> kept in the head. */
const META_NAMES = new Set(['author', 'description', 'keywords', 'generator', 'viewport']);

/** How a browser reads a URL's scheme: tabs and newlines inside are ignored, leading controls and spaces too. */
function normaliseUrl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\t\n\r]/gu, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/gu, '');
}

const ACTIVE_URL = /(?:java|vb|live)script\s*:/iu;

function activeUrl(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return ACTIVE_URL.test(value.replace(/[\u0000-\u0020]/gu, ''));
}

/** A link target a family can follow without surprises: a web page, an e-mail address, a phone number, or a place in the letter. */
function allowedLink(url: string): boolean {
  return /^(?:https?:\/\/[^/\\]|mailto:|tel:|#)/iu.test(url);
}

// ---------------------------------------------------------------------------
// CSS

/** Functions a style may use: colours, arithmetic, transforms. Anything else (url(), image-set(), attr(), counter(), …) can fetch or write text. */
const CSS_FUNCTIONS = new Set([
  'rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color-mix', 'calc', 'min', 'max', 'clamp', 'var',
  'translate', 'translatex', 'translatey', 'rotate', 'scale', 'scalex', 'scaley', 'skew', 'skewx', 'skewy', 'matrix',
  'cubic-bezier', 'steps', 'minmax', 'repeat', 'fit-content',
]);
const CSS_ACTIVE = /expression\s*\(|behaviou?r\s*:|-moz-binding|(?:java|vb)script\s*:/iu;

interface CssIssue {
  action: 'removed' | 'refused';
  what: string;
  /** Offset within the CSS text. */
  at: number;
}

/**
 * The CSS with every declaration and rule that could fetch something, write
 * text or run code taken out. `inline` is a style attribute (declarations
 * only). CSS this cannot take apart safely (escapes, "<", strings holding
 * braces or semicolons, unbalanced quotes) is removed whole.
 */
export function cleanCss(source: string, inline: boolean): { css: string; issues: CssIssue[] } {
  // Comments become spaces of the same length, so offsets stay true.
  const css = source.replace(/\/\*[\s\S]*?(?:\*\/|$)/gu, (c) => ' '.repeat(c.length));
  const active = CSS_ACTIVE.exec(css);
  if (active) {
    const word = active[0].replace(/\s*[(:]$/u, '').toLowerCase();
    const what = word.endsWith('script') ? `${word}: URL in CSS` : `CSS ${word}${word === 'expression' ? '()' : ''}`;
    return { css: '', issues: [{ action: 'refused', what, at: active.index }] };
  }
  const whole = (why: string, at = 0): { css: string; issues: CssIssue[] } => ({ css: '', issues: [{ action: 'removed', what: `CSS ${why}`, at }] });
  const escape = /[\\<]/u.exec(css);
  if (escape) return whole(escape[0] === '\\' ? 'with escapes' : 'with "<"', escape.index);
  // Strings may hold nothing that splits the text below.
  for (let i = 0; i < css.length; i++) {
    const q = css[i];
    if (q !== '"' && q !== "'") continue;
    const end = css.indexOf(q, i + 1);
    if (end === -1) return whole('with an unclosed string', i);
    if (/[{};\n\r]/u.test(css.slice(i + 1, end))) return whole('with a string holding "{", "}" or ";"', i);
    i = end;
  }
  if (inline && /[{}]/u.test(css)) return whole('with braces in a style attribute', css.search(/[{}]/u));

  const issues: CssIssue[] = [];
  const out: string[] = [];
  // 'rule': declarations inside; 'group': rules inside (@media); 'skip': removed.
  const stack: ('rule' | 'group' | 'skip')[] = [];
  const context = () => (inline ? 'rule' : (stack.at(-1) ?? 'top'));
  const parts = css.split(/([{};])/u);
  let at = 0;
  for (let k = 0; k < parts.length; k += 2) {
    const chunk = parts[k]!;
    const sep = parts[k + 1] ?? '';
    const chunkAt = at;
    at += chunk.length + sep.length;
    const skipping = stack.includes('skip');
    const lead = chunkAt + (chunk.length - chunk.trimStart().length);
    if (sep === '{') {
      const prelude = chunk.trim();
      let frame: 'rule' | 'group' | 'skip';
      if (skipping) frame = 'skip';
      else if (prelude.startsWith('@')) {
        const name = /^@[-\w]*/u.exec(prelude)![0].toLowerCase();
        frame = name === '@media' ? 'group' : name === '@page' ? 'rule' : 'skip';
        if (frame === 'skip') issues.push({ action: 'removed', what: `CSS ${name}`, at: lead });
      } else frame = 'rule';
      stack.push(frame);
      if (frame !== 'skip') out.push(chunk, sep);
      continue;
    }
    if (sep === '}') {
      if (!skipping) out.push(declaration(chunk, lead, context(), issues) ?? '', sep);
      if (stack.length > 0) stack.pop();
      else out.pop(); // a stray "}" closes nothing
      continue;
    }
    if (skipping) continue;
    const kept = declaration(chunk, lead, context(), issues);
    // A declaration taken out takes its ";" with it.
    if (kept === null) out.push(/^\s/u.test(chunk) && sep !== '' ? chunk.slice(0, chunk.length - chunk.trimStart().length) : '');
    else out.push(kept, sep);
  }
  // Unclosed blocks: a skipped block's braces were never written, so only the others need closing.
  out.push('}'.repeat(stack.filter((f) => f !== 'skip').length));
  return { css: out.join(''), issues };
}

/** One declaration as written, or null when it is taken out. */
function declaration(chunk: string, at: number, context: string, issues: CssIssue[]): string | null {
  const text = chunk.trim();
  if (text === '') return chunk;
  if (text.startsWith('@')) {
    issues.push({ action: 'removed', what: `CSS ${/^@[-\w]*/u.exec(text)![0].toLowerCase()}`, at });
    return null;
  }
  // Declarations outside a rule mean nothing to a browser.
  if (context !== 'rule') return null;
  const colon = text.indexOf(':');
  if (colon === -1) return null;
  const property = text.slice(0, colon).trim().toLowerCase();
  const value = text.slice(colon + 1);
  if (property === 'content') {
    issues.push({ action: 'removed', what: 'CSS content', at });
    return null;
  }
  for (const m of value.matchAll(/([-\w]+)\s*\(/gu)) {
    if (!CSS_FUNCTIONS.has(m[1]!.toLowerCase())) {
      issues.push({ action: 'removed', what: `CSS ${m[1]!.toLowerCase()}()`, at });
      return null;
    }
  }
  // A quoted string shows as text through quotes, list-style, counters…; only a font name may be quoted.
  if (/["']/u.test(value) && property !== 'font-family' && property !== 'font') {
    issues.push({ action: 'removed', what: `CSS text in quotes (${property})`, at });
    return null;
  }
  return chunk;
}

// ---------------------------------------------------------------------------
// The document

interface Frame {
  name: string;
  /** keep: written; unwrap: tags left out, content kept; drop: left out with content; title/style/meta: head parts. */
  action: 'keep' | 'unwrap' | 'drop' | 'title' | 'style';
}

/** Rewrites an HTML document or fragment as a letter: the allow-list applied, a CSP added. */
export async function sanitizeHtml(source: string, options: SanitizeOptions): Promise<Sanitized> {
  const { Parser } = await import('htmlparser2');
  // An editor's byte-order mark is no text; a space keeps every offset where it was.
  const src = source.startsWith('\uFEFF') ? ` ${source.slice(1)}` : source;
  const issues: SanitizeIssue[] = [];
  const issue = (action: SanitizeIssue['action'], what: string, offset: number) => issues.push({ action, what, offset });

  const body: string[] = [];
  const metas: string[] = [];
  const styles: string[] = [];
  let title: string | null = null;
  let titleText = '';
  let titleSeen = 0;
  let styleText = '';
  let styleAt = 0;
  let lang: string | null = null;
  let bodyAttributes = '';

  const stack: Frame[] = [];
  let dropDepth = 0;
  let attrs: { name: string; value: string; at: number }[] = [];
  let tagAt = 0;

  /** Checks one attribute for active content; returns its value as written when it may stay. */
  const attribute = (element: string, a: { name: string; value: string; at: number }, dropped: boolean): string | null => {
    const { name, value, at } = a;
    if (name.startsWith('on')) {
      issue('refused', `${name} attribute`, at);
      return null;
    }
    if (name === 'srcdoc' || name === 'formaction' || name === 'action') {
      issue('refused', `${name} attribute`, at);
      return null;
    }
    if (activeUrl(value)) {
      issue('refused', `${/^\s*vb/iu.test(value) ? 'vbscript' : /live/iu.test(value) ? 'livescript' : 'javascript'}: URL in the ${name} attribute`, at);
      return null;
    }
    if (element === 'meta' && name === 'http-equiv' && value.trim().toLowerCase() === 'refresh') {
      issue('refused', '<meta http-equiv="refresh">', tagAt);
      return null;
    }
    if (dropped) return null;
    if (name === 'style') {
      const { css, issues: found } = cleanCss(value, true);
      for (const f of found) issue(f.action, f.what, at);
      return css.trim() === '' ? null : css;
    }
    if (element === 'a' && name === 'href') {
      const url = normaliseUrl(value);
      if (allowedLink(url)) return url;
      issue('removed', /^data:/iu.test(url) ? 'data: URL in the href attribute' : `href attribute (${url === '' ? 'empty' : 'not an http(s), mailto or tel link'})`, at);
      return null;
    }
    if (element === 'a' && name === 'name') return value;
    if (GLOBAL_ATTRIBUTES.has(name) || PRESENTATION.has(name) || /^aria-[a-z]+$/u.test(name)) {
      if (/^\s*data:/iu.test(value)) {
        issue('removed', `data: URL in the ${name} attribute`, at);
        return null;
      }
      return value;
    }
    issue('removed', /^\s*data:/iu.test(value) ? `data: URL in the ${name} attribute` : `${name} attribute`, at);
    return null;
  };

  const attributeList = (element: string, dropped: boolean): string => {
    let out = '';
    for (const a of attrs) {
      const v = attribute(element, a, dropped);
      if (v !== null) out += ` ${a.name}="${escapeHtml(v)}"`;
    }
    return out;
  };

  const handler = {
    onopentagname() {
      attrs = [];
      tagAt = parser.startIndex;
    },
    onattribute(name: string, value: string) {
      // Where the value starts, so a value that came from a placeholder is blamed on it.
      const start = parser.startIndex;
      const eq = /^[^=]*=\s*["']?/u.exec(src.slice(start, parser.endIndex + 1));
      attrs.push({ name, value, at: eq && value !== '' ? start + eq[0].length : start });
    },
    onopentag(name: string, _attribs: Record<string, string>, implied: boolean) {
      if (implied) attrs = [];
      const at = implied ? parser.startIndex : tagAt;
      const dropped = dropDepth > 0;
      let action: Frame['action'];
      if (REFUSE.has(name)) {
        issue('refused', `<${name}>`, at);
        action = 'drop';
      } else if (dropped) action = 'drop';
      else if (DROP.has(name)) {
        issue('removed', `<${name}>`, at);
        action = 'drop';
      } else if (STRUCTURE.has(name)) action = 'unwrap';
      else if (name === 'title') action = titleSeen++ === 0 ? 'title' : 'drop';
      else if (name === 'style') action = 'style';
      else if (name === 'meta') action = 'drop';
      else if (KEEP.has(name)) action = 'keep';
      else {
        issue('removed', `<${name}>`, at);
        action = 'unwrap';
      }
      if (name === 'title' && action === 'drop' && !dropped) issue('removed', 'a second <title>', at);

      if (name === 'meta') {
        const get = (n: string) => attrs.find((a) => a.name === n)?.value;
        const equiv = get('http-equiv');
        for (const a of attrs) if (a.name !== 'content' && a.name !== 'http-equiv') attribute('meta', a, true);
        if (equiv !== undefined) {
          attribute('meta', attrs.find((a) => a.name === 'http-equiv')!, true);
          const ours = equiv.toLowerCase() === 'content-security-policy' && get('content') === LETTER_CSP;
          const harmless = equiv.toLowerCase() === 'content-type';
          if (!ours && !harmless && equiv.toLowerCase() !== 'refresh' && !dropped) issue('removed', `<meta http-equiv="${equiv}">`, at);
        } else if (get('name') !== undefined && get('content') !== undefined && META_NAMES.has(get('name')!.toLowerCase())) {
          if (!dropped) metas.push(`<meta name="${escapeHtml(get('name')!.toLowerCase())}" content="${escapeHtml(get('content')!)}">`);
        } else if (get('charset') === undefined && !dropped) issue('removed', '<meta>', at);
      } else if (action === 'keep') {
        body.push(`<${name}${attributeList(name, false)}>`);
      } else if (name === 'html' || name === 'body') {
        const list = attributeList(name, dropped);
        if (name === 'html') {
          const l = attrs.find((a) => a.name === 'lang')?.value;
          if (l && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/u.test(l)) lang = l;
        } else bodyAttributes = list;
      } else {
        // Refusals and warnings for what goes anyway (attributes of a removed element are not listed one by one).
        for (const a of attrs) attribute(name, a, true);
      }
      if (action === 'style') {
        styleText = '';
        styleAt = -1;
      }
      attrs = [];
      stack.push({ name, action });
      if (action === 'drop') dropDepth++;
    },
    onclosetag(name: string) {
      const frame = stack.pop();
      if (!frame) return;
      if (frame.action === 'drop') dropDepth--;
      else if (frame.action === 'keep' && !VOID.has(frame.name)) body.push(`</${frame.name}>`);
      else if (frame.action === 'title') title = titleText;
      else if (frame.action === 'style') {
        const { css, issues: found } = cleanCss(styleText, false);
        for (const f of found) issue(f.action, f.what, styleAt + f.at);
        if (css.trim() !== '' && dropDepth === 0) styles.push(css);
      }
      void name;
    },
    ontext(data: string) {
      const top = stack.at(-1);
      if (top?.action === 'style') {
        if (styleAt === -1) styleAt = parser.startIndex;
        styleText += data;
        return;
      }
      if (dropDepth > 0) return;
      if (top?.action === 'title') titleText += data;
      else body.push(escapeHtml(data));
    },
    oncomment() {
      if (dropDepth === 0) issue('removed', 'comment', parser.startIndex);
    },
    onprocessinginstruction(name: string) {
      if (name.toLowerCase() !== '!doctype' && dropDepth === 0) issue('removed', `<${name}>`, parser.startIndex);
    },
  };
  const parser: HtmlParser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false });
  parser.end(src);

  const shownTitle = (title ?? options.title).replace(/\s+/gu, ' ').trim() || options.title;
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(lang ?? options.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(LETTER_CSP)}">`,
    `<title>${escapeHtml(shownTitle)}</title>`,
    ...metas,
    ...styles.map((css) => `<style>\n${css.trim()}\n</style>`),
    '</head>',
    `<body${bodyAttributes}>`,
    body.join('').trim(),
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { html, issues: issues.sort((a, b) => a.offset - b.offset) };
}

/**
 * Issues as one line: "<script> (line 12), onclick attribute (line 20)",
 * the same thing on several lines once ("comment (lines 3, 7 and 9)").
 */
export function describeIssues(issues: readonly SanitizeIssue[], where: (offset: number) => string): string {
  const groups = new Map<string, string[]>();
  for (const i of issues) {
    const w = where(i.offset);
    const list = groups.get(i.what) ?? [];
    if (!list.includes(w)) list.push(w);
    groups.set(i.what, list);
  }
  return [...groups].map(([what, places]) => `${what} (${joinPlaces(places)})`).join(', ');
}

function joinPlaces(places: string[]): string {
  const shown = places.slice(0, 5);
  const more = places.length - shown.length;
  const list = shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  return more > 0 ? `${list} and ${more} more` : list;
}
