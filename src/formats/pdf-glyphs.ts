// Where every glyph of a PDF page lands, from pdf.js' operator list. pdf.js'
// own text extraction (getTextContent) is not used: it turns letter spacing
// (Tc) and kerning gaps into spaces ("J a n"), keeps glyphs in drawing order
// (so a name drawn back to front reads back to front), and silently drops
// text placed outside the page. This follows the text state the way a PDF
// viewer does and hands every glyph to the layout step (pdf-layout.ts) with
// its position, size and whether anyone can see it.

import type { PlacedGlyph } from './pdf-layout.js';
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PageProxy = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;
type OperatorList = Awaited<ReturnType<PageProxy['getOperatorList']>>;

/** Why nobody sees a glyph on the page, if nobody does. */
export type Hidden = 'off-page' | 'invisible' | null;

/** A glyph placed on the page (pdf-layout.ts), and whether anyone can see it. */
export interface Glyph extends PlacedGlyph {
  hidden: Hidden;
}

type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 applied first, then m2 (PDF's row-vector convention). */
function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0]! * m2[0]! + m1[1]! * m2[2]!,
    m1[0]! * m2[1]! + m1[1]! * m2[3]!,
    m1[2]! * m2[0]! + m1[3]! * m2[2]!,
    m1[2]! * m2[1]! + m1[3]! * m2[3]!,
    m1[4]! * m2[0]! + m1[5]! * m2[2]! + m2[4]!,
    m1[4]! * m2[1]! + m1[5]! * m2[3]! + m2[5]!,
  ];
}

function asMatrix(value: unknown): Matrix | null {
  if (!value || typeof value !== 'object' || !('length' in value) || (value as ArrayLike<unknown>).length !== 6) return null;
  const m = Array.from(value as ArrayLike<unknown>, Number) as Matrix;
  return m.every(Number.isFinite) ? m : null;
}

interface GraphicsState {
  ctm: Matrix;
  font: string | null;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  renderMode: number;
  fill: string;
}

interface PdfGlyph {
  unicode?: string;
  width?: number;
  originalCharCode?: number;
  isSpace?: boolean;
  vmetric?: number[];
}

/** Below this drawn size (points) text is too small to read: counted as hidden. */
const UNREADABLE_SIZE = 1;

/** Fill colours that pdf.js reports as hex; white text on a white page is invisible. */
const WHITE = /^#f[a-f0-9]f[a-f0-9]f[a-f0-9]$/iu;

/**
 * The glyphs of one page in drawing order. `view` is the visible page
 * (pdf.js' page.view: the crop box within the media box); a glyph whose box
 * lies wholly outside it is marked off-page. A glyph drawn in an invisible
 * render mode (3, 7), in white, or smaller than 1 pt is marked invisible.
 */
