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

/** Token-sequence forms keyed by the digest of their last token. */
export class LeakIndex {
  readonly byLast = new Map<string, IndexEntry[]>();
  /** Digests that occur in any form: other words are skipped cheaply. */
  readonly vocabulary = new Set<string>();
  /** Whole-value forms (e-mail, phone) by digest. */
  readonly values = new Map<string, IndexEntry[]>();
  maxLength = 1;

  add(e: IndexEntry): void {
    if (e.kind === 'email' || e.kind === 'phone') {
      const list = this.values.get(e.tokens[0]!) ?? [];
      list.push(e);
      this.values.set(e.tokens[0]!, list);
      return;
    }
    const last = e.tokens[e.tokens.length - 1]!;
    const list = this.byLast.get(last) ?? [];
    list.push(e);
    this.byLast.set(last, list);
    for (const t of e.tokens) this.vocabulary.add(t);
    this.maxLength = Math.max(this.maxLength, e.tokens.length);
  }

  get size(): number {
    let n = 0;
    for (const l of this.byLast.values()) n += l.length;
    for (const l of this.values.values()) n += l.length;
    return n;
  }
}

interface Slot {
  token: Token;
  digest: string | null;
}

const RANK: Record<Confidence, number> = { high: 2, low: 1 };

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
  private count = 0;
  /** Matches not yet emitted, with the index of the token they end at. */
  private pending: { m: Match; endIndex: number }[] = [];
  private readonly memo = new Map<string, string | null>();

  constructor(
    private readonly index: LeakIndex,
    private readonly digest: (norm: string) => string,
    private readonly emit: (m: Match) => void,
  ) {
    this.cap = index.maxLength + 2;
  }

  private digestOf(norm: string): string | null {
    let d = this.memo.get(norm);
    if (d === undefined) {
      const h = this.digest(norm);
      d = this.index.vocabulary.has(h) ? h : null;
      this.memo.set(norm, d);
    }
    return d;
  }

  private slot(back: number): Slot | undefined {
    if (back >= this.count || back >= this.cap) return undefined;
    return this.ring[(this.count - 1 - back) % this.cap];
  }

  push(token: Token): void {
    const digest = this.digestOf(token.norm);
    const slot = { token, digest };
    if (this.ring.length < this.cap) this.ring.push(slot);
    else this.ring[this.count % this.cap] = slot;
    this.count++;
    this.settle();
    if (digest === null) return;
    const entries = this.index.byLast.get(digest);
    if (!entries) return;
    for (const e of entries) {
      const n = e.tokens.length;
      let ok = true;
      for (let k = 1; k < n && ok; k++) ok = this.slot(k)?.digest === e.tokens[n - 1 - k];
      if (!ok) continue;
      let first = this.slot(n - 1)!.token;
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
      });
    }
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
    // Drop a match that overlaps a better one (e.g. "Vries" inside "Jan de Vries").
    for (const { m } of ready) {
      const covered = all.some(({ m: o }) => o !== m && o.start < m.end && m.start < o.end && better(o, m));
      if (!covered) this.emit(m);
    }
  }

  end(): void {
    this.settle(true);
  }
}
