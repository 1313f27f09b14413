// Markdown (.md) for a template that was not Markdown itself (a Markdown
// template is written out as its filled-in source). Text is escaped so it
// reads back as the same blocks: markdownToBlocks(writeMarkdown(b)) ≈ b.
import { splitLines, tidyBlocks, type Block, type Run } from './markdown.js';

/** Characters that are markup anywhere in a line. */
const INLINE = /[\\`*_[\]<~]|&(?=#?[A-Za-z0-9]+;)/gu;

function escapeLineStart(line: string): string {
  // Block markers only count at the start of a line: headings, quotes, list
  // items, rules, setext underlines, numbered items ("1." or "1)").
  return line.replace(/^([#>+=-])/u, '\\$1').replace(/^(\d+)([.)])/u, '$1\\$2');
}

/**
 * Text that reads back as itself when put into Markdown, line by line: for a
 * value filled into a Markdown template, so "1. januari" or "*" in it cannot
 * turn into a list or emphasis.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .split('\n')
    .map((l) => escapeLineStart(l.replace(INLINE, '\\$&')))
    .join('\n');
}

/** `inner` between `mark`s, with its outer white space moved outside (emphasis cannot start or end on a space). */
function wrap(inner: string, mark: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/u.exec(inner)!;
  return m[2] === '' ? inner : `${m[1]}${mark}${m[2]}${mark}${m[3]}`;
}

/** Consecutive runs that share `key`, in order. */
function groups(runs: Run[], key: (r: Run) => boolean): { on: boolean; runs: Run[] }[] {
  const out: { on: boolean; runs: Run[] }[] = [];
  for (const run of runs) {
    const on = key(run);
    const last = out[out.length - 1];
    if (last && last.on === on) last.runs.push(run);
    else out.push({ on, runs: [run] });
  }
  return out;
}

function line(runs: Run[]): string {
  // Bold outside, italic inside: "**mevrouw *De Vries***" is how CommonMark nests them.
  const text = groups(runs, (r) => !!r.bold)
    .map((b) => {
      const inner = groups(b.runs, (r) => !!r.italic)
        .map((i) => {
          const t = i.runs.map((r) => r.text.replace(INLINE, '\\$&')).join('');
          return i.on ? wrap(t, '*') : t;
        })
        .join('');
      return b.on ? wrap(inner, '**') : inner;
    })
    .join('');
  return escapeLineStart(text);
}

/** Lines joined by hard breaks (a backslash at the end of a line). */
const lines = (runs: Run[], indent = '') =>
  splitLines(runs)
    .map(line)
    .join(`\\\n${indent}`);

export function writeMarkdown(blocks: Block[]): string {
  const parts = tidyBlocks(blocks).map((block) => {
    switch (block.type) {
      case 'heading':
        // A heading is one line in Markdown: its line breaks become spaces.
        return `${'#'.repeat(block.level)} ${splitLines(block.runs).map(line).join(' ')}`;
      case 'paragraph':
        return lines(block.runs);
      case 'list': {
        const first = block.start ?? 1;
        return block.items
          .map((item, i) => {
            const marker = block.ordered ? `${first + i}. ` : '- ';
            return marker + lines(item, ' '.repeat(marker.length));
          })
          .join('\n');
      }
      case 'rule':
        return '---';
    }
  });
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}
