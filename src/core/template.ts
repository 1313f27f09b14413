// Logic-less templates: plain text with {{name}} placeholders and nothing else.
// No sections, conditions, partials or raw output, so what a letter can say
// is visible in the template itself, and every value passes through one place
// (renderTemplate) where it is escaped and where a missing value stops the
// render instead of leaving a gap or a stray "{{...}}" in a family's letter.
// The only names a template can reach are the case-facing ones below and the
// caller's own --set keys: there is deliberately no placeholder for a worker's
// real name, e-mail, phone or personnel number.

import { UsageError } from '../errors.js';

export { longDate } from './dates.js';

export type PlaceholderOrigin =
  | { kind: 'template'; line: number }
  | { kind: 'placeholder'; name: string; line: number; column: number };

/** A run of output; the output is `pieces.map((p) => p.text).join('')`. */
export interface Piece {
  text: string;
  origin: PlaceholderOrigin;
}

/** Where a placeholder's "{{" stands; line and column are 1-based, the column counts characters. */
export interface Placeholder {
  name: string;
  line: number;
  column: number;
}

export type TemplateNode = { kind: 'text'; text: string; line: number } | ({ kind: 'placeholder' } & Placeholder);

export interface ParsedTemplate {
  readonly name: string;
  /** Every placeholder in order of appearance, repeats included. */
  readonly placeholders: readonly Placeholder[];
  readonly nodes: readonly TemplateNode[];
}

/** The values the vault fills in; nothing else about a worker is reachable. */
export const CASE_FACING_PLACEHOLDERS: readonly string[] = Object.freeze([
  'worker.name',
  'worker.formal_name',
  'case.reference',
  'team.name',
  'team.phone',
  'team.email',
  'team.address',
  'today',
]);

const CASE_FACING = new Set(CASE_FACING_PLACEHOLDERS);
const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/u;
const NAME_RULE = 'a name is a letter followed by letters, digits, "_", "." or "-"';
const NO_IDENTITY = "there is no placeholder for a worker's real name, e-mail, phone or personnel number";
// What follows "{{" in Mustache/Handlebars to open a section, partial, comment,
// unescaped output or delimiter change; none of it exists here.
const LOGIC_SIGILS = new Set(['{', '#', '/', '^', '>', '!', '&', '=']);
const LOGIC_LESS = 'templates are logic-less (no sections, conditions, partials, comments or triple braces)';

// ---------------------------------------------------------------------------
// Names

export type PlaceholderKind = 'case-facing' | 'value' | 'unknown';

// Compared in lower case so "{{Worker.Email}}" or "--set TEAM.phone=..." cannot
// slip past as an ordinary --set key.
function reservedNamespace(name: string): 'worker' | 'case' | 'team' | 'today' | undefined {
  const lower = name.toLowerCase();
  if (lower === 'today') return 'today';
  for (const ns of ['worker', 'case', 'team'] as const) {
    if (lower === ns || lower.startsWith(`${ns}.`)) return ns;
  }
  return undefined;
}

/** A case-facing name the vault fills, a --set key the caller fills, or neither. */
export function placeholderKind(name: string): PlaceholderKind {
  if (CASE_FACING.has(name)) return 'case-facing';
  if (!NAME.test(name) || reservedNamespace(name)) return 'unknown';
  return 'value';
}

function unknownReason(name: string): string {
  const exact = CASE_FACING_PLACEHOLDERS.find((n) => n === name.toLowerCase());
  if (exact) return `did you mean {{${exact}}}?`;
  const ns = reservedNamespace(name);
  if (ns === 'worker') return `${NO_IDENTITY}; use {{worker.name}} or {{worker.formal_name}}, the case pseudonym`;
  if (ns === 'case' || ns === 'team') {
    const known = CASE_FACING_PLACEHOLDERS.filter((n) => n.startsWith(`${ns}.`)).map((n) => `{{${n}}}`);
    return `the ${ns} placeholders are ${listing(known)}`;
  }
  return NAME_RULE;
}

/** --set KEY rules: a plain name that cannot pose as a value the vault fills. */
export function checkSetKey(key: string): void {
  if (!NAME.test(key)) {
    throw new UsageError(`--set ${JSON.stringify(key)}: not a valid key (${NAME_RULE})`, 'e.g. --set locatie="het kantoor van het team"');
  }
  const ns = reservedNamespace(key);
  if (!ns) return;
  const why =
    ns === 'worker' && !CASE_FACING.has(key)
      ? NO_IDENTITY
      : 'worker.*, case.*, team.* and today are filled from the vault for the chosen case and worker';
  throw new UsageError(`--set ${key}: this name is reserved; ${why}`, 'choose another key for your own value, e.g. --set locatie=...');
}

