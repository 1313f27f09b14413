// The block model every output writer draws from, and the three ways a
// filled-in template becomes one: Markdown (marked's lexer), HTML
// (htmlparser2) and plain text. The model is deliberately small — headings,
// paragraphs, flat lists and rules, with bold/italic runs and line breaks —
// because that is what a letter needs and what every output format can show
// faithfully. Whatever else a template shows (tables, quotes, code, links)
// is flattened to text rather than dropped, so the leak scan of the rendered
// output sees it; only what no reader sees (HTML script, style and comments,
// Markdown link definitions) is left out.
//
// Letters are written line by line (address blocks, "Kenmerk: …" lines), so
// a single newline inside a paragraph is a line break here, not a space as
// in CommonMark. Raw HTML inside Markdown is printed as the literal text it
// is: a template must not be able to smuggle markup (or hidden text) into a
// letter.
import type { Token, Tokens } from 'marked';

/** A piece of text in one style; a line break is a run of its own (`text` "\n"). */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  break?: true;
}

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export type Block =
  | { type: 'heading'; level: HeadingLevel; runs: Run[] }
  | { type: 'paragraph'; runs: Run[] }
  /** `start`: the first number of an ordered list when it is not 1. */
  | { type: 'list'; ordered: boolean; start?: number; items: Run[][] }
  | { type: 'rule' };

interface Style {
  bold?: boolean;
  italic?: boolean;
}

export const lineBreak = (): Run => ({ text: '\n', break: true });

/** Text with its newlines as break runs, all in one style. */
function textRuns(text: string, style: Style): Run[] {
  const out: Run[] = [];
  text.split(/\r\n|\r|\n/u).forEach((line, i) => {
    if (i > 0) out.push(lineBreak());
    if (line !== '') out.push(styled(line, style));
  });
  return out;
}

function styled(text: string, style: Style): Run {
  const run: Run = { text };
  if (style.bold) run.bold = true;
  if (style.italic) run.italic = true;
  return run;
}

const sameStyle = (a: Run, b: Run) => !a.break && !b.break && !!a.bold === !!b.bold && !!a.italic === !!b.italic;

/** Control characters: invisible, and not even allowed in the XML inside a .docx. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/gu;

/**
 * Runs as a writer wants them: control characters removed, NFC (precomposed
 * letters print and match best), adjacent runs of one style merged, no white
 * space at the start or end of a line, and no break at the start or end.
 */
export function tidyRuns(runs: readonly Run[]): Run[] {
  const lines: Run[][] = [[]];
  for (const run of runs) {
    if (run.break) lines.push([]);
    else {
      const text = run.text.replace(CONTROL, '').normalize('NFC');
      if (text !== '') lines[lines.length - 1]!.push({ ...run, text });
    }
  }
  const out: Run[] = [];
  lines.forEach((line, i) => {
    while (line.length > 0 && (line[0]!.text = line[0]!.text.replace(/^[ \t]+/u, '')) === '') line.shift();
    while (line.length > 0 && (line[line.length - 1]!.text = line[line.length - 1]!.text.replace(/[ \t]+$/u, '')) === '') line.pop();
    if (i > 0) out.push(lineBreak());
    for (const run of line) {
      const last = out[out.length - 1];
      if (last && sameStyle(last, run)) last.text += run.text;
      else out.push(run);
    }
  });
  while (out[0]?.break) out.shift();
  while (out[out.length - 1]?.break) out.pop();
  return out;
}

/** The runs of each line (breaks removed). */
export function splitLines(runs: readonly Run[]): Run[][] {
  const lines: Run[][] = [[]];
  for (const run of runs) {
    if (run.break) lines.push([]);
    else lines[lines.length - 1]!.push(run);
  }
  return lines;
}

/** The text of each line. */
export const plainLines = (runs: readonly Run[]): string[] => splitLines(runs).map((line) => line.map((r) => r.text).join(''));

function pushBlock(blocks: Block[], block: Block): void {
  if (block.type === 'heading' || block.type === 'paragraph') {
    block.runs = tidyRuns(block.runs);
    if (block.runs.length > 0) blocks.push(block);
  } else if (block.type === 'list') {
    block.items = block.items.map(tidyRuns).filter((item) => item.length > 0);
    if (block.items.length > 0) blocks.push(block);
  } else blocks.push(block);
}

/** Blocks as a writer wants them (see tidyRuns), empty ones left out. Writers apply it to what they are given. */
export function tidyBlocks(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type === 'list') pushBlock(out, { ...b, items: [...b.items] });
    else if (b.type === 'rule') out.push({ type: 'rule' });
    else pushBlock(out, { ...b, runs: [...b.runs] });
  }
  return out;
}

const clampLevel = (n: number): HeadingLevel => Math.min(6, Math.max(1, Math.trunc(n) || 1)) as HeadingLevel;

