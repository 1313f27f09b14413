// Rendering a letter for a family: the case's pseudonym for the worker and
// the team's functional contact details go into a logic-less template, the
// output is written in the chosen format in memory, and the leak gate (the
// same scanner as `scan`) checks every part of it, metadata included, before
// the caller may write a byte to disk.
import { longDate } from '../core/dates.js';
import { CASE_FACING_PLACEHOLDERS, escapeForTemplate, type Piece, parseTemplate, placeholderKind, renderTemplate } from '../core/template.js';
import { UsageError } from '../errors.js';
import type { TemplateSource } from '../formats/templates.js';
import type { DocumentMeta, OutputFormat } from '../formats/write-document.js';
import type { TextSegment } from '../formats/segments.js';
import type { Cases } from './cases.js';
import type { Pseudonyms } from './pseudonyms.js';
import type { Finding, Scanner } from './scanner.js';
import type { Teams } from './teams.js';

export interface RenderRequest {
  template: TemplateSource;
  reference: string;
  worker: string;
  /** --set and --data values. */
  values: Record<string, string>;
  format: OutputFormat;
  /** The output's file name, for messages. */
  outName: string;
}

/** A finding of the leak gate, with where in the template it came from. */
export interface GateFinding extends Finding {
  source: string;
}

export interface Rendered {
  bytes: Uint8Array;
  /** The pseudonym written into the document. */
  pseudonym: { id: string; name: string; formal: string };
  /** The case reference as stored (the caller may have typed it in another case). */
  reference: string;
  blocked: GateFinding[];
  /** Low-confidence findings (a surname or first name alone): reported, not blocking. */
  low: number;
  /** Milliseconds spent rendering and in the leak gate. */
  timings: { render: number; gate: number };
}

export class Renderer {
  constructor(
    private readonly cases: Cases,
    private readonly pseudonyms: Pseudonyms,
    private readonly teams: Teams,
    private readonly scanner: Scanner,
    private readonly now: () => Date,
    /** Where warnings for the user go (the vault's notices, printed after the command). */
    private readonly notices: string[] = [],
  ) {}

  /** The values a template can see for this case and worker (issuing a pseudonym if needed). */
  private caseFacing(reference: string, worker: string, language: 'nl' | 'en'): { values: Map<string, string>; pseudonym: Rendered['pseudonym'] } {
    const caseRow = this.cases.find(reference);
    const p = this.pseudonyms.get(reference, worker);
    const team = this.cases.team(caseRow);
    const contact = this.teams.contact(team);
    const values = new Map<string, string>([
      ['worker.name', p.pseudonym],
      ['worker.formal_name', p.formal],
      ['case.reference', this.cases.reference(caseRow)],
      ['today', longDate(this.now(), language)],
    ]);
    if (team) values.set('team.name', team);
    if (contact.phone) values.set('team.phone', contact.phone);
    if (contact.email) values.set('team.email', contact.email);
    if (contact.address) values.set('team.address', contact.address);
    return { values, pseudonym: { id: p.id, name: p.pseudonym, formal: p.formal } };
  }

  async render(req: RenderRequest): Promise<Rendered> {
    const t0 = performance.now();
    const { template: t } = req;
    if (t.type === 'docx' && req.format !== 'docx') {
      throw new UsageError(`a Word template renders to .docx only, not .${req.format}`, 'render to .docx, or use a .md, .txt or .html template for .pdf, .html, .md or .txt');
    }
    const { values, pseudonym } = this.caseFacing(req.reference, req.worker, t.language);
    const reference = values.get('case.reference')!;
    for (const [k, v] of Object.entries(req.values)) values.set(k, v);
    const team = values.get('team.name');
    const meta = { title: documentTitle(t.name), author: team ?? 'Jeugdbescherming', language: t.language, created: this.now() };
    let bytes: Uint8Array;
    if (t.type === 'docx') {
      const { renderDocx } = await import('../formats/render-docx.js');
      bytes = await renderDocx(t.bytes!, t.name, { values, isKnown: (n) => placeholderKind(n) !== 'unknown', author: meta.author, title: meta.title });
    } else {
      const parsed = parseTemplate(t.text!, t.name);
      const rendered = renderTemplate(parsed, values, { escape: escapeForTemplate(`x.${t.type}`) });
      bytes = await formatText(rendered.text, t.type, req.format, meta);
      // Every HTML letter, whatever its template, is written anew from the allow-list.
      if (req.format === 'html') bytes = await this.sanitize(bytes, t, rendered.pieces, meta);
    }
    const t1 = performance.now();
    const { blocked, low } = await this.gate(bytes, req, values);
    return { bytes, pseudonym, reference, blocked, low, timings: { render: t1 - t0, gate: performance.now() - t1 } };
  }

