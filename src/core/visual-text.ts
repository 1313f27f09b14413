// Text as a person sees it, for the leak matcher. A reader does not see a
// zero-width space or a bidi control, reads a Cyrillic "а" as an "a", a
// full-width "Ｊ" as a "J", "0６‑4１" as a phone number, "Verbee-⏎khoven" at a
// line end as one word and "K l a a s s e n" as a name. The scanner tokenises
// the "seen" text that this pass makes, and maps every offset back to the
// original, so findings still point at (and redaction still replaces) the
// text as it stands in the document. Pure: no I/O.
//
// Most text needs nothing here: a chunk of plain ASCII without a hyphen at a
// line end, letter spacing or a percent-escape is passed on as it is, after
// a few native string searches.
import { CONFUSABLES } from './confusables-table.js';

/** What kind of invisible character was removed, for reporting. */
export type HiddenKind = 'bidi' | 'tag' | 'zero-width';

export interface HiddenChar {
  kind: HiddenKind;
  /** Offset in the original text (of the whole feed, see VisualMap). */
  offset: number;
  code: number;
}

/**
 * A stretch of seen text and where it came from: `literal` stretches are the
 * original characters one for one; others replace orig[origStart, origEnd)
 * as a whole (a full-width letter, a confusable, a joined line end).
 */
interface Piece {
  seenStart: number;
  origStart: number;
  origEnd: number;
  literal: boolean;
}

export interface SeenText {
  text: string;
  /** null when the seen text is the original. */
  pieces: Piece[] | null;
  hidden: HiddenChar[];
}

// --- what each character becomes ------------------------------------------

/** Removed before matching; the kind is reported when set. */
function invisibleKind(cp: number): HiddenKind | null | undefined {
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if (cp === 0x200b || (cp >= 0x2060 && cp <= 0x2064) || cp === 0x180e || cp === 0xfeff) return 'zero-width';
  // Removed without a report: they are everyday in Word files (soft hyphens),
  // right-to-left text (marks), emoji (joiners, variation selectors).
  if (
    cp === 0x00ad || cp === 0x034f || cp === 0x061c || cp === 0x200c || cp === 0x200d || cp === 0x200e || cp === 0x200f ||
    (cp >= 0x206a && cp <= 0x206f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)
  ) {
    return null;
  }
  return undefined;
}

let confusables: Map<number, string> | undefined;
function confusableOf(cp: number): string | undefined {
  if (!confusables) {
    confusables = new Map();
    for (const entry of CONFUSABLES.split('|')) {
      const c = entry.codePointAt(0)!;
      confusables.set(c, entry.slice(c > 0xffff ? 2 : 1));
    }
  }
  return confusables.get(cp);
}

/** The ASCII value of a decimal digit of any script (Arabic-Indic ٠٦ reads as 06), or -1. */
function digitValue(cp: number): number {
  const isDigit = (c: number) => /\p{Nd}/u.test(String.fromCodePoint(c));
  if (!isDigit(cp)) return -1;
  // Decimal digits come in runs of ten, zero first (mathematical ones in runs of 50).
  let zero = cp;
  while (zero > 0 && isDigit(zero - 1) && cp - zero < 49) zero--;
  return (cp - zero) % 10;
}

const KEEP = '\u0000';
/** What a non-ASCII character becomes: KEEP, '' (removed) or its seen text. Memoised per character. */
const seenOf = new Map<number, string>();
function seenChar(cp: number): string {
  let s = seenOf.get(cp);
  if (s !== undefined) return s;
  s = computeSeen(cp);
  if (seenOf.size < 100_000) seenOf.set(cp, s);
  return s;
}

