// HTML (.html): a complete, self-contained HTML5 document with a small
// embedded house style for A4 letters, so it prints like the PDF and needs
// nothing from the network. All text is escaped; nothing from the template
// becomes markup. A Content-Security-Policy forbids scripts, frames and
// fetching anything; render also passes the page through sanitize-html.
import { escapeHtml } from '../core/template.js';
import { tidyBlocks, type Block, type Run } from './markdown.js';
import { LETTER_CSP } from './sanitize-html.js';
import type { DocumentMeta } from './write-document.js';


const STYLE = `
@page { size: A4; margin: 25mm; }
html { background: #fff; color: #111; }
body {
  font-family: "DejaVu Serif", Georgia, Cambria, "Times New Roman", serif;
  font-size: 10.5pt; line-height: 1.48;
  max-width: 160mm; margin: 25mm auto; padding: 0 1rem;
  font-variant-ligatures: common-ligatures; hyphens: manual; overflow-wrap: break-word;
}
h1, h2, h3, h4, h5, h6 { font-weight: bold; line-height: 1.25; margin: 1.1em 0 0.45em; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3 { font-size: 11.5pt; } h4, h5, h6 { font-size: 10.5pt; }
body > :first-child { margin-top: 0; }
p { margin: 0 0 0.75em; orphans: 2; widows: 2; }
ul, ol { margin: 0 0 0.75em; padding-left: 1.6em; }
li { margin: 0.15em 0; }
hr { border: 0; border-top: 0.5pt solid #999; margin: 1em 0; }
@media print { body { max-width: none; margin: 0; padding: 0; } }
`.trim();

function runs(list: Run[]): string {
  return list
    .map((r) => {
      if (r.break) return '<br>\n';
      let html = escapeHtml(r.text);
      if (r.italic) html = `<em>${html}</em>`;
      if (r.bold) html = `<strong>${html}</strong>`;
      return html;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level}>${runs(b.runs)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${runs(b.runs)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const start = b.ordered && b.start !== undefined ? ` start="${b.start}"` : '';
      return `<${tag}${start}>\n${b.items.map((item) => `<li>${runs(item)}</li>`).join('\n')}\n</${tag}>`;
    }
    case 'rule':
      return '<hr>';
  }
}

// Async like the binary writers, so the caller treats every format alike.
export async function writeHtml(blocks: Block[], meta: DocumentMeta): Promise<string> {
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(LETTER_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(meta.title)}</title>`,
    `<meta name="author" content="${escapeHtml(meta.author)}">`,
    ...(meta.subject ? [`<meta name="description" content="${escapeHtml(meta.subject)}">`] : []),
    '<meta name="generator" content="schuilnaam">',
    `<style>\n${STYLE}\n</style>`,
  ];
  return [
    '<!DOCTYPE html>',
    `<html lang="${meta.language}">`,
    '<head>',
    ...head,
    '</head>',
    '<body>',
    ...tidyBlocks(blocks).map(block),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
