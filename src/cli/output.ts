// The one place that decides between human output and --json.
import type { ChalkInstance } from 'chalk';
import type { Ctx } from './context.js';

export function emit<T>(ctx: Ctx, data: T, human: (data: T, style: ChalkInstance) => string | string[]): void {
  if (ctx.json) {
    ctx.term.out(JSON.stringify(data, null, 2));
    return;
  }
  const text = human(data, ctx.term.style);
  const lines = Array.isArray(text) ? text.join('\n') : text;
  if (lines !== '') ctx.term.out(lines);
}

/** Aligned two-column "key  value" lines. */
export function fields(rows: [string, string | null | undefined][], style: ChalkInstance): string[] {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${style.dim(k.padEnd(width))}  ${v ?? style.dim('-')}`);
}

/** A plain table with a header row; columns padded to their widest cell. */
export function table(header: string[], rows: string[][], style: ChalkInstance): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [style.bold(line(header)), ...rows.map(line)];
}
