// The leak gate: runs document segments through the tokenizer and matcher
// against the leak-scan index, and through the e-mail/phone finder. Works
// from keyed hashes alone, so it needs no key that can decrypt a real name.
import type { Confidence, FindingKind } from '../core/leak-forms.js';
import { isValueKind, Matcher, wordResolver, type LeakIndex, type Match } from '../core/leak-match.js';
import { TextFeed, Tokenizer, WordTable } from '../core/leak-tokens.js';
import { findValues } from '../core/leak-values.js';
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

const OVERLAP = 96; // longest e-mail or phone we look for across a chunk boundary
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
  }

  slice(start: number, end: number): string {
    const a = start - this.start;
    const b = end - this.start;
    const p = this.prev.length;
    if (a >= p) return this.cur.slice(a - p, b - p);
    if (b <= p) return this.prev.slice(a, b);
    return this.prev.slice(a) + this.cur.slice(0, b - p);
  }

  positionOf(offset: number): { line: number; column: number } {
    const upto = this.slice(this.start, offset);
    const nl = upto.lastIndexOf('\n');
    const lines = upto.split('\n').length - 1;
    return { line: this.line + lines, column: nl === -1 ? this.column + upto.length : upto.length - nl };
  }

  context(start: number, end: number): { before: string; match: string; after: string } {
    // Look no further than the context we show: a text without line breaks must not make this O(n).
    const from = Math.max(this.start, start - CONTEXT);
    const head = this.slice(from, start);
    const lineStart = from + head.lastIndexOf('\n') + 1;
    const ahead = this.slice(end, end + CONTEXT);
    const nl = ahead.indexOf('\n');
    const clean = (t: string) => detach(t.replace(/\s+/gu, ' '));
    return {
      before: clean(this.slice(lineStart, start)),
      match: clean(this.slice(start, end)),
      after: clean(nl === -1 ? ahead : ahead.slice(0, nl)),
    };
  }
}

const MIN_CHUNK = 64 * 1024;

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
      const cut = last >= 0xd800 && last <= 0xdbff ? buffered.length - 1 : buffered.length;
      yield buffered.slice(0, cut);
      buffered = buffered.slice(cut);
    }
  }
  if (buffered !== '') yield buffered;
}

export class Scanner {
  private readonly index: LeakIndex;

  /** Distinct words seen in this run, each hashed once (a document's vocabulary is small). */
  private readonly words: WordTable;

  constructor(private readonly scanIndex: ScanIndex) {
    this.index = scanIndex.load();
    this.words = new WordTable(wordResolver(this.index, (norm) => scanIndex.tokenKey(norm)));
  }

  get entries(): number {
    return this.index.size;
  }

  /** Findings of all segments, and how many more there were beyond MAX_FINDINGS per segment. */
  async scan(segments: TextSegment[]): Promise<{ findings: Finding[]; omitted: number }> {
    let findings: Finding[] = [];
    let omitted = 0;
    for (const seg of segments) {
      const r = await this.scanSegment(seg);
      findings = findings.concat(r.findings);
      omitted += r.omitted;
    }
    return { findings, omitted };
  }

  private async scanSegment(seg: TextSegment): Promise<{ findings: Finding[]; omitted: number }> {
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
      return { line, column };
    };
    const spans = new Map<Finding, [number, number]>();
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
        text: detach(window.slice(m.start, m.end).replace(/\s+/gu, ' ')),
        location: seg.location,
        line: at.line,
        column: at.column,
        worker: worker(m.ref),
        ...(this.scanIndex.isFormer(worker(m.ref)) ? { former: true } : {}),
        context: window.context(m.start, m.end),
        span: { start: m.start, end: m.end },
      };
      spans.set(finding, [m.start, m.end]);
      out.push(finding);
    };
    // Token matches come in byte offsets (the tokenizer reads UTF-8); findings use string offsets.
    const fromBytes = (m: Match) => report({ ...m, start: feed.stringOffset(m.start), end: feed.stringOffset(m.end) });
    const matcher = new Matcher(this.index, fromBytes);
    const feed = new TextFeed(new Tokenizer(this.words, matcher));
    let valuesDone = 0; // values starting before this offset were already looked at
    for await (const chunk of chunksOf(seg.text)) {
      const pos = feed.position();
      // The previous chunk stays: pending matches may still reach back into it.
      window.push(chunk, pos);
      feed.feed(chunk);
      const from = Math.max(window.start, pos.offset - OVERLAP);
      const scanText = window.slice(from, pos.offset + chunk.length);
      for (const v of findValues(scanText)) {
        const start = from + v.start;
        if (start < valuesDone) continue;
        const entries = this.index.values.get(this.scanIndex.valueKey(v.kind, v.value));
        if (!entries) continue;
        const p = window.positionOf(start);
        for (const e of entries) report({ kind: e.kind, confidence: e.confidence, start, end: from + v.end, line: p.line, column: p.column, ref: e.ref });
      }
      // A value cut off at the end of this chunk is looked at again with the next one.
      valuesDone = pos.offset + chunk.length - OVERLAP;
    }
    feed.end();
    matcher.end();
    // Words inside a found e-mail address or phone number are that finding, not another one.
    const values = out.filter((f) => isValueKind(f.kind)).map((f) => spans.get(f)!);
    const kept = out.filter((f) => {
      if (isValueKind(f.kind)) return true;
      const [s, e] = spans.get(f)!;
      return !values.some(([vs, ve]) => s >= vs && e <= ve);
    });
    // One finding per place, in reading order.
    const seen = new Set<string>();
    const findings = kept
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .filter((f) => {
        const key = `${f.line}:${f.column}:${f.kind}:${f.text}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    return { findings, omitted };
  }
}
