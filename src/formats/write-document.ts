// Output writers for rendered templates: the filled-in template, as blocks
// (see markdown.ts), becomes the format that `--out`'s extension asks for.
// Every writer is pure: blocks and metadata in, a string or bytes out; the
// caller scans the result and writes the file. Each format lives in its own
// module and loads its library only when called, so `--version` stays fast.
import type { Block } from './markdown.js';
import { writeDocx } from './write-docx.js';
import { writeHtml } from './write-html.js';
import { writeMarkdown } from './write-markdown.js';
import { writePdf } from './write-pdf.js';
import { writeText } from './write-text.js';

export interface DocumentMeta {
  title: string;
  /** The team or organisation, never a person: it ends up in the file's properties. */
  author: string;
  language: 'nl' | 'en';
  subject?: string;
  /** When the document was made (PDF CreationDate); default now. Fixed in tests for byte-identical output. */
  created?: Date;
}

export type OutputFormat = 'md' | 'txt' | 'html' | 'docx' | 'pdf';

export { writeDocx, writeHtml, writeMarkdown, writePdf, writeText };

/** The output format for a path, from its extension; null when there is none we write. */
export function outputFormatOf(path: string): OutputFormat | null {
  const ext = /\.([A-Za-z]+)$/u.exec(path)?.[1]?.toLowerCase();
  switch (ext) {
    case 'md':
    case 'markdown':
      return 'md';
    case 'txt':
    case 'text':
      return 'txt';
    case 'html':
    case 'htm':
      return 'html';
    case 'docx':
      return 'docx';
    case 'pdf':
      return 'pdf';
    default:
      return null;
  }
}

/** The bytes of `blocks` in `format` (text formats as UTF-8). */
export async function writeDocument(blocks: Block[], meta: DocumentMeta, format: OutputFormat): Promise<Uint8Array> {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  switch (format) {
    case 'md':
      return utf8(writeMarkdown(blocks));
    case 'txt':
      return utf8(writeText(blocks));
    case 'html':
      return utf8(await writeHtml(blocks, meta));
    case 'docx':
      return writeDocx(blocks, meta);
    case 'pdf':
      return writePdf(blocks, meta);
  }
}