/**
 * How a link reads on paper: its text, followed by where it points when that
 * is a web or mail address other than the text itself (a relative link means
 * nothing on paper).
 */
function linkSuffix(href: string, text: string): string {
  if (!/^(https?:|mailto:|tel:)/iu.test(href)) return '';
  const target = href.replace(/^(mailto|tel):/iu, '');
  if (target === '' || target === text.trim() || href === text.trim()) return '';
  return ` (${target})`;
}

/** What stands before a nested list item, which the model keeps as a line of its parent item. */
function nestedPrefix(ordered: boolean, n: number): string {
  return ordered ? `${n}. ` : '– ';
}

// ---------------------------------------------------------------- Markdown

type Decode = (text: string) => string;

/**
 * Decoder for HTML character references that marked leaves in text
 * ("&amp;", "&eacute;"): only complete references with a semicolon, as
 * CommonMark has it, so "R&notes" stays as written.
 */
async function entityDecoder(): Promise<Decode> {
  const { Parser } = await import('htmlparser2');
  const cache = new Map<string, string>();
  const one = (ref: string): string => {
    let hit = cache.get(ref);
    if (hit === undefined) {
      hit = '';
      const parser = new Parser({ ontext: (t) => (hit += t) }, { decodeEntities: true });
      parser.end(ref);
      cache.set(ref, hit);
    }
    return hit;
  };
  return (text) => (text.includes('&') ? text.replace(/&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/gu, one) : text);
}

const collapse = (text: string) => text.replace(/[ \t]+/gu, ' ');

function inlineRuns(tokens: readonly Token[], style: Style, decode: Decode, out: Run[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens && t.tokens.length > 0) inlineRuns(t.tokens, style, decode, out);
        // Text inside <script>…</script> comes pre-escaped as raw source: keep it literal.
        else out.push(...textRuns(t.escaped ? t.text : collapse(decode(t.text)), style));
        break;
      }
      case 'escape':
        out.push(styled((token as Tokens.Escape).text, style));
        break;
      case 'strong':
        inlineRuns((token as Tokens.Strong).tokens, { ...style, bold: true }, decode, out);
        break;
      case 'em':
        inlineRuns((token as Tokens.Em).tokens, { ...style, italic: true }, decode, out);
        break;
      case 'del':
        inlineRuns((token as Tokens.Del).tokens, style, decode, out);
        break;
      case 'codespan':
        out.push(styled((token as Tokens.Codespan).text, style));
        break;
      case 'br':
        out.push(lineBreak());
        break;
      case 'html':
        // Raw HTML is text a reader sees as written, never markup.
        out.push(...textRuns(token.raw, style));
        break;
      case 'link': {
        const link = token as Tokens.Link;
        if (link.autolink) {
          out.push(styled(link.text, style));
        } else {
          const before = out.length;
          inlineRuns(link.tokens, style, decode, out);
          const shown = out.slice(before).map((r) => r.text).join('');
          const suffix = linkSuffix(link.href, shown);
          if (suffix) out.push(styled(suffix, style));
        }
        break;
      }
      case 'image':
        out.push(styled(decode((token as Tokens.Image).text), style));
        break;
      case 'checkbox':
        out.push(styled((token as Tokens.Checkbox).checked ? '[x] ' : '[ ] ', style));
        break;
      default: {
        const generic = token as Tokens.Generic;
        if (generic.tokens) inlineRuns(generic.tokens, style, decode, out);
        else out.push(...textRuns(generic.raw, style));
      }
    }
  }
}

/** The runs of one list item: its paragraphs as lines, nested list items as prefixed lines. */
function itemRuns(item: Tokens.ListItem, decode: Decode): Run[] {
  const out: Run[] = [];
  // A checkbox shares the line of the text after it; everything else starts a line.
  let glued = true;
  const line = () => {
    if (!glued && out.length > 0 && !out[out.length - 1]!.break) out.push(lineBreak());
    glued = false;
  };
  for (const token of item.tokens) {
    if (token.type === 'checkbox') {
      line();
      inlineRuns([token], {}, decode, out);
      glued = true;
    } else if (token.type === 'list') {
      const list = token as Tokens.List;
      list.items.forEach((sub, i) => {
        line();
        out.push({ text: nestedPrefix(list.ordered, (typeof list.start === 'number' ? list.start : 1) + i) });
        out.push(...itemRuns(sub, decode));
      });
    } else if (token.type !== 'space') {
      const blocks: Block[] = [];
      blockTokens([token], decode, blocks);
      for (const b of blocks) {
        if (b.type === 'heading' || b.type === 'paragraph') {
          line();
          out.push(...b.runs);
        }
      }
    }
  }
  return out;
}