function computeSeen(cp: number): string {
  if (invisibleKind(cp) !== undefined) return '';
  const ch = String.fromCodePoint(cp);
  if (/\p{Pd}/u.test(ch) || cp === 0x2212 || cp === 0x02d7 || cp === 0x2043) return '-';
  if (/\p{Zs}/u.test(ch) || cp === 0x2028 || cp === 0x2029) return ' ';
  const d = digitValue(cp);
  if (d >= 0) return String(d);
  // Compatibility forms read as their plain letters: full-width, mathematical
  // alphanumerics, ligatures, circled digits; then a look-alike of another script.
  const nfkc = ch.normalize('NFKC');
  let out = '';
  let changed = nfkc !== ch;
  for (const c of nfkc) {
    const code = c.codePointAt(0)!;
    if (code < 0x80) {
      out += c;
      continue;
    }
    if (code !== cp) {
      const inner = seenChar(code);
      if (inner !== KEEP) {
        out += inner;
        changed = true;
        continue;
      }
    }
    const conf = confusableOf(code);
    if (conf !== undefined) {
      out += conf;
      changed = true;
    } else out += c;
  }
  return changed ? out : KEEP;
}

// --- patterns over several characters -----------------------------------------

/** A word broken at a line end: "Verbee-⏎khoven", "Verbee\u00ad⏎khoven" (the removed range is the hyphen up to the next letter). */
const LINE_END_HYPHEN = /(?<=[\p{L}\p{M}])([-\u00ad\u2010\u2011])[ \t\u00a0]*\r?\n[ \t\u00a0]*(?=(\p{L}))/gu;
/** Letter-spaced words: three or more single letters, each one space apart. */
const SPACED = /(?<![\p{L}\p{N}\p{M}.'’&-])\p{L}\p{M}*(?:[ \u00a0\u2000-\u200a\u202f\u205f]\p{L}\p{M}*){2,}(?![\p{L}\p{N}\p{M}'’])/gu;
const SPACE_IN_RUN = /[ \u00a0\u2000-\u200a\u202f\u205f]/gu;
/**
 * Emphasis marks inside a word ("Ja**nine**", "Ver~~bee~~k"): a reader reads
 * through them. An underscore inside a word is a separator ("jan_smit" is a
 * handle of two words), except where it closes emphasis opened at the
 * word's start ("_Ver_beek").
 */
const MARKS_IN_WORD = /(?<=[\p{L}\p{M}])[*~]+(?=\p{L})|(?<![\p{L}\p{N}_])_+(?=\p{L}+_+\p{L})|(?<=(?<![\p{L}\p{N}_])_+\p{L}+)_+(?=\p{L})/gu;
const MARKS_ASCII = /[A-Za-z][*_~]+[A-Za-z]/u;
const MARKS_ANY = /\p{L}[*_~]+\p{L}/u;
const NON_ASCII = /[^\x00-\x7f]/u;
const NON_ASCII_FROM = /[^\x00-\x7f]/gu;
const SPACED_ASCII = /[A-Za-z] [A-Za-z] [A-Za-z]/u;
const SPACED_ANY = /\p{L}[ \u00a0\u2000-\u200a\u202f\u205f]\p{L}[ \u00a0\u2000-\u200a\u202f\u205f]\p{L}/u;

/** A range of the original read as something else ('' to leave it out). */
interface Replace {
  start: number;
  end: number;
  text: string;
}