export function pageGlyphs(pdfjs: PdfJs, page: PageProxy, ops: OperatorList): Glyph[] {
  const OPS = pdfjs.OPS;
  const view = page.view; // [x1, y1, x2, y2]
  const fontInfo = new Map<string, { matrix: number[]; vertical: boolean }>();
  const fontOf = (name: string | null) => {
    if (!name) return { matrix: [0.001, 0, 0, 0.001, 0, 0], vertical: false };
    let info = fontInfo.get(name);
    if (!info) {
      type FontData = { fontMatrix?: number[]; vertical?: boolean } | null;
      let font: FontData;
      try {
        font = page.commonObjs.has(name) ? (page.commonObjs.get(name) as FontData) : null;
      } catch {
        font = null; // not resolved: the usual 1/1000 glyph space
      }
      info = { matrix: font?.fontMatrix ?? [0.001, 0, 0, 0.001, 0, 0], vertical: Boolean(font?.vertical) };
      fontInfo.set(name, info);
    }
    return info;
  };

  const glyphs: Glyph[] = [];
  const stack: GraphicsState[] = [];
  let gs: GraphicsState = {
    ctm: IDENTITY,
    font: null,
    fontSize: 0,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    leading: 0,
    rise: 0,
    renderMode: 0,
    fill: '#000000',
  };
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  const moveLine = (tx: number, ty: number) => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };

  const show = (items: unknown[]) => {
    const font = fontOf(gs.font);
    const fs = gs.fontSize;
    const th = gs.hScale;
    for (const item of items) {
      if (typeof item === 'number') {
        // A TJ number moves the pen left by thousandths of the font size.
        if (font.vertical) tm = multiply([1, 0, 0, 1, 0, (-item / 1000) * fs], tm);
        else tm = multiply([1, 0, 0, 1, (-item / 1000) * fs * th, 0], tm);
        continue;
      }
      if (!item || typeof item !== 'object') continue;
      const g = item as PdfGlyph;
      const w0 = (g.width ?? 0) * (font.matrix[0] ?? 0.001);
      const spacing = gs.charSpacing + (g.originalCharCode === 0x20 ? gs.wordSpacing : 0);
      const trm = multiply(multiply([fs * th, 0, 0, fs, 0, gs.rise], tm), gs.ctm);
      const advance = w0; // in text space units of one font size
      const bx = trm[0] * advance;
      const by = trm[1] * advance;
      const len = Math.hypot(bx, by);
      const size = Math.hypot(trm[2], trm[3]);
      // Ligatures and compatibility forms as letters ("ﬁ" as "fi"), as pdf.js' text extraction does.
      const unicode = typeof g.unicode === 'string' ? g.unicode.normalize('NFKC') : '';
      if (unicode !== '') {
        const base = Math.hypot(trm[0], trm[1]) || 1;
        const dx = len > 0 ? bx / len : trm[0] / base;
        const dy = len > 0 ? by / len : trm[1] / base;
        const x = trm[4];
        const y = trm[5];
        let hidden: Hidden = null;
        const minX = Math.min(x, x + bx, x + trm[2], x + bx + trm[2]);
        const maxX = Math.max(x, x + bx, x + trm[2], x + bx + trm[2]);
        const minY = Math.min(y, y + by, y + trm[3], y + by + trm[3]);
        const maxY = Math.max(y, y + by, y + trm[3], y + by + trm[3]);
        if (maxX < view[0]! || minX > view[2]! || maxY < view[1]! || minY > view[3]!) hidden = 'off-page';
        else if (gs.renderMode === 3 || gs.renderMode === 7 || WHITE.test(gs.fill) || size < UNREADABLE_SIZE) hidden = 'invisible';
        glyphs.push({ text: unicode, x, y, dx, dy, width: len, size, hidden });
      }
      if (font.vertical) {
        const vAdvance = g.vmetric ? g.vmetric[0]! * (font.matrix[0] ?? 0.001) : -w0;
        tm = multiply([1, 0, 0, 1, 0, vAdvance * fs - spacing], tm);
      } else {
        tm = multiply([1, 0, 0, 1, (w0 * fs + spacing) * th, 0], tm);
      }
    }
  };

  const { fnArray, argsArray } = ops;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    switch (fn) {
      case OPS.save:
        stack.push({ ...gs });
        break;
      case OPS.restore:
        if (stack.length > 0) gs = stack.pop()!;
        break;
      case OPS.transform: {
        const m = asMatrix(args);
        if (m) gs.ctm = multiply(m, gs.ctm);
        break;
      }
      case OPS.paintFormXObjectBegin: {
        stack.push({ ...gs });
        const m = asMatrix(args[0]);
        if (m) gs.ctm = multiply(m, gs.ctm);
        break;
      }
      case OPS.paintFormXObjectEnd:
        if (stack.length > 0) gs = stack.pop()!;
        break;
      case OPS.beginText:
        tm = IDENTITY;
        tlm = IDENTITY;
        break;
      case OPS.setFont:
        gs.font = typeof args[0] === 'string' ? args[0] : null;
        gs.fontSize = Number(args[1]) || 0;
        break;
      case OPS.setGState:
        for (const entry of (args[0] ?? []) as unknown[]) {
          if (!Array.isArray(entry)) continue;
          if (entry[0] === 'Font' && Array.isArray(entry[1])) {
            gs.font = typeof entry[1][0] === 'string' ? entry[1][0] : null;
            gs.fontSize = Number(entry[1][1]) || 0;
          }
        }
        break;
      case OPS.setCharSpacing:
        gs.charSpacing = Number(args[0]) || 0;
        break;
      case OPS.setWordSpacing:
        gs.wordSpacing = Number(args[0]) || 0;
        break;
      case OPS.setHScale:
        gs.hScale = (Number(args[0]) || 0) / 100;
        break;
      case OPS.setLeading:
        gs.leading = Number(args[0]) || 0;
        break;
      case OPS.setTextRise:
        gs.rise = Number(args[0]) || 0;
        break;
      case OPS.setTextRenderingMode:
        gs.renderMode = Number(args[0]) || 0;
        break;
      case OPS.setFillRGBColor:
        gs.fill = typeof args[0] === 'string' ? args[0] : '#000000';
        break;
      case OPS.setFillColorN:
      case OPS.setFillTransparent:
        gs.fill = '#000000'; // a pattern or a colour pdf.js could not resolve: assume visible
        break;
      case OPS.moveText:
        moveLine(Number(args[0]) || 0, Number(args[1]) || 0);
        break;
      case OPS.setLeadingMoveText:
        gs.leading = -(Number(args[1]) || 0);
        moveLine(Number(args[0]) || 0, Number(args[1]) || 0);
        break;
      case OPS.nextLine:
        moveLine(0, -gs.leading);
        break;
      case OPS.setTextMatrix: {
        const m = asMatrix(args[0]) ?? asMatrix(args);
        if (m) {
          tm = m;
          tlm = m;
        }
        break;
      }
      case OPS.showText:
        if (Array.isArray(args[0])) show(args[0] as unknown[]);
        break;
      default:
        break;
    }
  }
  return glyphs;
}