function literalParagraph(text: string): Block {
  return { type: 'paragraph', runs: textRuns(text.replace(/\n+$/u, ''), {}) };
}

function blockTokens(tokens: readonly Token[], decode: Decode, blocks: Block[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const h = token as Tokens.Heading;
        const runs: Run[] = [];
        inlineRuns(h.tokens, {}, decode, runs);
        pushBlock(blocks, { type: 'heading', level: clampLevel(h.depth), runs });
        break;
      }
      case 'paragraph':
      case 'text': {
        const t = token as Tokens.Paragraph | Tokens.Text;
        const runs: Run[] = [];
        if (t.tokens) inlineRuns(t.tokens, {}, decode, runs);
        else runs.push(...textRuns(collapse(decode(t.text)), {}));
        pushBlock(blocks, { type: 'paragraph', runs });
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        const block: Block = { type: 'list', ordered: list.ordered, items: list.items.map((item) => itemRuns(item, decode)) };
        if (list.ordered && typeof list.start === 'number' && list.start !== 1) block.start = list.start;
        pushBlock(blocks, block);
        break;
      }
      case 'hr':
        blocks.push({ type: 'rule' });
        break;
      case 'html':
        pushBlock(blocks, literalParagraph(token.raw));
        break;
      case 'code':
        pushBlock(blocks, literalParagraph((token as Tokens.Code).text));
        break;
      case 'blockquote':
        blockTokens((token as Tokens.Blockquote).tokens, decode, blocks);
        break;
      case 'table': {
        const table = token as Tokens.Table;
        const runs: Run[] = [];
        const row = (cells: Tokens.TableCell[], style: Style) => {
          if (runs.length > 0) runs.push(lineBreak());
          cells.forEach((cell, i) => {
            if (i > 0) runs.push({ text: ' | ' });
            inlineRuns(cell.tokens, style, decode, runs);
          });
        };
        row(table.header, { bold: true });
        for (const r of table.rows) row(r, {});
        pushBlock(blocks, { type: 'paragraph', runs });
        break;
      }
      case 'space':
      case 'def':
        break;
      default: {
        const generic = token as Tokens.Generic;
        if (generic.tokens) blockTokens(generic.tokens, decode, blocks);
        else if (generic.raw.trim() !== '') pushBlock(blocks, literalParagraph(generic.raw));
      }
    }
  }
}

/** Blocks of a Markdown document (CommonMark + GFM, single newline = line break). */
export async function markdownToBlocks(markdown: string): Promise<Block[]> {
  const { Lexer, getDefaults } = await import('marked');
  const decode = await entityDecoder();
  // Own options, not marked's global ones, which another module could have changed.
  const tokens = Lexer.lex(markdown, { ...getDefaults(), gfm: true, breaks: false, pedantic: false });
  const blocks: Block[] = [];
  blockTokens(tokens, decode, blocks);
  return blocks;
}

// ---------------------------------------------------------------- plain text

/** Blocks of plain text: a blank line separates paragraphs, a newline is a line break. */
export function textToBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lf = text.replace(/^\uFEFF/u, '').replace(/\r\n?/gu, '\n');
  for (const para of lf.split(/\n[ \t]*\n\s*/u)) {
    pushBlock(blocks, { type: 'paragraph', runs: textRuns(para, {}) });
  }
  return blocks;
}

// ---------------------------------------------------------------- HTML

/** Elements whose content nobody reads on the page. */
const HTML_DROP = new Set(['script', 'style', 'template', 'title']);
/** Elements that start and end a block of text. */
const HTML_BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'html', 'legend', 'main', 'menu', 'nav',
  'p', 'pre', 'section', 'summary', 'table', 'textarea', 'select', 'option',
]);
const HTML_HEADING = /^h([1-6])$/u;

interface OpenList {
  ordered: boolean;
  start: number;
  /** Items seen so far (numbers nested items). */
  count: number;
}

/** Walks htmlparser2 events into blocks. */
class HtmlBlocks {
  readonly blocks: Block[] = [];
  private runs: Run[] = [];
  private heading: HeadingLevel | null = null;
  private readonly lists: OpenList[] = [];
  private items: Run[][] = [];
  private bold = 0;
  private italic = 0;
  private drop = 0;
  private pre = 0;
  private cellInRow = 0;
  private readonly links: { href: string; start: number }[] = [];

  private get target(): Run[] {
    if (this.lists.length === 0) return this.runs;
    if (this.items.length === 0) this.items.push([]);
    return this.items[this.items.length - 1]!;
  }

  /** A line break, unless the text so far is empty or already ends in one. */
  private softBreak(): void {
    const t = this.target;
    if (t.length > 0 && !t[t.length - 1]!.break) t.push(lineBreak());
  }