// ---------------------------------------------------------------------------
// Parsing

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionOf(source: string, starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  // Characters, not UTF-16 units, so an emoji earlier on the line does not skew the column.
  return { line: lo + 1, column: [...source.slice(starts[lo]!, offset)].length + 1 };
}

/** Text split after each newline, so every piece sits on exactly one line. */
function textNodes(text: string, firstLine: number): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  let line = firstLine;
  for (const part of text.split(/(?<=\n)/u)) {
    if (part) nodes.push({ kind: 'text', text: part, line });
    line++;
  }
  return nodes;
}

/** Reads a template; throws one UsageError listing every syntax error with its line. */
export function parseTemplate(source: string, name: string): ParsedTemplate {
  // An editor's byte-order mark is not part of the letter.
  const src = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const starts = lineStarts(src);
  const nodes: TemplateNode[] = [];
  const placeholders: Placeholder[] = [];
  const errors: string[] = [];
  let i = 0;
  let textLine = 1;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open === -1) break;
    nodes.push(...textNodes(src.slice(i, open), textLine));
    const { line, column } = positionOf(src, starts, open);
    const close = src.indexOf('}}', open + 2);
    const lineEnd = src.indexOf('\n', open);
    const closed = close !== -1 && (lineEnd === -1 || close < lineEnd);
    const inner = closed ? src.slice(open + 2, close) : '';
    const first = closed ? (inner.trimStart()[0] ?? '') : (src[open + 2] ?? '');
    if (LOGIC_SIGILS.has(first)) {
      // "{{#each}}", "{{ #each }}", "{{{raw}}}": Mustache constructs that have no meaning here.
      const end = closed ? close + 2 + (first === '{' && src[close + 2] === '}' ? 1 : 0) : open + 3;
      errors.push(`${src.slice(open, end)} on line ${line}: ${LOGIC_LESS}`);
      i = end;
    } else if (!closed) {
      errors.push(`"{{" on line ${line}, column ${column} has no closing "}}" on that line`);
      i = open + 2;
    } else {
      const key = inner.trim();
      if (key === '') errors.push(`empty placeholder {{${inner}}} on line ${line}`);
      else if (!NAME.test(key)) errors.push(`invalid placeholder {{${inner}}} on line ${line} (${NAME_RULE})`);
      else {
        const p: Placeholder = { name: key, line, column };
        placeholders.push(p);
        nodes.push({ kind: 'placeholder', ...p });
      }
      i = close + 2;
    }
    textLine = positionOf(src, starts, i).line;
  }
  nodes.push(...textNodes(src.slice(i), textLine));
  if (errors.length > 0) {
    throw new UsageError(`template ${name}: ${errors.join('; ')}`, 'a placeholder is {{name}} on one line, e.g. {{worker.name}}; templates have no other syntax');
  }
  return { name, placeholders, nodes };
}

/** Distinct placeholder names in order of first use. */
export function placeholderNames(t: ParsedTemplate): string[] {
  return [...new Set(t.placeholders.map((p) => p.name))];
}

// ---------------------------------------------------------------------------
// Rendering

export type Values = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export interface TemplateProblem {
  kind: 'unknown' | 'unfilled';
  name: string;
  /** Every line the placeholder stands on, ascending. */
  lines: number[];
  /** For unknown names: why, in words. */
  reason?: string;
}

function isMap(values: Values): values is ReadonlyMap<string, string> {
  return values instanceof Map || (typeof values.get === 'function' && typeof values.has === 'function');
}

function lookup(values: Values): (name: string) => string | undefined {
  if (isMap(values)) return (name) => values.get(name);
  // Own keys only: "constructor" or "__proto__" must not resolve to Object's.
  return (name) => (Object.hasOwn(values, name) ? (values as Record<string, string>)[name] : undefined);
}

