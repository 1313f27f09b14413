// Matching a token stream against the leak-scan index. The index holds only
// keyed hashes; the caller supplies `digest`, which hashes a normalised token
// (memoised per run, so each distinct word is hashed once). Pure: no I/O.
import type { Confidence, FindingKind } from './leak-forms.js';
import { TITLES } from './leak-forms.js';
import type { TokenSink, WordInfo } from './leak-tokens.js';

/** A token's keyed digest: a number in the vault's index, the word itself in tests. */
export type TokenKey = number | string;

export interface IndexEntry {
  kind: FindingKind;
  confidence: Confidence;
  /** Digests of the form's tokens, in order (one whole-value digest for e-mail, phone, personnel number). */
  tokens: readonly TokenKey[];
  /** Opaque reference back to the index row (for the worker, when the role may see it). */
  ref: number;
  /** Surname first: counts only with a comma after the surname ("De Vries, J."). */
  reversed?: boolean;
}

export interface Match {
  kind: FindingKind;
  confidence: Confidence;
  start: number;
  end: number;
  line: number;
  column: number;
  ref: number;
  /** Tokens covered (title included), for choosing among overlapping matches. */
  span: number;
}

/** Kinds matched as whole values found by pattern (see leak-values.ts), not as token sequences. */
export type ValueKind = 'email' | 'phone' | 'employee-no';

export function isValueKind(kind: FindingKind): kind is ValueKind {
  return kind === 'email' || kind === 'phone' || kind === 'employee-no';
}

/** Trie edges are keyed by node * EDGE + token id: one flat map instead of a map per node. */
const EDGE = 2 ** 21;

/**
 * Token-sequence forms in a trie keyed by token ids from the last token
 * backwards, so matching at a word costs a few map lookups however many
 * workers share that word. Each distinct digest gets a small integer id;
 * node 0 is the root.
 */
export class LeakIndex {
  private readonly edges = new Map<number, number>();
  /** Forms ending at each node; most nodes have none. */
  private readonly entriesAt: (IndexEntry[] | undefined)[] = [undefined];
  private count = 0;
  /** Digests that occur in any form, by id: other words are skipped cheaply. */
  private readonly ids = new Map<TokenKey, number>();
  /** Whole-value forms (e-mail, phone) by digest. */
  readonly values = new Map<TokenKey, IndexEntry[]>();
  maxLength = 1;

  add(e: IndexEntry): void {
    if (isValueKind(e.kind)) {
      const list = this.values.get(e.tokens[0]!) ?? [];
      list.push(e);
      this.values.set(e.tokens[0]!, list);
      return;
    }
    let node = 0;
    for (let k = e.tokens.length - 1; k >= 0; k--) {
      const t = e.tokens[k]!;
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.ids.size;
        if (id >= EDGE) throw new Error('leak index vocabulary too large');
        this.ids.set(t, id);
      }
      const key = node * EDGE + id;
      let child = this.edges.get(key);
      if (child === undefined) {
        child = this.entriesAt.length;
        this.entriesAt.push(undefined);
        this.edges.set(key, child);
      }
      node = child;
    }
    const list = (this.entriesAt[node] ??= []);
    // Workers sharing a form (two colleagues called Bakker) make one entry: one finding per place.
    if (list.some((x) => x.kind === e.kind && x.confidence === e.confidence && Boolean(x.reversed) === Boolean(e.reversed))) return;
    list.push(e);
    this.count++;
    this.maxLength = Math.max(this.maxLength, e.tokens.length);
  }

  /** The id of a token digest, or -1 when no form contains it. */
  idOf(digest: TokenKey): number {
    return this.ids.get(digest) ?? -1;
  }

  /** The node reached from `node` by token `id` (read backwards), or -1. */
  step(node: number, id: number): number {
    return this.edges.get(node * EDGE + id) ?? -1;
  }

  entries(node: number): readonly IndexEntry[] | undefined {
    return this.entriesAt[node];
  }

  get size(): number {
    let n = this.count;
    for (const l of this.values.values()) n += l.length;
    return n;
  }
}

/** How the tokenizer should treat each distinct word, for matching against `index`. */
export function wordResolver(index: LeakIndex, digest: (norm: string) => TokenKey): (norm: string) => WordInfo {
  return (norm) => {
    const id = index.idOf(digest(norm));
    const title = TITLES.has(norm);
    const single = norm.length === 1 ? norm.charCodeAt(0) : 0;
    return { norm, id, title, single, keep: id >= 0 || title || single !== 0 };
  };
}

const RANK: Record<Confidence, number> = { high: 2, low: 1 };