  private flush(): void {
    if (this.lists.length > 0) {
      this.softBreak();
      return;
    }
    if (this.runs.length > 0) {
      pushBlock(this.blocks, this.heading ? { type: 'heading', level: this.heading, runs: this.runs } : { type: 'paragraph', runs: this.runs });
    }
    this.runs = [];
  }

  open(name: string, attrs: Record<string, string>): void {
    if (this.drop > 0 || HTML_DROP.has(name)) {
      this.drop++;
      return;
    }
    const h = HTML_HEADING.exec(name);
    if (h) {
      this.flush();
      if (this.lists.length === 0) this.heading = clampLevel(Number(h[1]));
      return;
    }
    switch (name) {
      case 'br':
        this.target.push(lineBreak());
        return;
      case 'hr':
        this.flush();
        if (this.lists.length === 0) this.blocks.push({ type: 'rule' });
        return;
      case 'img':
        if (attrs.alt) this.text(attrs.alt);
        return;
      case 'b':
      case 'strong':
        this.bold++;
        return;
      case 'i':
      case 'em':
        this.italic++;
        return;
      case 'a':
        this.links.push({ href: attrs.href ?? '', start: this.target.length });
        return;
      case 'ul':
      case 'ol': {
        if (this.lists.length === 0) this.flush();
        const start = Number.parseInt(attrs.start ?? '', 10);
        this.lists.push({ ordered: name === 'ol', start: Number.isFinite(start) ? start : 1, count: 0 });
        return;
      }
      case 'li': {
        const list = this.lists[this.lists.length - 1];
        if (!list) {
          this.flush();
          return;
        }
        list.count++;
        if (this.lists.length === 1) this.items.push([]);
        else {
          this.softBreak();
          this.target.push({ text: nestedPrefix(list.ordered, list.start + list.count - 1) });
        }
        return;
      }
      case 'td':
      case 'th':
        if (this.cellInRow++ > 0) this.target.push({ text: ' | ' });
        if (name === 'th') this.bold++;
        return;
      case 'pre':
        this.flush();
        this.pre++;
        return;
    }
    if (name === 'tr') {
      // Rows are lines of one paragraph, so a table keeps together as it reads.
      this.softBreak();
      this.cellInRow = 0;
    }
    if (HTML_BLOCK.has(name)) this.flush();
  }

  close(name: string): void {
    if (this.drop > 0) {
      this.drop--;
      return;
    }
    if (HTML_HEADING.test(name)) {
      this.flush();
      this.heading = null;
      return;
    }
    switch (name) {
      case 'b':
      case 'strong':
        this.bold = Math.max(0, this.bold - 1);
        return;
      case 'i':
      case 'em':
        this.italic = Math.max(0, this.italic - 1);
        return;
      case 'a': {
        const link = this.links.pop();
        if (link) {
          const suffix = linkSuffix(link.href, this.target.slice(link.start).map((r) => r.text).join(''));
          if (suffix) this.text(suffix);
        }
        return;
      }
      case 'th':
      case 'td':
        if (name === 'th') this.bold = Math.max(0, this.bold - 1);
        return;
      case 'ul':
      case 'ol': {
        const list = this.lists.pop();
        if (list && this.lists.length === 0) {
          const block: Block = { type: 'list', ordered: list.ordered, items: this.items };
          if (list.ordered && list.start !== 1) block.start = list.start;
          pushBlock(this.blocks, block);
          this.items = [];
        }
        return;
      }
      case 'li':
        return;
      case 'pre':
        this.pre = Math.max(0, this.pre - 1);
        this.flush();
        return;
    }
    if (name === 'tr') {
      this.cellInRow = 0;
      this.softBreak();
      return;
    }
    if (HTML_BLOCK.has(name)) this.flush();
  }

  text(text: string): void {
    if (this.drop > 0) return;
    const style: Style = { bold: this.bold > 0, italic: this.italic > 0 };
    if (this.pre > 0) this.target.push(...textRuns(text, style));
    else this.target.push(styled(text.replace(/[ \t\n\r\f]+/gu, ' '), style));
  }

  end(): Block[] {
    while (this.lists.length > 0) this.close(this.lists[this.lists.length - 1]!.ordered ? 'ol' : 'ul');
    this.flush();
    return this.blocks;
  }
}

/**
 * Blocks of an HTML document: h1–h6, p, br, ul/ol/li, strong/b, em/i, hr;
 * everything else is flattened to its text, script and style are dropped.
 */
export async function htmlToBlocks(html: string): Promise<Block[]> {
  const { Parser } = await import('htmlparser2');
  const walker = new HtmlBlocks();
  const parser = new Parser(
    {
      onopentag: (name, attrs) => walker.open(name, attrs),
      onclosetag: (name) => walker.close(name),
      ontext: (text) => walker.text(text),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.end(html);
  return walker.end();
}