function filled(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Every unknown or unfilled placeholder, in order of first appearance; empty when the render would succeed. */
export function templateProblems(t: ParsedTemplate, values: Values): TemplateProblem[] {
  const get = lookup(values);
  const problems = new Map<string, TemplateProblem>();
  for (const p of t.placeholders) {
    const seen = problems.get(p.name);
    if (seen) {
      if (!seen.lines.includes(p.line)) seen.lines.push(p.line);
      continue;
    }
    const kind = placeholderKind(p.name);
    if (kind === 'unknown') problems.set(p.name, { kind, name: p.name, lines: [p.line], reason: unknownReason(p.name) });
    else if (!filled(get(p.name))) problems.set(p.name, { kind: 'unfilled', name: p.name, lines: [p.line] });
  }
  return [...problems.values()];
}

function listing(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function describe(p: TemplateProblem): string {
  const where = p.lines.length === 1 ? `line ${p.lines[0]}` : `lines ${listing(p.lines.map(String))}`;
  const text = `${p.kind} placeholder {{${p.name}}} on ${where}`;
  return p.reason ? `${text} (${p.reason})` : text;
}

function hintFor(problems: readonly TemplateProblem[]): string {
  const hints: string[] = [];
  const missingKeys = problems.filter((p) => p.kind === 'unfilled' && placeholderKind(p.name) === 'value').map((p) => p.name);
  if (missingKeys.length > 0) hints.push(`give ${missingKeys.length === 1 ? 'it' : 'them'} with ${missingKeys.map((k) => `--set ${k}=...`).join(' ')}`);
  const missingVault = problems.filter((p) => p.kind === 'unfilled' && placeholderKind(p.name) === 'case-facing').map((p) => p.name);
  if (missingVault.includes('team.name')) hints.push('the team comes from the case: `schuilnaam case update REF --team "Team …"`');
  if (missingVault.some((n) => n.startsWith('team.') && n !== 'team.name')) hints.push("team contact details are the team's functional ones, set with `schuilnaam team set`");
  if (problems.some((p) => p.kind === 'unknown')) hints.push(`placeholders are ${CASE_FACING_PLACEHOLDERS.join(', ')} and your own --set keys`);
  return hints.join('; ');
}

export interface RenderOptions {
  /** Applied to every placeholder value, never to the template's own text. */
  escape?: (value: string) => string;
}

/** Fills every placeholder; throws one UsageError naming each unknown or unfilled placeholder and its line(s). */
export function renderTemplate(t: ParsedTemplate, values: Values, options: RenderOptions = {}): { text: string; pieces: Piece[] } {
  const problems = templateProblems(t, values);
  if (problems.length > 0) {
    throw new UsageError(`template ${t.name}: ${problems.map(describe).join('; ')}`, hintFor(problems) || undefined);
  }
  const get = lookup(values);
  const escape = options.escape ?? ((s: string) => s);
  const pieces: Piece[] = t.nodes.map((n) =>
    n.kind === 'text'
      ? { text: n.text, origin: { kind: 'template', line: n.line } }
      : // One pass over the template: a value containing "{{x}}" stays literal text.
        { text: escape(get(n.name)!), origin: { kind: 'placeholder', name: n.name, line: n.line, column: n.column } },
  );
  return { text: pieces.map((p) => p.text).join(''), pieces };
}

// ---------------------------------------------------------------------------
// Escaping

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c]!);
}

// Characters that mean something inline anywhere in a line. "&" is among them
// so "&#74;an" cannot become "Jan" only after conversion, out of a scan's sight.
const MD_INLINE = /[\\`*_{}[\]<>|~&]/gu;
// Block markers that only count at the start of a line (after indentation) and
// only when followed by a space, the line's end or the same marker: headings
// ("# "), lists ("- ", "+ ", "1. ", "2) "), setext underlines and thematic
// breaks ("---", "==="), and GFM table delimiter rows ("-:", ":-", which make a
// one-column table even without pipes). "+31 6 ...", "-5" or "14.00 uur" stay.
const MD_LINE_START = /^([ \t]*)(?:([#+=])(?=\2|[ \t]|$)|(-)(?=[-: \t]|$)|(:)(?=-)|(\d{1,9})([.)])(?=[ \t]|$))/gmu;

/**
 * Makes a value plain text inside a Markdown template: no emphasis, links,
 * images, HTML, headings, lists or tables can come from it, while ordinary
 * words stay readable ("Jan-Willem", "1 mei", "vader & moeder" barely change).
 * Newlines stay newlines. A value is treated as if it starts a line, since
 * the template may put it there.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(MD_INLINE, '\\$&')
    .replace(MD_LINE_START, (_m, indent: string, m1?: string, m2?: string, m3?: string, digits?: string, dot?: string) => {
      const marker = m1 ?? m2 ?? m3;
      return marker ? `${indent}\\${marker}` : `${indent}${digits}\\${dot}`;
    });
}

/** The escape that suits a template file, by its extension: .md, .html/.htm, or none for plain text. */
export function escapeForTemplate(fileName: string): (value: string) => string {
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'md' || ext === 'markdown') return escapeMarkdown;
  if (ext === 'html' || ext === 'htm') return escapeHtml;
  return (s) => s;
}
