// Choosing a reader: by extension for files, by content for standard input.
// Plain text is streamed in ~1 MiB chunks so that a huge file is never held
// in memory; the other formats are containers that have to be read whole.
// The readers (and their libraries) are imported only when a file of their
// type comes along, so that the CLI starts fast.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { decodeChunks } from './decode-text.js';
import type { SegmentReader, TextSegment } from './segments.js';

export type DocumentKind = 'text' | 'html' | 'docx' | 'pdf' | 'eml';

const EXTENSIONS: Record<string, DocumentKind> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'text',
  '.markdown': 'text',
  '.csv': 'text',
  '.tsv': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.docx': 'docx',
  '.docm': 'docx',
  '.dotx': 'docx',
  '.pdf': 'pdf',
  '.eml': 'eml',
};

/** The extensions `scan` reads, for help texts and hints. */
export const SCANNABLE_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

const TYPES_HINT = `scannable types: ${SCANNABLE_EXTENSIONS.join(', ')}`;

const CHUNK = 64 * 1024; // small reads die young in the garbage collector: memory stays flat on huge files

/** The kind of document a file name stands for, or undefined. */
export function kindOfName(name: string): DocumentKind | undefined {
  return EXTENSIONS[extname(name).toLowerCase()];
}

async function readerFor(kind: Exclude<DocumentKind, 'text'>): Promise<SegmentReader> {
  switch (kind) {
    case 'html':
      return (await import('./read-html.js')).readHtml;
    case 'docx':
      return (await import('./read-docx.js')).readDocx;
    case 'pdf':
      return (await import('./read-pdf.js')).readPdf;
    case 'eml':
      return (await import('./read-eml.js')).readEml;
  }
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return String((e as Error)?.message ?? e).toLowerCase();
  }
}

/** Chunks of text from the file, decoded as it goes; a fresh read on every iteration. */
function streamedText(path: string, name: string): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      const stream = createReadStream(path, { highWaterMark: CHUNK });
      try {
        yield* decodeChunks(stream as AsyncIterable<Buffer>);
      } catch (e) {
        throw new UsageError(`cannot scan ${name}: ${ioReason(e)}`);
      } finally {
        stream.destroy();
      }
    },
  };
}

