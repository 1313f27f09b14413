// Matching a token stream against the leak-scan index. The index holds only
// keyed hashes; the caller supplies `digest`, which hashes a normalised token
// (memoised per run, so each distinct word is hashed once). Pure: no I/O.
import type { Confidence, FindingKind } from './leak-forms.js';
import { TITLES } from './leak-forms.js';
import type { Token } from './leak-tokens.js';

export interface IndexEntry {
  kind: FindingKind;
  confidence: Confidence;
  /** Digests of the form's tokens, in order. */
  tokens: string[];
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

/** A node of the reversed trie: forms are stored by their tokens read from last to first. */
interface TrieNode {
  next: Map<string, TrieNode>;
  entries: IndexEntry[];
}

/**
 * Token-sequence forms in a trie keyed by token digests from the last token
 * backwards, so matching at a word costs a few map lookups however many
 * workers share that word.
 */
export class LeakIndex {
  readonly root: TrieNode = { next: new Map(), entries: [] };
  private count = 0;
  /** Digests that occur in any form: other words are skipped cheaply. */
  readonly vocabulary = new Set<string>();
  /** Whole-value forms (e-mail, phone) by digest. */
  readonly values = new Map<string, IndexEntry[]>();
  maxLength = 1;

  add(e: IndexEntry): void {
    if (isValueKind(e.kind)) {
      const list = this.values.get(e.tokens[0]!) ?? [];
      list.push(e);
      this.values.set(e.tokens[0]!, list);
      return;
    }
    let node = this.root;
    for (let k = e.tokens.length - 1; k >= 0; k--) {
      const t = e.tokens[k]!;
      let child = node.next.get(t);
      if (!child) node.next.set(t, (child = { next: new Map(), entries: [] }));
      node = child;
      this.vocabulary.add(t);
    }
    // Workers sharing a form (two colleagues called Bakker) make one entry: one finding per place.
    if (node.entries.some((x) => x.kind === e.kind && x.confidence === e.confidence && Boolean(x.reversed) === Boolean(e.reversed))) return;
    node.entries.push(e);
    this.count++;
    this.maxLength = Math.max(this.maxLength, e.tokens.length);
  }

  get size(): number {
    let n = this.count;
    for (const l of this.values.values()) n += l.length;
    return n;
  }
}

interface Slot {
  token: Token;
  digest: string | null;
}

const RANK: Record<Confidence, number> = { high: 2, low: 1 };

/** Dutch abbreviations that start with a single letter, as tokens. */
const ABBREVIATIONS = new Set(['i c', 'i v m', 't a v', 'o a', 'e d', 'z s m', 'm b t', 'd w z', 'n a v', 'i p v', 'o b v', 'a d h v', 'i s m', 'm a w', 'p a', 'e v a', 't z t', 'i o m', 'v w b', 'd d']);

/**
 * Is `a` a better finding than `b` for overlapping text? Longer first, then
 * higher confidence, then the one ending later (a name's usual order ends
 * with the surname: "Pieter Jan van der Berg" over "Berg. Pieter Jan van der").
 */
function better(a: Match, b: Match): boolean {
  if (a.span !== b.span) return a.span > b.span;
  if (a.confidence !== b.confidence) return RANK[a.confidence] > RANK[b.confidence];
  return a.end > b.end;
}

/**
 * Feeds tokens in order; reports matches through `emit` once no longer,
 * overlapping match can still replace them. Call `end()` after the last token.
 */
export class Matcher {
  private readonly ring: Slot[] = [];
  private readonly cap: number;
  private readonly ringSize: number;
  private count = 0;
  /** Matches not yet emitted, with the index of the token they end at. */
  private pending: { m: Match; endIndex: number; reversedInitial?: boolean }[] = [];
  private readonly memo = new Map<string, string | null>();
  private emittedEnd = 0;

  constructor(
    private readonly index: LeakIndex,
    private readonly digest: (norm: string) => string,
    private readonly emit: (m: Match) => void,
  ) {
    this.cap = index.maxLength + 2;
    // A few more tokens than a match can span: the words after a match are still there when it is settled.
    this.ringSize = this.cap + 6;
  }

