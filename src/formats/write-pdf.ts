// PDF (.pdf) with pdfkit: an A4 letter set in DejaVu Serif. The font is
// embedded (subset) because pdfkit's standard 14 fonts only know WinAnsi,
// and a letter must print every name as written: ë é ï ç ñ, but also Turkish
// ş ğ ı İ and Polish ł. A character the font lacks is refused rather than
// printed as an empty box.
//
// Lines are broken here, not by pdfkit's own wrapper: runs of mixed weight
// on one line, headings kept with what follows, no single line of a
// paragraph left alone at the bottom or top of a page, and every piece drawn
// with its spaces so text extraction (and so the leak scan of the result)
// reads the words as written. Lines break only at spaces — never inside a
// name, also not at its hyphen.
//
// Metadata: Title, Author (the team), Subject; Creator and Producer are
// "schuilnaam". The document stays at PDF 1.3, for which pdfkit writes no XMP
// stream (from 1.4 on it writes one, copying Info unescaped into XML).
import { UsageError } from '../errors.js';
import { splitLines, tidyBlocks, type Block, type HeadingLevel, type Run } from './markdown.js';
import type { DocumentMeta } from './write-document.js';

type Doc = PDFKit.PDFDocument;
type FontKey = 'regular' | 'bold' | 'italic' | 'boldItalic';

const FONT_FILES: Record<FontKey, string> = {
  regular: 'DejaVuSerif.ttf',
  bold: 'DejaVuSerif-Bold.ttf',
  italic: 'DejaVuSerif-Italic.ttf',
  boldItalic: 'DejaVuSerif-BoldItalic.ttf',
};

const CM = 72 / 2.54;
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 2.5 * CM, right: 2.5 * CM, bottom: 2.5 * CM, left: 2.5 * CM };
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const PAGE_BOTTOM = A4.height - MARGIN.bottom;

/** DejaVu Serif's ascent and descent per em: where the baseline sits in a line box. */
const ASCENT = 0.928;
const DESCENT = 0.236;

const INK = '#111111';
const GREY = '#6b6b6b';

interface Face {
  size: number;
  leading: number;
  /** Space above the block (collapses with the space below the previous one, like CSS margins). */
  before: number;
  after: number;
}

const BODY: Face = { size: 10.5, leading: 15.5, before: 0, after: 10.5 };
const HEADINGS: Record<HeadingLevel, Face> = {
  1: { size: 16, leading: 20, before: 14, after: 8 },
  2: { size: 13, leading: 17, before: 13, after: 6 },
  3: { size: 11.5, leading: 15.5, before: 11, after: 4 },
  4: { size: 10.5, leading: 15.5, before: 9, after: 3 },
  5: { size: 10.5, leading: 15.5, before: 9, after: 3 },
  6: { size: 10.5, leading: 15.5, before: 9, after: 3 },
};
const ITEM_GAP = 3;
const RULE_FACE: Face = { size: 0, leading: 1, before: 9, after: 12 };
const FOOTER_SIZE = 8.5;

/** Characters that take no room and are not printed (a soft hyphen would print as a hyphen). */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/** A font parsed by fontkit; pdfkit takes one in place of the file's bytes. */
type ParsedFont = { layout: (...args: never[]) => unknown };

let fontCache: Promise<Record<FontKey, ParsedFont>> | undefined;
/**
 * The four DejaVu Serif files from the dejavu-fonts-ttf package, read and
 * parsed once per process: parsing them for every letter took more than
 * half of the time of a batch of PDFs.
 */
function loadFonts(): Promise<Record<FontKey, ParsedFont>> {
  fontCache ??= (async () => {
    const { createRequire } = await import('node:module');
    const { readFile } = await import('node:fs/promises');
    const { dirname, join } = await import('node:path');
    const fontkit = await import('fontkit');
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const entries = await Promise.all(
      (Object.keys(FONT_FILES) as FontKey[]).map(async (key) => [key, fontkit.create(await readFile(join(dir, FONT_FILES[key])))] as const),
    );
    return Object.fromEntries(entries) as Record<FontKey, ParsedFont>;
  })();
  fontCache.catch(() => (fontCache = undefined));
  return fontCache;
}

