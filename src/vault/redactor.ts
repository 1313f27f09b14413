// Redaction of plain text: every high-confidence finding is replaced by the
// worker's pseudonym for the case (issued if needed), or a neutral word when
// the worker is not on the case; contact details by placeholders. The result
// is scanned again and refused unless clean.
import { TITLES } from '../core/leak-forms.js';
import { escapeHtml } from '../core/template.js';
import { UsageError } from '../errors.js';
import type { Cases } from './cases.js';
import type { VaultContext } from './context.js';
import type { Pseudonyms } from './pseudonyms.js';
import type { Teams } from './teams.js';
import type { TeamContact } from '../core/team-contact.js';
import type { Finding, Scanner } from './scanner.js';
import type { TextSegment } from '../formats/segments.js';
import type { TextEdit } from '../formats/rewrite-docx.js';

export const UNKNOWN_WORKER = '[medewerker]';
const PLACEHOLDER: Record<string, string> = { email: '[e-mailadres]', phone: '[telefoonnummer]', 'employee-no': '[personeelsnummer]' };

export interface Redaction {
  text: string;
  replaced: number;
  /** Low-confidence findings left as they were (a surname or first name alone). */
  low_left: number;
}

export class Redactor {
  /** The pseudonyms written into the copy (id -> name), for the document register. */
  readonly used = new Map<string, string>();

  constructor(
    private readonly ctx: VaultContext,
    private readonly cases: Cases,
    private readonly pseudonyms: Pseudonyms,
    private readonly teams: Teams,
  ) {}

  /** The functional contact details of the case's team, which replace a worker's own. */
  private contact(reference: string): TeamContact {
    return this.teams.contact(this.cases.team(this.cases.find(reference)));
  }

  private replacement(f: Finding, reference: string, caseWorkers: Set<string>): string {
    if (f.kind === 'email' || f.kind === 'phone') {
      const c = this.contact(reference);
      const functional = f.kind === 'email' ? c.email : c.phone;
      if (functional) return functional;
    }
    const placeholder = PLACEHOLDER[f.kind];
    if (placeholder) return placeholder;
    // A former worker has no pseudonym to give: their name becomes the neutral placeholder.
    if (!f.worker || f.former || !caseWorkers.has(f.worker)) return UNKNOWN_WORKER;
    const p = this.pseudonyms.get(reference, f.worker);
    this.used.set(p.id, p.pseudonym);
    // Keep a title ("mevrouw Özdemir" -> "mevrouw E. Smit"); initials stay initials.
    const words = f.text.split(/\s+/u);
    const title = words.length > 1 && TITLES.has(words[0]!.toLowerCase().replace(/\.$/u, '')) ? `${words[0]} ` : '';
    if (title || f.kind === 'initials-name') return title + p.formal;
    return p.pseudonym;
  }

  /**
   * The case's workers, whose names become their pseudonyms. A role without
   * the blind-index key (caseworker) never learns whose name a finding is, so
   * for her every worker's name becomes the neutral placeholder: telling her
   * which pseudonym a colleague's real name has would undo the pseudonym.
   */
  private caseWorkers(reference: string): Set<string> {
    const row = this.cases.find(reference);
    if (!this.ctx.keyring.has('blind')) return new Set();
    return new Set(this.ctx.cases.workersOfCase(row.id));
  }

  /** Edits for one segment, in its own offsets: each high-confidence finding replaced. */
  private async editsFor(seg: TextSegment, reference: string, caseWorkers: Set<string>, scanner: Scanner, counts: { low: number }): Promise<TextEdit[]> {
    const { findings, omitted } = await scanner.scan([seg]);
    if (omitted > 0) throw new UsageError(`too many findings to redact safely (${findings.length + omitted})`, 'split the document or redact it by hand');
    const edits: TextEdit[] = [];
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
    const caseWorkers = this.caseWorkers(reference);
    const counts = { low: 0 };
    const { rewriteDocx } = await import('../formats/rewrite-docx.js');
    const author = this.cases.team(this.cases.find(reference)) ?? 'Jeugdbescherming';
    const r = await rewriteDocx(bytes, name, (text) => this.editsFor({ location: 'body', text }, reference, caseWorkers, scanner, counts), author);
    return { bytes: r.bytes, replaced: r.edits, low_left: counts.low };
  }

  /**
   * Redacts an e-mail: it is rebuilt with only the headers that matter
   * (rewrite-eml.ts); display names, subject, bodies, file names and text or
   * Word attachments are redacted like any other text. A worker's own
   * address becomes the team's functional mailbox (which must be set).
   */
  async redactEml(bytes: Uint8Array, name: string, reference: string, scanner: Scanner): Promise<{ bytes: Uint8Array; replaced: number; low_left: number; dropped: string[] }> {
    this.caseWorkers(reference);
    const { rewriteEml } = await import('../formats/rewrite-eml.js');
    const { htmlToSegments } = await import('../formats/read-html.js');
    let replaced = 0;
    let low = 0;
    const text = async (t: string, where: string) => {
      const r = await this.redactSource(t, [{ location: where, text: t }], reference, scanner, (x) => x);
      replaced += r.replaced;
      low += r.low_left;
      return r.text;
    };
    const r = await rewriteEml(bytes, name, {
      text,
      html: async (html) => {
        const out = await this.redactSource(html, await htmlToSegments(html), reference, scanner, escapeHtml);
        replaced += out.replaced;
        low += out.low_left;
        return out.text;
      },
      mailbox: async (m, header) => {
        // An address that is a worker's own, or reads as a worker's name ("g.bakker@…").
        const own = (await scanner.scan([{ location: `mail-header:${header}`, text: m.address }])).findings.some((f) => f.confidence === 'high');
        let address = m.address;
        if (own && (header === 'to' || header === 'cc')) {
          // A colleague among the recipients: the family's copy does not show them.
          replaced++;
          return null;
        }
        if (own) {
          const functional = this.contact(reference).email;
          if (!functional) {
            throw new UsageError(`${name}: a worker's own address is in the ${header} header and the case's team has no functional mailbox`, 'set one with "schuilnaam team set TEAM --email …", then redact again');
          }
          address = functional;
          replaced++;
        }
        return { name: m.name ? await text(m.name, `mail-header:${header}`) : '', address };
      },
      docx: async (b, attachment) => {
        const out = await this.redactDocx(b, attachment, reference, scanner);
        replaced += out.replaced;
        low += out.low_left;
        return out.bytes;
      },
    });
    return { bytes: r.bytes, replaced, low_left: low, dropped: r.dropped };
  }

  /**
   * Redacts a source text given the segments a reader extracted from it (each
   * with `sourceRange` when its offsets are not the source's; plain text is
   * one segment that is the source). `escape` makes a replacement safe in the
   * source's syntax (HTML entities).
   */
  async redactSource(source: string, segments: TextSegment[], reference: string, scanner: Scanner, escape: (t: string) => string): Promise<Redaction> {
    const caseWorkers = this.caseWorkers(reference);
    const counts = { low: 0 };
    const edits: TextEdit[] = [];
    for (const seg of segments) {
      for (const e of await this.editsFor(seg, reference, caseWorkers, scanner, counts)) {
        const [start, end] = seg.sourceRange ? seg.sourceRange(e.start, e.end) : [e.start, e.end];
        edits.push({ start, end, text: escape(e.text) });
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
    return { text: out, replaced, low_left: counts.low };
  }
}
