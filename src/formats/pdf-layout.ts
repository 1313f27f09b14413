// Lines and words of a PDF page from where its glyphs land, not from the
// order they were drawn in: a tool can draw a surname before the first name,
// or the letters of a word right to left, or each letter with its own
// position; a reader sees the name all the same, and so does pdftotext.
//
// Glyphs are grouped by baseline direction, sorted top to bottom and left to
// right along that baseline, put on one line when their baselines lie within
// half a font size of each other, and joined into words by the gaps between
// them. What counts as a gap between words is measured against the spacing of
// the letters around it: letter-spaced text (character spacing, kerning)
// has wide gaps between its letters and wider ones between its words.

export interface PlacedGlyph {
  text: string;
  /** Origin on the baseline, in page space (points, y up). */
  x: number;
  y: number;
  /** Unit vector along the baseline (1,0 for upright text). */
  dx: number;
  dy: number;
  /** Width of the glyph itself along the baseline, without character or word spacing. */
  width: number;
  /** Font size as drawn, in points. */
  size: number;
}

interface Placed {
  text: string;
  /** Position along the baseline direction. */
  u: number;
  /** Position across it (up is positive). */
  v: number;
  width: number;
  size: number;
}

/** A gap wider than this (in font sizes) beyond the letter spacing around it separates words. */
const WORD_GAP = 0.15;
/** Baselines closer than this (in font sizes) are one line (superscripts, subscripts, jitter). */
const SAME_LINE = 0.5;
/** Gaps on each side of a gap that set its local letter spacing. */
const WINDOW = 3;

function words(line: Placed[]): string {
  const n = line.length;
  if (n === 0) return '';
  const gaps: number[] = [];
  for (let i = 0; i + 1 < n; i++) gaps.push(line[i + 1]!.u - (line[i]!.u + line[i]!.width));
  let out = line[0]!.text;
  for (let i = 0; i + 1 < n; i++) {
    const size = Math.max(line[i]!.size, line[i + 1]!.size, 0.01);
    const gap = gaps[i]!;
    let isBreak = false;
    if (gap > WORD_GAP * size) {
      // The letter spacing here: the lower quartile of the nearby gaps, up to
      // the next gap wider than this one on each side (the word beyond a
      // wider gap may be set differently). In ordinary text that is 0; in
      // letter-spaced text it is the spacing.
      const near: number[] = [];
      const limit = gap + 0.01 * size; // equal spacing, give or take rounding
      for (let j = i - 1; j >= Math.max(0, i - WINDOW) && gaps[j]! <= limit; j--) near.push(gaps[j]!);
      for (let j = i + 1; j <= Math.min(gaps.length - 1, i + WINDOW) && gaps[j]! <= limit; j++) near.push(gaps[j]!);
      near.sort((a, b) => a - b);
      const quartile = near.length > 0 ? near[Math.floor(near.length / 4)]! : 0;
      const letterSpacing = Math.min(Math.max(quartile, 0), 2 * size);
      isBreak = gap > letterSpacing + WORD_GAP * size;
    }
    out += (isBreak ? ' ' : '') + line[i + 1]!.text;
  }
  return out;
}

function placed(glyphs: readonly PlacedGlyph[]): Placed[] {
  return glyphs.map((g) => ({
    text: g.text,
    u: g.x * g.dx + g.y * g.dy,
    v: -g.x * g.dy + g.y * g.dx,
    width: g.width,
    size: g.size,
  }));
}

/** Drops a glyph drawn again over itself (a tool's fake bold), which would read "JJaann". */
function dropOverprints(line: Placed[]): Placed[] {
  const out: Placed[] = [];
  for (const g of line) {
    let dup = false;
    for (let j = out.length - 1; j >= 0 && g.u - out[j]!.u < 0.2 * g.size; j--) {
      const o = out[j]!;
      if (o.text === g.text && Math.abs(o.u - g.u) < 0.2 * g.size && Math.abs(o.v - g.v) < 0.2 * g.size) {
        dup = true;
        break;
      }
    }
    if (!dup) out.push(g);
  }
  return out;
}

function directionKey(g: PlacedGlyph): number {
  return Math.round((Math.atan2(g.dy, g.dx) * 180) / Math.PI) % 360;
}

/** The page's lines as a reader sees them: by position, whatever the drawing order. */
export function layoutByPosition(glyphs: readonly PlacedGlyph[]): string[] {
  const byDirection = new Map<number, PlacedGlyph[]>();
  for (const g of glyphs) {
    if (g.text.trim() === '') continue; // spaces count only through the gap they leave
    const key = directionKey(g);
    const list = byDirection.get(key) ?? [];
    list.push(g);
    byDirection.set(key, list);
  }
  // Upright text first, then other directions in a fixed order.
  const keys = [...byDirection.keys()].sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : a - b));
  const lines: string[] = [];
  for (const key of keys) {
    const items = placed(byDirection.get(key)!).sort((a, b) => b.v - a.v || a.u - b.u);
    let current: Placed[] = [];
    let top = 0;
    let size = 0;
    const flush = () => {
      if (current.length === 0) return;
      lines.push(words(dropOverprints(current.sort((a, b) => a.u - b.u))));
      current = [];
    };
    for (const p of items) {
      if (current.length > 0 && top - p.v > SAME_LINE * Math.max(size, p.size, 0.01)) flush();
      if (current.length === 0) {
        top = p.v;
        size = p.size;
      }
      current.push(p);
    }
    flush();
  }
  return lines;
}

/**
 * The page's lines in drawing order: a new line where the baseline moves.
 * Kept as a second reading because two columns read across by position, so
 * a name broken over two lines of one column is only whole in drawing order.
 */
export function layoutByDrawingOrder(glyphs: readonly PlacedGlyph[]): string[] {
  const lines: string[] = [];
  let current: Placed[] = [];
  let last: { key: number; v: number; size: number } | null = null;
  const flush = () => {
    if (current.length > 0) lines.push(words(current));
    current = [];
  };
  for (const g of glyphs) {
    if (g.text.trim() === '') continue;
    const key = directionKey(g);
    const [p] = placed([g]);
    if (last && (key !== last.key || Math.abs(p!.v - last.v) > SAME_LINE * Math.max(last.size, p!.size, 0.01))) flush();
    const prev = current[current.length - 1];
    if (prev && p!.u < prev.u + prev.width - 0.5 * p!.size) {
      // Drawn to the left of where the last glyph ended: a new word, not a continuation.
      lines.push(words(current));
      current = [];
    }
    current.push(p!);
    last = { key, v: p!.v, size: p!.size };
  }
  flush();
  return lines;
}