  /**
   * The HTML letter through the allow-list (formats/sanitize-html): active
   * content refuses the template, anything else not allowed is removed with
   * a warning that names it and where it came from.
   */
  private async sanitize(bytes: Uint8Array, t: TemplateSource, pieces: readonly Piece[], meta: DocumentMeta): Promise<Uint8Array> {
    const { sanitizeHtml, describeIssues } = await import('../formats/sanitize-html.js');
    const html = new TextDecoder().decode(bytes);
    const { html: clean, issues } = await sanitizeHtml(html, { language: meta.language, title: meta.title });
    if (issues.length === 0) return new TextEncoder().encode(clean);
    // From an .html template the output is the filled-in template, so offsets map back to its lines and values.
    const fromTemplate = t.type === 'html';
    const where = fromTemplate ? originOf(pieces) : (offset: number) => `line ${lineOf(html, offset)}`;
    const refused = issues.filter((i) => i.action === 'refused');
    if (refused.length > 0) {
      if (!fromTemplate) throw new Error(`the HTML writer produced active content: ${describeIssues(refused, where)}`);
      throw new UsageError(
        `template ${t.name} has active content, which a letter may not carry: ${describeIssues(refused, where)}`,
        'take out scripts, event handlers (onclick=…), javascript: links, frames, objects, forms, <base> and <meta http-equiv="refresh">; see "HTML templates" in docs/templates.md',
      );
    }
    const notice = `removed from the HTML ${fromTemplate ? `template ${t.name}` : 'letter'}: ${describeIssues(issues, where)}`;
    // A batch renders the same template many times: say it once.
    if (!this.notices.includes(notice)) this.notices.push(notice);
    return new TextEncoder().encode(clean);
  }

  /**
   * Scans the output as `scan` would read the file, and says for each
   * high-confidence finding which placeholder value or template line it came from.
   */
  private async gate(bytes: Uint8Array, req: RenderRequest, values: Map<string, string>): Promise<{ blocked: GateFinding[]; low: number }> {
    const { readBytes } = await import('../formats/read-file.js');
    const kind = req.format === 'md' || req.format === 'txt' ? 'text' : req.format;
    const { findings } = await this.scanner.scan(await readBytes(kind, bytes, req.outName));
    if (req.format === 'md') {
      // A Markdown letter is read on screen: "Jo**lan**da" shows as a name. What only shows there is added.
      const { markdownToBlocks } = await import('../formats/markdown.js');
      const { writeText } = await import('../formats/write-text.js');
      const shown = await this.scanner.scan([{ location: 'as shown', text: writeText(await markdownToBlocks(new TextDecoder().decode(bytes))) }]);
      for (const f of shown.findings) if (!findings.some((g) => sameFinding(g, f))) findings.push(f);
    }
    const high = findings.filter((f) => f.confidence === 'high');
    if (high.length === 0) return { blocked: [], low: findings.length };
    const origins = await this.origins(req.template, values);
    // Each origin explains one finding: the same name in a value and in the template is two problems.
    const blocked = high.map((f) => {
      const at = origins.findIndex((o) => !o.used && sameFinding(o.finding, f));
      if (at === -1) return { ...f, source: 'the rendered document' };
      origins[at]!.used = true;
      return { ...f, source: origins[at]!.source };
    });
    return { blocked, low: findings.length - high.length };
  }

