// The leak gate: runs document segments through the tokenizer and matcher
// against the leak-scan index, and through the e-mail/phone finder. Works
// from keyed hashes alone, so it needs no key that can decrypt a real name.
import type { Confidence, FindingKind } from '../core/leak-forms.js';
import { isValueKind, Matcher, wordResolver, type LeakIndex, type Match } from '../core/leak-match.js';
import { TextFeed, Tokenizer, WordTable } from '../core/leak-tokens.js';
import { findValues } from '../core/leak-values.js';
import { describeChar, seen, showInvisible, VisualMap, type HiddenKind } from '../core/visual-text.js';
import type { TextSegment } from '../formats/segments.js';
import type { ScanIndex } from './scan-index.js';

export interface Finding {
  kind: FindingKind;
  confidence: Confidence;
  text: string;
  location: string;
  line: number | null;
  column: number | null;
  worker: string | null;
  /** True when `worker` has been offboarded: the name of a former worker (their keyed hashes stay in the index). */
  former?: boolean;
  /** The line the finding sits on (trimmed), for human output; not in --json. */
  context?: { before: string; match: string; after: string };
  /** Offsets in the segment's text (for redaction); not in --json. */
  span?: { start: number; end: number };
}

/**
 * A copy of a short string that does not share memory with the text it was cut
 * from: a slice would keep the whole chunk alive as long as the finding lives.
 */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

const BIDI = /[\u202a-\u202e\u2066-\u2069\u{e0000}-\u{e007f}]/gu;

/**
 * Bidi controls and tag characters as codes ("⟨U+202E⟩"): printed as they are,
 * in a terminal or a report, they would reorder or hide the text around them.
 */
