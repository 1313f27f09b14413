// PDFs built the way a hostile or careless tool writes them: raw content-stream
// operators (letter spacing, per-glyph kerning, glyphs drawn out of order,
// /ActualText spans, text off the page or invisible), in Helvetica (a standard
// font, WinAnsi encoding). pdf-lib only assembles the file; every operator on
// a page is written here by hand, so a test says exactly what the PDF does.
import { PDFDocument, PDFName, StandardFonts, type PDFFont } from 'pdf-lib';

export interface PageSpec {
  /** Content stream; `/F1` is Helvetica. */
  content: string;
  /** Deflate the content stream (as most tools do). */
  compress?: boolean;
  mediaBox?: [number, number, number, number];
  cropBox?: [number, number, number, number];
}

export interface Kit {
  /** A PDF literal string for `text`, in WinAnsi (Latin-1 letters as octal escapes). */
  lit(text: string): string;
  /** A hex string <FEFF…> (UTF-16BE), as tools write ActualText. */
  utf16(text: string): string;
  /** Width of `text` in Helvetica at `size` points. */
  width(text: string, size: number): number;
}

export function lit(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || code > 0x7e) {
      if (code > 0xff) throw new Error(`hostile-pdf: ${ch} is not in WinAnsi's Latin-1 range`);
      out += `\\${code.toString(8).padStart(3, '0')}`;
    } else out += ch;
  }
  return `${out})`;
}

export function utf16(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** Builds a PDF whose pages are the content streams `build` returns. */
export async function hostilePdf(build: (kit: Kit) => (PageSpec | string)[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font: PDFFont = await doc.embedFont(StandardFonts.Helvetica);
  const kit: Kit = { lit, utf16, width: (text, size) => font.widthOfTextAtSize(text, size) };
  for (const spec of build(kit).map((p) => (typeof p === 'string' ? { content: p } : p))) {
    const box = spec.mediaBox ?? [0, 0, 595, 842];
    const page = doc.addPage([box[2] - box[0], box[3] - box[1]]);
    page.setMediaBox(box[0], box[1], box[2] - box[0], box[3] - box[1]);
    if (spec.cropBox) page.setCropBox(spec.cropBox[0], spec.cropBox[1], spec.cropBox[2] - spec.cropBox[0], spec.cropBox[3] - spec.cropBox[1]);
    const key = page.node.newFontDictionary('F1', font.ref);
    const content = spec.content.replaceAll('/F1 ', `${key.asString()} `);
    const stream = spec.compress ? doc.context.flateStream(content) : doc.context.stream(content);
    page.node.set(PDFName.of('Contents'), doc.context.register(stream));
  }
  return doc.save({ useObjectStreams: false });
}

/** Where each glyph of `text` sits when set normally from x, in Helvetica at `size`. */
export function glyphPositions(kit: Kit, text: string, x: number, size: number): { ch: string; x: number }[] {
  const out: { ch: string; x: number }[] = [];
  let pen = x;
  for (const ch of text) {
    out.push({ ch, x: pen });
    pen += kit.width(ch, size);
  }
  return out;
}

/** A small seeded generator, so a "random" drawing order is the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `items` in an order drawn from `random` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Draws each glyph of `text` (set normally from x,y) with its own text matrix, in the order `order` gives. */
export function glyphByGlyph(kit: Kit, text: string, x: number, y: number, size: number, order: (glyphs: { ch: string; x: number }[]) => { ch: string; x: number }[]): string {
  const glyphs = order(glyphPositions(kit, text, x, size).filter((g) => g.ch !== ' '));
  return `BT /F1 ${size} Tf ${glyphs.map((g) => `1 0 0 1 ${g.x.toFixed(3)} ${y} Tm ${lit(g.ch)} Tj`).join(' ')} ET`;
}
