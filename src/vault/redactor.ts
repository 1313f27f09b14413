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

  async redactText(text: string, reference: string, scanner: Scanner): Promise<Redaction> {
    this.ctx.requireRight('blind', 'redact documents (it needs to know which worker a name belongs to)');
    const caseRow = this.cases.find(reference);
    const caseWorkers = new Set(this.ctx.cases.workersOfCase(caseRow.id));
    const { findings, omitted } = await scanner.scan([{ location: 'body', text }]);
    if (omitted > 0) throw new UsageError(`too many findings to redact safely (${findings.length + omitted})`, 'split the document or redact it by hand');
    const high = findings.filter((f) => f.confidence === 'high' && f.span).sort((a, b) => b.span!.start - a.span!.start);
    let out = text;
    for (const f of high) out = out.slice(0, f.span!.start) + this.replacement(f, reference, caseWorkers) + out.slice(f.span!.end);
    return { text: out, replaced: high.length, low_left: findings.length - high.length };
  }
}