  private digestOf(norm: string): string | null {
    let d = this.memo.get(norm);
    if (d === undefined) {
      // Natural text has a small vocabulary; a huge one (random data) must not grow memory without bound.
      if (this.memo.size >= 500_000) this.memo.clear();
      const h = this.digest(norm);
      d = this.index.vocabulary.has(h) ? h : null;
      // Store a copy of the word: a slice would keep its whole input chunk
      // alive as long as the memo lives, and memory would grow with the input.
      this.memo.set(JSON.parse(JSON.stringify(norm)) as string, d);
    }
    return d;
  }

  private slot(back: number): Slot | undefined {
    if (back >= this.count || back >= this.ringSize) return undefined;
    return this.ring[(this.count - 1 - back) % this.ringSize];
  }

  push(token: Token): void {
    const digest = this.digestOf(token.norm);
    const slot = { token, digest };
    if (this.ring.length < this.ringSize) this.ring.push(slot);
    else this.ring[this.count % this.ringSize] = slot;
    this.count++;
    this.settle();
    if (digest === null) return;
    let node = this.index.root.next.get(digest);
    for (let n = 1; node; n++) {
      for (const e of node.entries) this.found(e, n, token);
      const prev = this.slot(n);
      if (!prev || prev.digest === null) break;
      node = node.next.get(prev.digest);
    }
  }

  private found(e: IndexEntry, n: number, token: Token): void {
    let first = this.slot(n - 1)!.token;
    // Surname first ("Berg, P.J.", "De Vries, Jan"): only with the comma, so that
    // "visser; i.v.m.", "Mulder t.a.v." or "de Vries. Jan ging" is not read as a name.
    if (e.reversed) {
      let comma = false;
      for (let k = 0; k < n - 1 && !comma; k++) comma = this.slot(k)!.token.afterComma;
      if (!comma) return;
    }
    let confidence = e.confidence;
    let span = n;
    // "mevrouw Özdemir", "de heer Mulder", "dhr. Mulder": a surname after a title is high.
    if (e.kind === 'surname') {
      const before = this.slot(n);
      if (before && TITLES.has(before.token.norm)) {
        confidence = 'high';
        first = before.token;
        span++;
      }
    }
    this.pending.push({
      m: { kind: e.kind, confidence, start: first.start, end: token.end, line: first.line, column: first.column, ref: e.ref, span },
      endIndex: this.count - 1,
      reversedInitial: Boolean(e.reversed) && token.norm.length === 1,
    });
  }

  /**
   * Emits pending matches that no later match can still cover: a covering
   * match ends at most maxLength + 1 tokens (a title) after this one.
   */
  private settle(final = false): void {
    if (this.pending.length === 0) return;
    const last = this.count - 1;
    const ready = final ? this.pending : this.pending.filter((p) => last - p.endIndex > this.cap);
    if (ready.length === 0) return;
    const all = this.pending;
    this.pending = final ? [] : this.pending.filter((p) => last - p.endIndex <= this.cap);
    // Choose among everything still open, best first, so that findings never
    // overlap and every matched word ends up in some finding where possible
    // ("Vries" gives way to "Jan de Vries", but a second mention stays).
    const open = all.filter((p) => p.m.start >= this.emittedEnd && !this.isAbbreviation(p)).map(({ m }) => m);
    open.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : a.start - b.start));
    const picked: Match[] = [];
    for (const m of open) if (!picked.some((o) => o.start < m.end && m.start < o.end)) picked.push(m);
    const chosen = new Set(picked);
    for (const { m } of [...ready].sort((a, b) => a.m.start - b.m.start)) {
      if (!chosen.has(m) || m.start < this.emittedEnd) continue;
      this.emittedEnd = m.end;
      this.emit(m);
    }
  }

  /**
   * "de visser, i.c. de vader": the single letter after a surname and comma
   * starts a Dutch abbreviation (i.c., i.v.m., t.a.v., …), not an initial.
   */
  private isAbbreviation(p: { m: Match; endIndex: number; reversedInitial?: boolean }): boolean {
    if (!p.reversedInitial) return false;
    const back = this.count - 1 - p.endIndex; // how far back the match's last token is
    const words = [this.slot(back)?.token.norm];
    for (let k = 1; k <= 3; k++) words.push(this.slot(back - k)?.token.norm);
    for (let n = 2; n <= 4; n++) if (ABBREVIATIONS.has(words.slice(0, n).join(' '))) return true;
    return false;
  }

  end(): void {
    this.settle(true);
  }
}