const fontOf = (bold: boolean, italic: boolean): FontKey => (bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular');

/** A word: styled pieces with no space between them, and the space after it, if any. */
interface Word {
  pieces: { font: FontKey; text: string }[];
  width: number;
  space: { font: FontKey; width: number } | null;
}
type Line = Word[];

class Typesetter {
  private y = MARGIN.top;
  /** Space owed below the last block; collapses with the next block's space above. */
  private pendingAfter = 0;
  private readonly widths = new Map<string, number>();

  constructor(private readonly doc: Doc) {}

  width(font: FontKey, size: number, text: string): number {
    const key = `${font}\u0000${size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.doc.font(font).fontSize(size).widthOfString(text);
      this.widths.set(key, w);
    }
    return w;
  }

  private get atTop(): boolean {
    return this.y === MARGIN.top;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
    this.pendingAfter = 0;
  }

  /** Room left on this page below the space owed before a block with `face`. */
  private room(face: Face): number {
    return PAGE_BOTTOM - this.y - (this.atTop ? 0 : Math.max(this.pendingAfter, face.before));
  }

  private open(face: Face): void {
    if (!this.atTop) this.y += Math.max(this.pendingAfter, face.before);
    this.pendingAfter = 0;
  }

  private close(face: Face): void {
    this.pendingAfter = face.after;
  }

  /** The words of a line's runs, none wider than `width`; `bold` for headings, which are bold throughout. */
  private words(runs: Run[], size: number, width: number, bold: boolean): Word[] {
    const words: Word[] = [];
    let current: Word | null = null;
    for (const run of runs) {
      const font = fontOf(bold || !!run.bold, !!run.italic);
      for (const part of run.text.replace(INVISIBLE, '').replace(/\t/gu, ' ').split(/( +)/u)) {
        if (part === '') continue;
        if (part.startsWith(' ')) {
          if (current && !current.space) current.space = { font, width: this.width(font, size, ' ') };
          continue;
        }
        if (!current || current.space) {
          current = { pieces: [], width: 0, space: null };
          words.push(current);
        }
        current.pieces.push({ font, text: part });
        current.width += this.width(font, size, part);
      }
    }
    return words.flatMap((w) => this.splitLong(w, size, width));
  }

  /** A word wider than the line (a long web address) broken into pieces that fit. */
  private splitLong(word: Word, size: number, width: number): Word[] {
    if (word.width <= width) return [word];
    const out: Word[] = [];
    let current: Word = { pieces: [], width: 0, space: null };
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const piece of word.pieces) {
      for (const { segment } of segmenter.segment(piece.text)) {
        const w = this.width(piece.font, size, segment);
        if (current.width + w > width && current.pieces.length > 0) {
          out.push(current);
          current = { pieces: [], width: 0, space: null };
        }
        const last = current.pieces[current.pieces.length - 1];
        if (last && last.font === piece.font) last.text += segment;
        else current.pieces.push({ font: piece.font, text: segment });
        current.width += w;
      }
    }
    current.space = word.space;
    out.push(current);
    return out;
  }

  /** Lines of at most `width`, breaking at spaces and at the runs' own line breaks. */
  lines(runs: Run[], size: number, width: number, bold = false): Line[] {
    const out: Line[] = [];
    for (const lineRuns of splitLines(runs)) {
      let line: Line = [];
      let x = 0;
      for (const word of this.words(lineRuns, size, width, bold)) {
        const gap = line.length > 0 ? (line[line.length - 1]!.space?.width ?? 0) : 0;
        if (line.length > 0 && x + gap + word.width > width) {
          out.push(line);
          line = [];
          x = 0;
        }
        x += (line.length > 0 ? gap : 0) + word.width;
        line.push(word);
      }
      out.push(line);
    }
    return out;
  }

  /** Draw one line in the line box at the current y (baseline centred in the leading), and move below it. */
  private drawLine(line: Line, face: Face, x: number): void {
    this.drawWords(line, face, x);
    this.y += face.leading;
  }

  private drawWords(line: Line, face: Face, x: number): void {
    const baseline = this.y + (face.leading - face.size * (ASCENT + DESCENT)) / 2 + face.size * ASCENT;
    // Pieces of one font, spaces included, go out as one string: extraction then sees real spaces.
    const segments: { font: FontKey; text: string }[] = [];
    line.forEach((word, i) => {
      const parts = [...word.pieces];
      if (i < line.length - 1 && word.space) parts.push({ font: word.space.font, text: ' ' });
      for (const part of parts) {
        const last = segments[segments.length - 1];
        if (last && last.font === part.font) last.text += part.text;
        else segments.push({ ...part });
      }
    });
    for (const seg of segments) {
      this.doc.font(seg.font).fontSize(face.size).fillColor(INK).text(seg.text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
      x += this.width(seg.font, face.size, seg.text);
    }
  }

  /**
   * Lines as one block: a page break leaves at least two lines on each side
   * (no orphan, no widow) where the block has enough lines for that.
   * `keepAfter`: height that must follow the last line on the same page (a heading's next lines).
   */
  private flow(lines: Line[], face: Face, x: number, firstLine?: () => void, keepAfter = 0): void {
    if (lines.length === 0) return;
    const fits = (n: number) => Math.floor((this.room(face) + 0.01) / face.leading) >= n;
    const total = lines.length;
    // Start on a new page if not even the first two lines (or the whole, if shorter) fit here.
    if (!this.atTop && (!fits(Math.min(2, total)) || (keepAfter > 0 && this.room(face) < total * face.leading + keepAfter))) this.newPage();
    this.open(face);
    let i = 0;
    while (i < total) {
      let n = Math.max(1, Math.floor((PAGE_BOTTOM - this.y + 0.01) / face.leading));
      if (i + n < total && total - (i + n) === 1 && n >= 3) n -= 1; // no widow
      for (const line of lines.slice(i, i + n)) {
        if (i === 0 && firstLine) firstLine();
        this.drawLine(line, face, x);
        i++;
      }
      if (i < total) this.newPage();
    }
    this.close(face);
  }

  heading(runs: Run[], level: HeadingLevel, next: Block | undefined): void {
    const face = HEADINGS[level];
    // Keep a heading with the first two lines of what follows it.
    const keep = next ? Math.max(face.after, BODY.before) + 2 * BODY.leading : 0;
    this.flow(this.lines(runs, face.size, TEXT_WIDTH, true), face, MARGIN.left, undefined, keep);
  }

  paragraph(runs: Run[]): void {
    this.flow(this.lines(runs, BODY.size, TEXT_WIDTH), BODY, MARGIN.left);
  }

  list(block: Extract<Block, { type: 'list' }>): void {
    const first = block.start ?? 1;
    const markers = block.items.map((_, i) => (block.ordered ? `${first + i}.` : '\u2022'));
    const markerWidth = Math.max(...markers.map((m) => this.width('regular', BODY.size, m)));
    const indent = Math.max(17, Math.ceil(markerWidth) + 7);
    block.items.forEach((item, i) => {
      const face: Face = { ...BODY, before: i === 0 ? BODY.before : ITEM_GAP, after: i === block.items.length - 1 ? BODY.after : ITEM_GAP };
      const marker = markers[i]!;
      const mw = this.width('regular', BODY.size, marker);
      // Numbers right-aligned against the text, bullets set a little in from the margin.
      const mx = block.ordered ? MARGIN.left + indent - 6 - mw : MARGIN.left + 3;
      this.flow(this.lines(item, BODY.size, TEXT_WIDTH - indent), face, MARGIN.left + indent, () =>
        this.drawWords([{ pieces: [{ font: 'regular', text: marker }], width: mw, space: null }], face, mx),
      );
    });
  }

  rule(): void {
    if (!this.atTop && this.room(RULE_FACE) < RULE_FACE.leading + RULE_FACE.after + BODY.leading) this.newPage();
    this.open(RULE_FACE);
    this.doc.save().moveTo(MARGIN.left, this.y).lineTo(A4.width - MARGIN.right, this.y).lineWidth(0.5).strokeColor('#9a9a9a').stroke().restore();
    this.y += RULE_FACE.leading;
    this.close(RULE_FACE);
  }

  /** "Pagina 1 van 2" centred in the bottom margin of every page, when there is more than one. */
  pageNumbers(language: 'nl' | 'en'): void {
    const { start, count } = this.doc.bufferedPageRange();
    if (count < 2) return;
    for (let i = 0; i < count; i++) {
      this.doc.switchToPage(start + i);
      const label = language === 'nl' ? `Pagina ${i + 1} van ${count}` : `Page ${i + 1} of ${count}`;
      const w = this.width('regular', FOOTER_SIZE, label);
      this.doc
        .font('regular')
        .fontSize(FOOTER_SIZE)
        .fillColor(GREY)
        .text(label, (A4.width - w) / 2, A4.height - MARGIN.bottom / 2, { lineBreak: false, baseline: 'alphabetic' });
    }
  }
}

/** Refuse text the embedded font cannot show, naming the first such character. */
function checkGlyphs(doc: Doc, blocks: Block[]): void {
  const fonts = new Map<FontKey, { hasGlyphForCodePoint(cp: number): boolean }>();
  // pdfkit keeps the fontkit font of the current font on a private field; it is the one place to ask.
  const fontkitFont = (key: FontKey) => {
    let f = fonts.get(key);
    if (!f) {
      doc.font(key);
      f = (doc as unknown as { _font: { font: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
      fonts.set(key, f);
    }
    return f;
  };
  const check = (runs: Run[], bold: boolean) => {
    for (const run of runs) {
      if (run.break) continue;
      const font = fontkitFont(fontOf(bold || !!run.bold, !!run.italic));
      for (const ch of run.text.replace(INVISIBLE, '')) {
        const cp = ch.codePointAt(0)!;
        if (/\s/u.test(ch) || font.hasGlyphForCodePoint(cp)) continue;
        const hex = cp.toString(16).toUpperCase().padStart(4, '0');
        throw new UsageError(
          `the PDF font cannot print the character "${ch}" (U+${hex})`,
          'write the letter as .docx or .html instead, or leave the character out',
        );
      }
    }
  };
  for (const b of blocks) {
    if (b.type === 'heading') check(b.runs, true);
    else if (b.type === 'paragraph') check(b.runs, false);
    else if (b.type === 'list') for (const item of b.items) check(item, false);
  }
}

export async function writePdf(input: Block[], meta: DocumentMeta): Promise<Uint8Array> {
  const blocks = tidyBlocks(input);
  const [{ default: PDFDocument }, fonts] = await Promise.all([import('pdfkit'), loadFonts()]);
  const info: PDFKit.DocumentInfo = {
    Title: meta.title,
    Author: meta.author,
    Creator: 'schuilnaam',
    Producer: 'schuilnaam',
    CreationDate: meta.created ?? new Date(),
  };
  if (meta.subject) info.Subject = meta.subject;
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margins: MARGIN,
    info,
    lang: meta.language === 'nl' ? 'nl-NL' : 'en-GB',
    displayTitle: true,
    bufferPages: true,
    autoFirstPage: true,
  });
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  for (const key of Object.keys(fonts) as FontKey[]) doc.registerFont(key, fonts[key] as unknown as Buffer);

  try {
    checkGlyphs(doc, blocks);
    const t = new Typesetter(doc);
    blocks.forEach((block, i) => {
      switch (block.type) {
        case 'heading':
          t.heading(block.runs, block.level, blocks[i + 1]);
          break;
        case 'paragraph':
          t.paragraph(block.runs);
          break;
        case 'list':
          t.list(block);
          break;
        case 'rule':
          t.rule();
          break;
      }
    });
    t.pageNumbers(meta.language);
  } finally {
    doc.end();
  }
  await done;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
