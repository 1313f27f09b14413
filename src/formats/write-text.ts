// Plain text (.txt): what a letter reads like without any styling. Headings
// are underlined (= for the first level, - below it), list items start with
// "- " or their number, blocks are separated by a blank line. Lines are not
// wrapped: the reader's editor or mail program does that.
import { plainLines, tidyBlocks, type Block } from './markdown.js';

const RULE = '-'.repeat(40);

/** Width of a line as it shows in a monospaced editor (combining marks take no column). */
const columns = (line: string) => line.normalize('NFC').replace(/\p{M}/gu, '').length;

function heading(lines: string[], level: number): string {
  const width = Math.max(...lines.map(columns), 1);
  return [...lines, (level === 1 ? '=' : '-').repeat(width)].join('\n');
}

function list(block: Extract<Block, { type: 'list' }>): string {
  const first = block.start ?? 1;
  const last = first + block.items.length - 1;
  const width = block.ordered ? `${Math.max(Math.abs(first), Math.abs(last))}.`.length + 1 : 2;
  return block.items
    .map((item, i) => {
      const marker = (block.ordered ? `${first + i}.` : '-').padEnd(width);
      // Continuation lines line up with the item's text, as in Markdown.
      return plainLines(item)
        .map((line, j) => (j === 0 ? marker : ' '.repeat(width)) + line)
        .join('\n');
    })
    .join('\n');
}

export function writeText(blocks: Block[]): string {
  const parts = tidyBlocks(blocks).map((block) => {
    switch (block.type) {
      case 'heading':
        return heading(plainLines(block.runs), block.level);
      case 'paragraph':
        return plainLines(block.runs).join('\n');
      case 'list':
        return list(block);
      case 'rule':
        return RULE;
    }
  });
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}
