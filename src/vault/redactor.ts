// Redaction of plain text: every high-confidence finding is replaced by the
// worker's pseudonym for the case (issued if needed), or a neutral word when
// the worker is not on the case; contact details by placeholders. The result
// is scanned again and refused unless clean.
import { TITLES } from '../core/leak-forms.js';
import { UsageError } from '../errors.js';
import type { Cases } from './cases.js';
import type { VaultContext } from './context.js';
import type { Pseudonyms } from './pseudonyms.js';
import type { Finding, Scanner } from './scanner.js';
import type { TextSegment } from '../formats/segments.js';

export const UNKNOWN_WORKER = '[medewerker]';
const PLACEHOLDER: Record<string, string> = { email: '[e-mailadres]', phone: '[telefoonnummer]', 'employee-no': '[personeelsnummer]' };

export interface Redaction {
  text: string;
  replaced: number;
  /** Low-confidence findings left as they were (a surname or first name alone). */
  low_left: number;
}

export class Redactor {
  constructor(
    private readonly ctx: VaultContext,
    private readonly cases: Cases,
    private readonly pseudonyms: Pseudonyms,
  ) {}

  private replacement(f: Finding, reference: string, caseWorkers: Set<string>): string {
    const placeholder = PLACEHOLDER[f.kind];
    if (placeholder) return placeholder;
    if (!f.worker || !caseWorkers.has(f.worker)) return UNKNOWN_WORKER;
    const p = this.pseudonyms.get(reference, f.worker);
    // Keep a title ("mevrouw Özdemir" -> "mevrouw E. Smit"); initials stay initials.
    const words = f.text.split(/\s+/u);
    const title = words.length > 1 && TITLES.has(words[0]!.toLowerCase().replace(/\.$/u, '')) ? `${words[0]} ` : '';
    if (title || f.kind === 'initials-name') return title + p.formal;
    return p.pseudonym;
  }

  /** Edits for one piece of text: each high-confidence finding replaced. */
  private async editsFor(text: string, reference: string, caseWorkers: Set<string>, scanner: Scanner, counts: { low: number }) {
    const { findings, omitted } = await scanner.scan([{ location: 'body', text }]);
    if (omitted > 0) throw new UsageError(`too many findings to redact safely (${findings.length + omitted})`, 'split the document or redact it by hand');
    const edits: { start: number; end: number; text: string }[] = [];
    for (const f of findings) {
      if (f.confidence !== 'high' || !f.span) counts.low++;
      else edits.push({ start: f.span.start, end: f.span.end, text: this.replacement(f, reference, caseWorkers) });
    }
    return edits;
  }

  /**
   * Redacts a Word file: runs keep their formatting; the author and last
   * editor become the case's team (or the organisation).
   */
  async redactDocx(bytes: Uint8Array, name: string, reference: string, scanner: Scanner): Promise<{ bytes: Uint8Array; replaced: number; low_left: number }> {
    this.ctx.requireRight('blind', 'redact documents (it needs to know which worker a name belongs to)');
    const caseRow = this.cases.find(reference);
    const caseWorkers = new Set(this.ctx.cases.workersOfCase(caseRow.id));
    const counts = { low: 0 };
    const { rewriteDocx } = await import('../formats/rewrite-docx.js');
    const author = this.cases.team(caseRow) ?? 'Jeugdbescherming';
    const r = await rewriteDocx(bytes, name, (text) => this.editsFor(text, reference, caseWorkers, scanner, counts), author);
    return { bytes: r.bytes, replaced: r.edits, low_left: counts.low };
  }

  /** Redacts plain text: offsets in the text are offsets in the source. */
  async redactText(text: string, reference: string, scanner: Scanner): Promise<Redaction> {
    return this.redactSource(text, [{ location: 'body', text }], reference, scanner, (t) => t);
  }

  /**
   * Redacts a source text given the segments a reader extracted from it (each
   * with `sourceRange` when its offsets are not the source's). `escape` makes a
   * replacement safe in the source's syntax (HTML entities).
   */
  async redactSource(source: string, segments: TextSegment[], reference: string, scanner: Scanner, escape: (t: string) => string): Promise<Redaction> {
    this.ctx.requireRight('blind', 'redact documents (it needs to know which worker a name belongs to)');
    const caseRow = this.cases.find(reference);
    const caseWorkers = new Set(this.ctx.cases.workersOfCase(caseRow.id));
    const edits: { start: number; end: number; text: string }[] = [];
    let low = 0;
    for (const seg of segments) {
      const { findings, omitted } = await scanner.scan([seg]);
      if (omitted > 0) throw new UsageError(`too many findings to redact safely (${findings.length + omitted})`, 'split the document or redact it by hand');
      for (const f of findings) {
        if (f.confidence !== 'high' || !f.span) {
          low++;
          continue;
        }
        const [start, end] = seg.sourceRange ? seg.sourceRange(f.span.start, f.span.end) : [f.span.start, f.span.end];
        edits.push({ start, end, text: escape(this.replacement(f, reference, caseWorkers)) });
      }
    }
    // From the end backwards, so earlier offsets stay valid; an edit overlapping one already made is covered by it.
    edits.sort((a, b) => b.start - a.start || b.end - a.end);
    let out = source;
    let limit = Infinity;
    let replaced = 0;
    for (const e of edits) {
      if (e.end > limit) continue;
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
      limit = e.start;
      replaced++;
    }
    return { text: out, replaced, low_left: low };
  }
}