/** Dutch abbreviations that start with a single letter, as tokens. */
const ABBREVIATIONS = new Set(['i c', 'i v m', 't a v', 'o a', 'e d', 'z s m', 'm b t', 'd w z', 'n a v', 'i p v', 'o b v', 'a d h v', 'i s m', 'm a w', 'p a', 'e v a', 't z t', 'i o m', 'v w b', 'd d']);

/**
 * Is `a` a better finding than `b` for overlapping text? Longer first, then
 * higher confidence, then the one ending later (a name's usual order ends
 * with the surname: "Pieter Jan van der Berg" over "Berg. Pieter Jan van der").
 */
/**
 * Which of two overlapping matches to report. High before low, whatever the
 * length: with workers "Jan Bakker" and "Anna Bakker van Dam", the words "Jan
 * Bakker van Dam" hold Jan Bakker's full name, and a longer low reading
 * ("Bakker van Dam") must not hide it from the gate. Then the longest.
 */
function better(a: Match, b: Match): boolean {
  if (a.confidence !== b.confidence) return RANK[a.confidence] > RANK[b.confidence];
  if (a.span !== b.span) return a.span > b.span;
  return a.end > b.end;
}

interface Pending {
  m: Match;
  /** Number of the slot the match ends at. */
  endIndex: number;
  reversedInitial: boolean;
}

/**
 * Takes the words of a document in order (a TokenSink for the Tokenizer);
 * reports matches through `emit` once no longer, overlapping match can still
 * replace them. Call `end()` after the last word. The last few words are kept
 * in a ring of typed arrays: nothing is allocated per word.
 */
export class Matcher implements TokenSink {
  private readonly cap: number;
  private readonly ringSize: number;
  private readonly ids: Int32Array;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly lines: Float64Array;
  private readonly columns: Float64Array;
  private readonly commas: Uint8Array;
  private readonly titles: Uint8Array;
  private readonly singles: Int32Array;
  /** Slots filled so far (words and gaps). */
  private count = 0;
  /** Matches not yet emitted, in the order of the slot they end at. */
  private pending: Pending[] = [];
  private emittedEnd = 0;

  constructor(
    private readonly index: LeakIndex,
    private readonly emit: (m: Match) => void,
  ) {
    this.cap = index.maxLength + 2;
    // A few more slots than a match can span: the words after a match are still there when it is settled.
    this.ringSize = this.cap + 6;
    const n = this.ringSize;
    this.ids = new Int32Array(n);
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    this.lines = new Float64Array(n);
    this.columns = new Float64Array(n);
    this.commas = new Uint8Array(n);
    this.titles = new Uint8Array(n);
    this.singles = new Int32Array(n);
  }

  /** The ring position of the slot `back` slots before the newest, or -1 when it is gone. */
  private slot(back: number): number {
    if (back < 0 || back >= this.count || back >= this.ringSize) return -1;
    return (this.count - 1 - back) % this.ringSize;
  }

  gap(): void {
    // No match spans a gap, and none after it can cover one before: settle them all.
    if (this.pending.length > 0) this.settle(true);
    const s = this.count % this.ringSize;
    this.ids[s] = -1;
    this.titles[s] = 0;
    this.singles[s] = 0;
    this.commas[s] = 0;
    this.count++;
    this.maybeSettle();
  }

  word(w: WordInfo, start: number, end: number, line: number, column: number, afterComma: boolean): void {
    const s = this.count % this.ringSize;
    this.ids[s] = w.id;
    this.starts[s] = start;
    this.ends[s] = end;
    this.lines[s] = line;
    this.columns[s] = column;
    this.commas[s] = afterComma ? 1 : 0;
    this.titles[s] = w.title ? 1 : 0;
    this.singles[s] = w.single;
    this.count++;
    this.maybeSettle();
    if (w.id < 0) return;
    let node = this.index.step(0, w.id);
    for (let n = 1; node !== -1; n++) {
      const entries = this.index.entries(node);
      if (entries) for (const e of entries) this.found(e, n, s);
      const prev = this.slot(n);
      if (prev === -1 || this.ids[prev]! < 0) break;
      node = this.index.step(node, this.ids[prev]!);
    }
  }