function showControls(t: string): string {
  return t.replace(BIDI, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase()}⟩`);
}
// Values starting this close to the end of a chunk are looked at with the next
// one: longer than any value we look for (an e-mail address has at most 100
// characters, a phone number as written far fewer), so a value starting
// before it is whole in the chunk.
const OVERLAP = 128;
const CONTEXT = 60;
/** Findings kept in full per segment; beyond that they are only counted, so memory stays flat on huge inputs. */
export const MAX_FINDINGS = 1000;

/**
 * The last two chunks of text: enough to cut out any match. Kept as two
 * strings rather than one joined string, so no chunk is copied to join it.
 */
class Window {
  private prev = '';
  private cur = '';
  start = 0; // offset of the first character kept
  private line = 1; // line and column of that character
  private column = 1;

  /** Adds the chunk read at `pos`; the chunk before it is kept, older text dropped. */
  push(chunk: string, pos: { offset: number; line: number; column: number }): void {
    if (this.cur === '') {
      this.start = pos.offset;
      this.line = pos.line;
      this.column = pos.column;
    } else {
      const dropped = this.prev;
      if (dropped !== '') {
        let lines = 0;
        let nl = -1;
        for (let i = dropped.indexOf('\n'); i !== -1; i = dropped.indexOf('\n', i + 1)) {
          lines++;
          nl = i;
        }
        this.line += lines;
        this.column = nl === -1 ? this.column + dropped.length : dropped.length - nl;
        this.start += dropped.length;
      }
      this.prev = this.cur;
    }
    this.cur = chunk;
    this.newlines = [this.newlines[1], null];
  }

  /** Offset just past the last character kept. */
  get end(): number {
    return this.start + this.prev.length + this.cur.length;
  }

  slice(start: number, end: number): string {
    const a = start - this.start;
    const b = end - this.start;
    const p = this.prev.length;
    if (a >= p) return this.cur.slice(a - p, b - p);
    if (b <= p) return this.prev.slice(a, b);
    return this.prev.slice(a) + this.cur.slice(0, b - p);
  }

  /** Newline offsets of prev and cur, worked out when first asked for. */
  private newlines: [number[] | null, number[] | null] = [null, null];

  private newlinesOf(k: 0 | 1): number[] {
    let list = this.newlines[k];
    if (!list) {
      const t = k === 0 ? this.prev : this.cur;
      list = [];
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) list.push(i);
      this.newlines[k] = list;
    }
    return list;
  }

  /** Line and column (counted in characters, as the tokenizer counts them) of an offset in the window. */
  positionOf(offset: number): { line: number; column: number } {
    let a = offset - this.start;
    let line = this.line;
    let lineStart = -1; // offset in `text` where the line starts, or -1: it started before the window
    let text = this.prev;
    if (a > this.prev.length || (a === this.prev.length && this.cur !== '')) {
      line += this.newlinesOf(0).length;
      const nl = this.newlinesOf(0);
      const carry = nl.length > 0 ? this.prev.length - nl[nl.length - 1]! - 1 : -1; // characters of the line before cur
      a -= this.prev.length;
      text = this.cur;
      const list = this.newlinesOf(1);
      const before = countBelow(list, a);
      line += before;
      if (before > 0) lineStart = list[before - 1]! + 1;
      else if (carry >= 0) return { line, column: codePoints(this.prev, this.prev.length - carry, this.prev.length) + codePoints(text, 0, a) + 1 };
      else return { line, column: this.column + codePoints(this.prev, 0, this.prev.length) + codePoints(text, 0, a) };
    } else {
      const list = this.newlinesOf(0);
      const before = countBelow(list, a);
      line += before;
      if (before > 0) lineStart = list[before - 1]! + 1;
    }
    if (lineStart === -1) return { line, column: this.column + codePoints(text, 0, a) };
    return { line, column: codePoints(text, lineStart, a) + 1 };
  }

  context(start: number, end: number): { before: string; match: string; after: string } {
    // Look no further than the context we show: a text without line breaks must not make this O(n).
    const from = Math.max(this.start, start - CONTEXT);
    const head = this.slice(from, start);
    const lineStart = from + head.lastIndexOf('\n') + 1;
    const ahead = this.slice(end, end + CONTEXT);
    const nl = ahead.indexOf('\n');
    // A bidi control printed to a terminal would reorder the line shown: show it as a code instead.
    const clean = (t: string) => detach(showControls(t.replace(/\s+/gu, ' ')));
    return {
      before: clean(this.slice(lineStart, start)),
      match: clean(this.slice(start, end)),
      after: clean(nl === -1 ? ahead : ahead.slice(0, nl)),
    };
  }
}

/** How many entries of a sorted list are below `x`. */
function countBelow(list: number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Characters (code points) in t[from, to). */
function codePoints(t: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) n--;
  }
  return n;
}

/** What a finding says, whatever markup or spacing is in it: "Ja**n** de Vries" and "Jan de Vries" are one. */
function findingKey(f: Finding): string {
  const text = seen(f.text).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}@]+/gu, '');
  return `${f.kind}\u001f${f.worker ?? ''}\u001f${text}`;
}

const MIN_CHUNK = 64 * 1024;

/**
 * Whether the line ending at `nl` ends in a hyphen, however many blanks follow
 * it (as visual-text.ts joins such a line with the next).
 */
function endsInHyphen(text: string, nl: number): boolean {
  let i = nl;
  if (text.charCodeAt(i - 1) === 0x0d) i--;
  while (i > 0 && /[ \t\u00a0]/u.test(text[i - 1]!)) i--;
  return i > 0 && /[-\u00ad\u2010\u2011]/u.test(text[i - 1]!);
}

/**
 * The segment's text in chunks of at least 64 KiB (small pipe reads are
 * joined), so a match never reaches back further than the previous chunk.
 */
async function* chunksOf(text: TextSegment['text']): AsyncIterable<string> {
  if (typeof text === 'string') {
    yield text;
    return;
  }
  let buffered = '';
  for await (const chunk of text) {
    buffered += chunk;
    if (buffered.length >= MIN_CHUNK) {
      // A chunk never ends between the two halves of a character, so the
      // window and the tokenizer count the same characters.
      const last = buffered.charCodeAt(buffered.length - 1);
      let cut = last >= 0xd800 && last <= 0xdbff ? buffered.length - 1 : buffered.length;
      // Cut at the start of a line, and not after a line that ends in a hyphen:
      // a word broken at a line end, or a letter-spaced name, is read in one piece.
      for (let nl = buffered.lastIndexOf('\n'), tries = 0; nl > buffered.length / 2 && tries < 8; nl = buffered.lastIndexOf('\n', nl - 1), tries++) {
        if (!endsInHyphen(buffered, nl)) {
          cut = nl + 1;
          break;
        }
      }
      yield buffered.slice(0, cut);
      buffered = buffered.slice(cut);
    }
  }
  if (buffered !== '') yield buffered;
}

/**
 * One scan-key epoch's part of the index, with its own table of words seen
 * (each distinct word hashed once per run). Almost always there is one; an
 * offboarded worker's forms keep the key they were made with after the keys
 * are replaced, and are looked for in a pass of their own.
 */
interface Pass {
  epoch: number;
  index: LeakIndex;
  words: WordTable;
}

/** One finding per place, in reading order. */
function inReadingOrder(found: Finding[]): Finding[] {
  const placed = new Set<string>();
  return found
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    .filter((f) => {
      const key = `${f.line}:${f.column}:${f.kind}:${f.text}`;
      if (placed.has(key)) return false;
      placed.add(key);
      return true;
    });
}

export class Scanner {
  private readonly passes: Pass[];

  constructor(private readonly scanIndex: ScanIndex) {
    this.passes = [...scanIndex.load()].map(([epoch, index]) => ({ epoch, index, words: new WordTable(wordResolver(index, (norm) => scanIndex.tokenKey(norm, epoch))) }));
  }

  get entries(): number {
    return this.passes.reduce((n, p) => n + p.index.size, 0);
  }

  /** Findings of all segments, and how many more there were beyond MAX_FINDINGS per segment. */
  async scan(segments: TextSegment[]): Promise<{ findings: Finding[]; omitted: number }> {
    let findings: Finding[] = [];
    let omitted = 0;
    const bySegment = new Map<string, Finding[]>();
    for (const seg of segments) {
      const r = await this.scanSegment(seg);
      let found = r.findings;
      const of = (seg as { shownOf?: string }).shownOf;
      if (of !== undefined) {
        // The same text as it shows (Markdown without its markup): only what the source did not give.
        const left = new Map<string, number>();
        for (const f of bySegment.get(of) ?? []) left.set(findingKey(f), (left.get(findingKey(f)) ?? 0) + 1);
        found = found.filter((f) => {
          const n = left.get(findingKey(f)) ?? 0;
          if (n > 0) left.set(findingKey(f), n - 1);
          return n === 0;
        });
      } else bySegment.set(seg.location, (bySegment.get(seg.location) ?? []).concat(r.findings));
      findings = findings.concat(found);
      omitted += r.omitted;
    }
    return { findings, omitted };
  }

  private async scanSegment(seg: TextSegment): Promise<{ findings: Finding[]; omitted: number }> {
    if (this.passes.length === 1) return this.scanPass(seg, this.passes[0]!);
    let findings: Finding[] = [];
    let omitted = 0;
    for (const pass of this.passes) {
      const r = await this.scanPass(seg, pass);
      findings = findings.concat(r.findings);
      omitted += r.omitted;
    }
    return { findings: inReadingOrder(findings), omitted };
  }

  private async scanPass(seg: TextSegment, pass: Pass): Promise<{ findings: Finding[]; omitted: number }> {
    const out: Finding[] = [];
    let omitted = 0;
    const window = new Window();
    const workerOf = new Map<number, string | null>();
    const worker = (ref: number) => {
      if (!workerOf.has(ref)) workerOf.set(ref, this.scanIndex.workerOf(ref));
      return workerOf.get(ref)!;
    };
    const place = (start: number, line: number, column: number) => {
      if (seg.noLines) return { line: null, column: null };
      if (seg.position) return seg.position(start);
      if (line < 0) return window.positionOf(start);
      return { line, column };
    };
    const spans = new Map<Finding, [number, number]>();
    // Findings whose context after them reaches past the text read so far: it is
    // completed once the next chunk is in the window.
    let shortAfter: Finding[] = [];
    let lows = 0; // low-confidence findings in `out`
    const report = (m: Omit<Match, 'span'>) => {
      // Past the cap, keep high-confidence findings over low ones, and count the rest.
      if (out.length >= MAX_FINDINGS) {
        const lowAt = m.confidence === 'high' && lows > 0 ? out.findIndex((f) => f.confidence === 'low') : -1;
        omitted++;
        if (lowAt === -1) return;
        spans.delete(out[lowAt]!);
        out.splice(lowAt, 1);
        lows--;
      }
      if (m.confidence === 'low') lows++;
      const at = place(m.start, m.line, m.column);
      const finding: Finding = {
        kind: m.kind,
        confidence: m.confidence,
        text: detach(showControls(window.slice(m.start, m.end).replace(/\s+/gu, ' '))),
        location: seg.location,
        line: at.line,
        column: at.column,
        worker: worker(m.ref),
        ...(this.scanIndex.isFormer(worker(m.ref)) ? { former: true } : {}),
        context: window.context(m.start, m.end),
        span: { start: m.start, end: m.end },
      };
      spans.set(finding, [m.start, m.end]);
      if (m.end + CONTEXT > window.end) shortAfter.push(finding);
      out.push(finding);
    };
    // The tokenizer and the value finder read the text as it is seen (visual-text.ts);
    // their offsets are mapped back to the original, which findings quote and redaction edits.
    const visual = new VisualMap();
    const seenWindow = new Window();
    // Token matches come in byte offsets (the tokenizer reads UTF-8) of the seen text.
    const fromBytes = (m: Match) => {
      const start = visual.toOrigStart(feed.stringOffset(m.start));
      const end = visual.toOrigEnd(feed.stringOffset(m.end));
      // Once text was left out or replaced, the tokenizer's lines and columns are the seen text's.
      // (-1: worked out from the original only for a finding that is kept).
      report({ ...m, start, end, line: visual.transformed ? -1 : m.line, column: m.column });
    };
    const matcher = new Matcher(pass.index, fromBytes);
    const feed = new TextFeed(new Tokenizer(pass.words, matcher));
    const hidden = new Map<HiddenKind, { first: Finding; count: number }>();
    let hiddenDone = 0;
    let origOffset = 0;
    let valuesDone = 0; // values starting before this (seen) offset were already looked at
    /** Reports the values starting in [valuesDone, upTo) of the seen text. */
    const findValuesIn = (upTo: number) => {
      const from = Math.max(seenWindow.start, valuesDone - OVERLAP);
      const scanText = seenWindow.slice(from, seenWindow.end);
      for (const v of findValues(scanText)) {
        const seenStart = from + v.start;
        if (seenStart < valuesDone || seenStart >= upTo) continue;
        const entries = pass.index.values.get(this.scanIndex.valueKey(v.kind, v.value, pass.epoch));
        if (!entries) continue;
        const start = visual.toOrigStart(seenStart);
        const end = visual.toOrigEnd(from + v.end);
        const p = window.positionOf(start);
        for (const e of entries) report({ kind: e.kind, confidence: e.confidence, start, end, line: p.line, column: p.column, ref: e.ref });
      }
    };
    for await (const chunk of chunksOf(seg.text)) {
      const pos = feed.position();
      // The previous chunk stays: pending matches may still reach back into it.
      window.push(chunk, { offset: origOffset, line: 1, column: 1 });
      origOffset += chunk.length;
      for (const f of shortAfter) f.context = window.context(f.span!.start, f.span!.end);
      shortAfter = [];
      const seen = visual.push(chunk);
      seenWindow.push(seen, pos);
      for (; hiddenDone < visual.hidden.length; hiddenDone++) {
        const h = visual.hidden[hiddenDone]!;
        const known = hidden.get(h.kind);
        if (known) known.count++;
        else hidden.set(h.kind, { first: this.hiddenFinding(h.kind, h.code, h.offset, seg, window, place), count: 1 });
      }
      feed.feed(seen);
      // A value starting near the end of this chunk may go on in the next one:
      // it is looked at then, and only then.
      const upTo = pos.offset + seen.length - OVERLAP;
      findValuesIn(upTo);
      valuesDone = Math.max(valuesDone, upTo);
    }
    findValuesIn(Infinity);
    feed.end();
    matcher.end();
    // Words inside a found e-mail address or phone number are that finding, not another one.
    const values = out.filter((f) => isValueKind(f.kind)).map((f) => spans.get(f)!);
    const kept = out.filter((f) => {
      if (isValueKind(f.kind)) return true;
      const [s, e] = spans.get(f)!;
      return !values.some(([vs, ve]) => s >= vs && e <= ve);
    });
    // Invisible characters are reported once per kind and part, where they first occur.
    for (const { first, count } of hidden.values()) {
      if (count > 1) first.text += ` and ${count - 1} more`;
      kept.push(first);
    }
    return { findings: inReadingOrder(kept), omitted };
  }

  /**
   * A bidi control or tag character changes what a reader sees without
   * showing itself (a name can be written backwards and shown forwards): a
   * high-confidence finding. Zero-width characters hide word boundaries: low.
   * No span: there is no name to replace, the character must be taken out.
   */
  private hiddenFinding(
    kind: HiddenKind,
    code: number,
    offset: number,
    seg: TextSegment,
    window: Window,
    place: (start: number, line: number, column: number) => { line: number | null; column: number | null },
  ): Finding {
    const p = seg.noLines || seg.position ? { line: 0, column: 0 } : window.positionOf(offset);
    const at = place(offset, p.line, p.column);
    const len = code > 0xffff ? 2 : 1;
    const ctx = window.context(offset, offset + len);
    return {
      kind: 'hidden-characters',
      confidence: kind === 'zero-width' ? 'low' : 'high',
      text: describeChar(code),
      location: seg.location,
      line: at.line,
      column: at.column,
      worker: null,
      context: { before: showInvisible(ctx.before), match: showInvisible(ctx.match), after: showInvisible(ctx.after) },
    };
  }
}