const HYPHEN_AT_LINE_END = /[-\u00ad\u2010\u2011][ \t\u00a0]*\r?\n/u;
/** A web or mail address with a percent-escape in it: "https://…?n=%4A%61nine". */
const URL_WITH_ESCAPE = /(?:\b[a-z][a-z0-9+.-]*:|\bwww\.)[^\s<>"'`]*%[0-9a-f]{2}[^\s<>"'`]*/giu;
const ESCAPE_RUN = /(?:%[0-9a-f]{2})+/giu;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The ranges of `s` that read as something else, sorted and not overlapping. */
function replacements(s: string, ascii: boolean): Replace[] {
  const out: Replace[] = [];
  if (HYPHEN_AT_LINE_END.test(s)) {
    for (const m of s.matchAll(LINE_END_HYPHEN)) {
      // A soft hyphen always marks a broken word; a visible hyphen only before a
      // small letter ("Jansen-⏎Smit" is a double surname, "Verbee-⏎khoven" one word).
      if (m[1] !== '\u00ad' && !/\p{Ll}/u.test(m[2]!)) continue;
      out.push({ start: m.index, end: m.index + m[0].length, text: '' });
    }
  }
  if (SPACED_ASCII.test(s) || (!ascii && SPACED_ANY.test(s))) {
    for (const m of s.matchAll(SPACED)) {
      for (const sp of m[0].matchAll(SPACE_IN_RUN)) out.push({ start: m.index + sp.index, end: m.index + sp.index + 1, text: '' });
    }
  }
  if ((s.includes('*') || s.includes('_') || s.includes('~')) && (MARKS_ASCII.test(s) || (!ascii && MARKS_ANY.test(s)))) {
    for (const m of s.matchAll(MARKS_IN_WORD)) out.push({ start: m.index, end: m.index + m[0].length, text: '' });
  }
  if (s.includes('%')) {
    for (const u of s.matchAll(URL_WITH_ESCAPE)) {
      for (const e of u[0].matchAll(ESCAPE_RUN)) {
        let text: string;
        try {
          text = utf8.decode(Buffer.from(e[0].replace(/%/gu, ''), 'hex'));
        } catch {
          continue; // not UTF-8: a reader sees the escapes as they are
        }
        out.push({ start: u.index + e.index, end: u.index + e.index + e[0].length, text: seenText(text).text });
      }
    }
  }
  out.sort((a, b) => a.start - b.start);
  // Overlaps (emphasis marks inside a URL) would break the map: keep the first.
  return out.filter((r, i) => i === 0 || r.start >= out[i - 1]!.end);
}

/** Does this text need the pass at all? Pure ASCII without the patterns does not. */
export function needsVisualPass(s: string): boolean {
  if (NON_ASCII.test(s)) return true;
  return replacements(s, true).length > 0;
}

/**
 * The seen text of `s`, with pieces mapping it back. `base` is added to
 * reported offsets of hidden characters.
 */
export function seenText(s: string, base = 0): SeenText {
  const ascii = !NON_ASCII.test(s);
  const cut = replacements(s, ascii);
  if (ascii && cut.length === 0) return { text: s, pieces: null, hidden: [] };
  const pieces: Piece[] = [];
  const hidden: HiddenChar[] = [];
  let out = '';
  let litFrom = 0; // start of the pending literal stretch in s
  let changed = false;
  const flushLiteral = (to: number) => {
    if (to > litFrom) {
      pieces.push({ seenStart: out.length, origStart: litFrom, origEnd: to, literal: true });
      out += s.slice(litFrom, to);
    }
  };
  let k = 0; // next removal range
  let flag = -1; // offset of a black flag U+1F3F4, whose tag characters are an emoji
  const n = s.length;
  for (let i = 0; i < n; ) {
    while (k < cut.length && cut[k]!.end <= i) k++;
    if (k < cut.length && cut[k]!.start <= i) {
      const r = cut[k]!;
      flushLiteral(i);
      for (let j = i; j < r.end; j++) {
        const c = s.codePointAt(j)!;
        const kind = invisibleKind(c);
        if (kind) hidden.push({ kind, offset: base + j, code: c });
      }
      if (r.text !== '') {
        pieces.push({ seenStart: out.length, origStart: i, origEnd: r.end, literal: false });
        out += r.text;
      }
      i = r.end;
      litFrom = i;
      changed = true;
      continue;
    }
    if (s.charCodeAt(i) < 0x80) {
      // Jump to the next non-ASCII character (a native search), or the next range.
      NON_ASCII_FROM.lastIndex = i;
      const next = NON_ASCII_FROM.exec(s)?.index ?? n;
      i = k < cut.length ? Math.min(next, cut[k]!.start) : next;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    if (cp === 0x1f3f4) flag = i + len;
    const seen = seenChar(cp);
    if (seen !== KEEP) {
      flushLiteral(i);
      if (seen === '') {
        const kind = invisibleKind(cp);
        if (kind && !(kind === 'tag' && flag === i)) hidden.push({ kind, offset: base + i, code: cp });
        if (kind === 'tag' && flag === i) flag = i + len;
      } else {
        pieces.push({ seenStart: out.length, origStart: i, origEnd: i + len, literal: false });
        out += seen;
      }
      changed = true;
      litFrom = i + len;
    }
    i += len;
  }
  if (!changed) return { text: s, pieces: null, hidden };
  flushLiteral(n);
  return { text: out, pieces, hidden };
}

function pieceAt(pieces: Piece[], seen: number): Piece | undefined {
  let lo = 0;
  let hi = pieces.length - 1;
  if (hi < 0 || seen < pieces[0]!.seenStart) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.seenStart <= seen) lo = mid;
    else hi = mid - 1;
  }
  return pieces[lo];
}