  /** Findings in each value given (by its placeholder) and in the template itself (by line). */
  private async origins(t: TemplateSource, values: Map<string, string>): Promise<{ finding: Finding; source: string; used?: boolean }[]> {
    const out: { finding: Finding; source: string; used?: boolean }[] = [];
    for (const [name, value] of values) {
      if (CASE_FACING_PLACEHOLDERS.includes(name) && !name.startsWith('team.')) continue;
      // A team detail that is also a worker's own (entered as a worker's phone later, say) is fixed with team set.
      const source = name.startsWith('team.') ? `the team's ${name.slice(5)} ({{${name}}}); correct it with "schuilnaam team set"` : `the value of {{${name}}}`;
      for (const f of (await this.scanner.scan([{ location: 'value', text: value }])).findings) out.push({ finding: f, source });
    }
    // The file name becomes the document's title.
    for (const f of (await this.scanner.scan([{ location: 'title', text: documentTitle(t.name) }])).findings) {
      out.push({ finding: f, source: "the template's file name (it becomes the document title)" });
    }
    let segments: TextSegment[];
    const { readBytes } = await import('../formats/read-file.js');
    if (t.type === 'docx') segments = await readBytes('docx', t.bytes!, t.name);
    // HTML as a browser shows it: entities decoded, tags inside a name joined; lines are the source's.
    else if (t.type === 'html') segments = (await readBytes('html', new TextEncoder().encode(t.text!), t.name)).map((s) => (s.location === 'body' ? { ...s, location: 'template' } : s));
    else segments = [{ location: 'template', text: t.text! }];
    for (const f of (await this.scanner.scan(segments)).findings) {
      const where = f.location === 'template' || f.location === 'body' ? '' : ` (${f.location})`;
      out.push({ finding: f, source: `${t.builtin ? 'built-in template' : 'template'} ${t.name}${f.line ? ` line ${f.line}` : ''}${where}` });
    }
    return out;
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** For an offset in the filled-in template: its template line, and the placeholder when a value put it there. */
function originOf(pieces: readonly Piece[]): (offset: number) => string {
  return (offset) => {
    let start = 0;
    for (const p of pieces) {
      const end = start + p.text.length;
      if (offset < end || p === pieces.at(-1)) {
        if (p.origin.kind === 'template') return `line ${p.origin.line + lineOf(p.text, offset - start) - 1}`;
        return `line ${p.origin.line}, from the value of {{${p.origin.name}}}`;
      }
      start = end;
    }
    return 'line 1';
  };
}

function sameFinding(a: Finding, b: Finding): boolean {
  const norm = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}@]+/gu, ' ').trim();
  return a.kind === b.kind && (a.worker === b.worker || norm(a.text) === norm(b.text));
}

function documentTitle(template: string): string {
  const base = template.split(/[\\/]/u).pop() ?? template;
  return base.replace(/\.[^.]+$/u, '');
}

/** A filled-in .md, .txt or .html template in the output format. */
async function formatText(text: string, type: 'md' | 'txt' | 'html', format: OutputFormat, meta: import('../formats/write-document.js').DocumentMeta): Promise<Uint8Array> {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  // The same type out as in: the filled-in source is the document.
  if ((type === 'md' && format === 'md') || (type === 'txt' && format === 'txt') || (type === 'html' && format === 'html')) return utf8(text);
  const { markdownToBlocks, htmlToBlocks, textToBlocks } = await import('../formats/markdown.js');
  const blocks = type === 'md' ? await markdownToBlocks(text) : type === 'html' ? await htmlToBlocks(text) : textToBlocks(text);
  const { writeDocument } = await import('../formats/write-document.js');
  return writeDocument(blocks, meta, format);
}