/** Segments of the file at `path`, read by the reader its extension names (`name` is used in messages). */
export async function readSegments(path: string, name: string = path): Promise<TextSegment[]> {
  const ext = extname(path).toLowerCase();
  const kind = EXTENSIONS[ext];
  if (!kind) {
    throw new UsageError(`cannot scan ${name}: ${ext ? `unknown file type ${ext}` : 'unknown file type (no extension)'}`, TYPES_HINT);
  }
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = s.size;
  } catch (e) {
    throw new UsageError(`cannot scan ${name}: ${ioReason(e)}`);
  }
  if (kind === 'text') {
    // Check that it can be opened now (not halfway through the scan) and that
    // it is text: a PDF or Word file renamed to .txt would otherwise scan as
    // a clean heap of bytes.
    let head: Uint8Array;
    try {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(8192);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        head = buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (e) {
      throw new UsageError(`cannot scan ${name}: ${ioReason(e)}`);
    }
    const actual = sniffKind(head);
    const disguised: Partial<Record<typeof actual, string>> = {
      pdf: 'a PDF (rename it to .pdf)',
      zip: 'a zip archive (a .docx? rename it)',
      ole: 'an old Office document',
      binary: 'binary data',
    };
    if (disguised[actual]) throw new UsageError(`cannot scan ${name}: it is not text but ${disguised[actual]}`, TYPES_HINT);
    if (isMarkdownName(path) && size <= MAX_MARKDOWN) {
      let text = '';
      for await (const chunk of streamedText(path, name)) text += chunk;
      return markdownSegments(text);
    }
    return [{ location: 'body', text: streamedText(path, name) }];
  }

  let bytes: Uint8Array;
  try {
    const { readFile } = await import('node:fs/promises');
    bytes = await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot scan ${name}: ${ioReason(e)}`);
  }
  if (size === 0 || bytes.length === 0) throw new UsageError(`cannot scan ${name}: the file is empty`);
  return (await readerFor(kind))(bytes, name);
}

/** Markdown bigger than this is scanned as its source only (it is read whole to be shown). */
const MAX_MARKDOWN = 16 * 1024 * 1024;

export const isMarkdownName = (name: string): boolean => /\.(md|markdown)$/iu.test(name);

/**
 * A segment that repeats another one's text as a reader sees it (Markdown
 * shown, not its source): the scanner reports only what it adds.
 */
export interface ShownSegment extends TextSegment {
  shownOf: string;
}

/**
 * Markdown as a file (its source, with lines) and as it shows on screen:
 * "Ja**nine** Verbeek" and "Chlo&euml;" read as names only there.
 */
export async function markdownSegments(source: string): Promise<TextSegment[]> {
  const { markdownToBlocks } = await import('./markdown.js');
  const { writeText } = await import('./write-text.js');
  const shown: ShownSegment = { location: 'as shown', text: writeText(await markdownToBlocks(source)), noLines: true, shownOf: 'body' };
  return [{ location: 'body', text: source }, shown];
}

/** Segments of `bytes` read as `kind` (also used for e-mail attachments). */
export async function readBytes(kind: DocumentKind, bytes: Uint8Array, name: string): Promise<TextSegment[]> {
  if (kind === 'text') {
    const { decodeText } = await import('./decode-text.js');
    if (isMarkdownName(name) && bytes.length <= MAX_MARKDOWN) return markdownSegments(decodeText(bytes));
    return [{ location: 'body', text: decodeText(bytes) }];
  }
  return (await readerFor(kind))(bytes, name);
}

const MAIL_HEADER = /^(from|received|return-path|mime-version|delivered-to|message-id|date|to|subject|reply-to|sender|cc|x-[\w-]+|dkim-signature|authentication-results|arc-[\w-]+|content-type)[ \t]*:/iu;

/**
 * What a document's first bytes say it is: PDF, a zip (docx), an old OLE
 * Office file, an e-mail (its first lines are RFC 822 headers, at least one of
 * them a mail header), HTML, binary, or else text.
 */
export function sniffKind(head: Uint8Array): DocumentKind | 'zip' | 'ole' | 'binary' {
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return 'pdf'; // %PDF
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'ole';
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const text = utf16
    ? new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(head.subarray(2))
    : Buffer.from(head).toString('latin1').replace(/^\xef\xbb\xbf/u, '');
  if (!utf16 && head.subarray(0, 8192).includes(0)) return 'binary';
  if (/^\s*(<!--[\s\S]*?-->\s*)*(<\?xml[^>]*>\s*)?<(!doctype\s+html|html|head|body)[\s>]/iu.test(text)) return 'html';

  // Headers: "Name: value" lines (with folded continuations) up to the first blank line.
  // An mbox "From " separator line may come first; after it, any header order
  // will do (Received-SPF:, Envelope-To:, …) as long as one is a mail header.
  const block = (text.split(/\r?\n\r?\n/u, 1)[0] ?? '').replace(/^From [^\r\n]*\r?\n/u, '');
  const lines = block.split(/\r?\n/u);
  if (lines.length > 0 && lines.some((l) => MAIL_HEADER.test(l))) {
    const complete = text.length > block.length || lines.length < 200;
    const allHeaders = lines.every((l) => /^[!-9;-~]+[ \t]*:/u.test(l) || /^[ \t]/u.test(l));
    if (complete && allHeaders) return 'eml';
  }
  return 'text';
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Segments of one document on standard input. With `nameHint` (e.g.
 * `--stdin-name letter.docx`) of a known type, that type is used; otherwise
 * the content decides (see `sniffKind`). Text is streamed (and can be iterated
 * once); other formats are read whole.
 */
export async function readStdinSegments(
  stream: AsyncIterable<Uint8Array | string>,
  nameHint?: string,
): Promise<TextSegment[]> {
  const name = nameHint ?? 'stdin';
  const iterator = stream[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let ended = false;
  const toBytes = (c: Uint8Array | string) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  try {
    while (headLength < SNIFF_BYTES) {
      const r = await iterator.next();
      if (r.done) {
        ended = true;
        break;
      }
      const b = toBytes(r.value);
      head.push(b);
      headLength += b.length;
    }
  } catch (e) {
    throw new UsageError(`cannot read ${name}: ${ioReason(e)}`);
  }
  const first = Buffer.concat(head);
  if (first.length === 0 && ended) throw new UsageError(`cannot scan ${name}: the input is empty`);

  const hinted = nameHint ? kindOfName(nameHint) : undefined;
  const sniffed = sniffKind(first);
  const kind: DocumentKind | 'zip' | 'ole' | 'binary' = hinted ?? sniffed;

  if (kind === 'text') {
    async function* rest(): AsyncGenerator<Uint8Array> {
      yield first;
      if (ended) return;
      try {
        for (;;) {
          const r = await iterator.next();
          if (r.done) return;
          yield toBytes(r.value);
        }
      } catch (e) {
        throw new UsageError(`cannot read ${name}: ${ioReason(e)}`);
      }
    }
    return [{ location: 'body', text: decodeChunks(rest()) }];
  }
  if (kind === 'ole') {
    throw new UsageError(`cannot scan ${name}: it is an old Office (.doc) or password-protected file`, TYPES_HINT);
  }
  if (kind === 'binary') throw new UsageError(`cannot scan ${name}: it is binary data of an unknown type`, TYPES_HINT);

  const all: Uint8Array[] = [first];
  try {
    if (!ended) {
      for (;;) {
        const r = await iterator.next();
        if (r.done) break;
        all.push(toBytes(r.value));
      }
    }
  } catch (e) {
    throw new UsageError(`cannot read ${name}: ${ioReason(e)}`);
  }
  const bytes = Buffer.concat(all);
  // A zip is read as Word; the reader says so if it has no word/document.xml.
  return (await readerFor(kind === 'zip' ? 'docx' : kind))(bytes, name);
}