/** The original offset where the seen character at `seen` begins. */
export function origStart(t: SeenText, seen: number): number {
  if (!t.pieces) return seen;
  const p = pieceAt(t.pieces, seen);
  if (!p) return 0;
  if (seen >= p.seenStart + (p.literal ? p.origEnd - p.origStart : Infinity)) return p.origEnd;
  return p.literal ? p.origStart + (seen - p.seenStart) : p.origStart;
}

/** The original offset where the seen text up to `seenEnd` ends. */
export function origEnd(t: SeenText, seenEnd: number): number {
  if (!t.pieces) return seenEnd;
  if (seenEnd <= 0) return origStart(t, 0);
  const p = pieceAt(t.pieces, seenEnd - 1);
  if (!p) return 0;
  return p.literal ? p.origStart + (seenEnd - p.seenStart) : p.origEnd;
}

/** The seen text of a short string, without offsets (for names put into the index). */
export function seen(s: string): string {
  return seenText(s).text;
}

interface Chunk {
  seenBase: number;
  origBase: number;
  t: SeenText;
}

/**
 * The seen text of text fed in chunks, and the way back: offsets in the
 * concatenated seen text to offsets in the concatenated original, for the
 * last few chunks (a match never reaches further back than the one before).
 */
export class VisualMap {
  private chunks: Chunk[] = [];
  private seenLength = 0;
  private origLength = 0;
  /** Some chunk so far was not its own seen text: lines and columns must come from the original. */
  transformed = false;
  readonly hidden: HiddenChar[] = [];

  push(orig: string): string {
    const t = seenText(orig, this.origLength);
    if (t.pieces) this.transformed = true;
    for (const h of t.hidden) this.hidden.push(h);
    this.chunks.push({ seenBase: this.seenLength, origBase: this.origLength, t });
    if (this.chunks.length > 3) this.chunks.shift();
    this.seenLength += t.text.length;
    this.origLength += orig.length;
    return t.text;
  }

  private chunkOf(seen: number, end: boolean): Chunk {
    for (let k = this.chunks.length - 1; k >= 0; k--) {
      const c = this.chunks[k]!;
      if (end ? c.seenBase < seen || k === 0 : c.seenBase <= seen) return c;
    }
    throw new Error(`offset ${seen} is no longer mapped`);
  }

  toOrigStart(seen: number): number {
    const c = this.chunkOf(seen, false);
    return c.origBase + origStart(c.t, seen - c.seenBase);
  }

  toOrigEnd(seen: number): number {
    const c = this.chunkOf(seen, true);
    return c.origBase + origEnd(c.t, seen - c.seenBase);
  }
}

/** A visible stand-in for an invisible character, for showing where it sits: "⟨U+202E⟩". */
export function showInvisible(text: string): string {
  return text.replace(/[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

const NAMES: Record<number, string> = {
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x200b: 'zero-width space',
  0x2060: 'word joiner',
  0xfeff: 'zero-width no-break space',
  0x180e: 'mongolian vowel separator',
};

/** "U+202E (right-to-left override)". */
export function describeChar(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[code] ?? (code >= 0xe0000 && code <= 0xe007f ? 'tag character' : 'invisible character');
  return `U+${hex} (${name})`;
}