  private found(e: IndexEntry, n: number, last: number): void {
    let first = this.slot(n - 1);
    // Surname first ("Berg, P.J.", "De Vries, Jan"): only with the comma, so that
    // "visser; i.v.m.", "Mulder t.a.v." or "de Vries. Jan ging" is not read as a name.
    if (e.reversed) {
      let comma = false;
      for (let k = 0; k < n - 1 && !comma; k++) comma = this.commas[this.slot(k)] === 1;
      if (!comma) return;
    }
    let confidence = e.confidence;
    let span = n;
    // "mevrouw Özdemir", "de heer Mulder", "dhr. Mulder": a surname after a title is high.
    if (e.kind === 'surname') {
      const before = this.slot(n);
      if (before !== -1 && this.titles[before] === 1) {
        confidence = 'high';
        first = before;
        span++;
      }
    }
    this.pending.push({
      m: {
        kind: e.kind,
        confidence,
        start: this.starts[first]!,
        end: this.ends[last]!,
        line: this.lines[first]!,
        column: this.columns[first]!,
        ref: e.ref,
        span,
      },
      endIndex: this.count - 1,
      reversedInitial: Boolean(e.reversed) && this.singles[last] !== 0,
    });
  }

  private maybeSettle(): void {
    // Stryker disable next-line ArithmeticOperator: equivalent, only a cheap pre-check: settle() checks which matches are ready itself
    if (this.pending.length > 0 && this.count - 1 - this.pending[0]!.endIndex > this.cap) this.settle();
  }

  /**
   * Emits pending matches that no later match can still cover: a covering
   * match ends at most maxLength + 1 slots (a title) after this one.
   */
  private settle(final = false): void {
    if (this.pending.length === 0) return;
    // Stryker disable next-line ArithmeticOperator,BlockStatement: equivalent, a shortcut: with one pending match settle() is only called when it is ready or final, and the general path below gives the same result
    if (this.pending.length === 1 && (final || this.count - 1 - this.pending[0]!.endIndex > this.cap)) {
      // The common case, a lone match with nothing near it.
      const p = this.pending[0]!;
      this.pending = [];
      if (p.m.start >= this.emittedEnd && !this.isAbbreviation(p)) {
        this.emittedEnd = p.m.end;
        this.emit(p.m);
      }
      return;
    }
    const last = this.count - 1;
    const ready = final ? this.pending : this.pending.filter((p) => last - p.endIndex > this.cap);
    if (ready.length === 0) return;
    const all = this.pending;
    this.pending = final ? [] : this.pending.filter((p) => last - p.endIndex <= this.cap);
    // Choose among everything still open, best first, so that findings never
    // overlap and every matched word ends up in some finding where possible
    // ("Vries" gives way to "Jan de Vries", but a second mention stays).
    const open = all.filter((p) => p.m.start >= this.emittedEnd && !this.isAbbreviation(p)).map(({ m }) => m);
    // Stryker disable next-line ArithmeticOperator: equivalent, tied matches (same span and end) have the same start, and sort() treats every non-negative result alike
    open.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : a.start - b.start));
    // Stryker disable next-line ArrayDeclaration: equivalent, a non-match in picked has no start or end and overlaps nothing
    const picked: Match[] = [];
    for (const m of open) if (!picked.some((o) => o.start < m.end && m.start < o.end)) picked.push(m);
    const chosen = new Set(picked);
    // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: equivalent, the chosen matches never overlap and pending is in order of their ends, so they already come in order of start (a comparator that is never negative keeps that order)
    for (const { m } of [...ready].sort((a, b) => a.m.start - b.m.start)) {
      if (!chosen.has(m) || m.start < this.emittedEnd) continue;
      this.emittedEnd = m.end;
      this.emit(m);
    }
    if (final) return;
    // A ready match that lost only to one still open stays open: that one can
    // still lose to a later match, and then these words would be in no
    // finding ("Berg, Pieter Jan van der Berg, …": a redacted copy kept "Berg").
    const waiting = ready.filter((p) => !chosen.has(p.m) && p.m.start >= this.emittedEnd && !this.isAbbreviation(p));
    if (waiting.length > 0) this.pending = [...waiting, ...this.pending];
  }

  /**
   * "de visser, i.c. de vader": the single letter after a surname and comma
   * starts a Dutch abbreviation (i.c., i.v.m., t.a.v., …), not an initial.
   */
  private isAbbreviation(p: Pending): boolean {
    if (!p.reversedInitial) return false;
    const back = this.count - 1 - p.endIndex; // how far back the match's last word is
    let words = '';
    for (let k = 0; k <= 3; k++) {
      const s = this.slot(back - k);
      const c = s === -1 ? 0 : this.singles[s]!;
      if (c === 0) break;
      words += (k ? ' ' : '') + String.fromCharCode(c);
      if (k >= 1 && ABBREVIATIONS.has(words)) return true;
    }
    return false;
  }

  end(): void {
    this.settle(true);
  }
}
