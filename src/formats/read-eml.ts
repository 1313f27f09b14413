// E-mail (.eml, RFC 822/MIME), parsed with postal-mime: the address headers
// with display names ("Jan de Vries <j.devries@example.org>"), the subject,
// the plain-text body ("body") and the HTML body (through read-html, its
// locations prefixed "html:": "html:body", "html:attribute:alt", …), and
// every attachment: its file name ("attachment-name"), and, when it is a type
// we can read (.txt, .md, .csv, .html, .docx, .pdf, .eml, text/*), its
// content, read recursively with locations prefixed "attachment:NAME/".
// Forwarded messages (message/rfc822) are read as attachments so that their
// own headers are seen too. Other attachments give a note segment (notes.ts):
// "not scanned" must not read as "clean". An attachment of a readable type
// that turns out to be damaged fails the whole message (UsageError): a gate
// must not pass what it could not read.
import { UsageError } from '../errors.js';
import { decodeText } from './decode-text.js';
import { noteSegment, prefixSegments } from './notes.js';
import type { SegmentReader, TextSegment } from './segments.js';

type Address = import('postal-mime').Address;

/** Nested messages deeper than this are noted, not read. */
const MAX_DEPTH = 8;

const ADDRESS_HEADERS = ['from', 'sender', 'reply-to', 'to', 'cc', 'bcc'] as const;
/**
 * Headers that say nothing about people; every other header is read from its
 * raw line (Received, X-…, Organization, Return-Path, …): a gate must not
 * pass a name because it sat in a header nobody thought of.
 */
const STRUCTURAL_HEADERS = new Set(['content-type', 'content-transfer-encoding', 'mime-version', 'date', 'content-length', 'lines']);

const MIME_KINDS: Record<string, AttachmentKind> = {
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/csv': 'text',
  'text/calendar': 'text',
  'text/vcard': 'text',
  'text/x-vcard': 'text',
  'application/ics': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'message/rfc822': 'eml',
};
const EXTENSION_KINDS: Record<string, AttachmentKind> = {
  '.txt': 'text', '.text': 'text', '.md': 'text', '.markdown': 'text', '.csv': 'text', '.tsv': 'text', '.ics': 'text', '.vcf': 'text',
  '.html': 'html', '.htm': 'html', '.xhtml': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx', '.docm': 'docx', '.dotx': 'docx',
  '.eml': 'eml',
};
type AttachmentKind = 'text' | 'html' | 'pdf' | 'docx' | 'eml';

function formatMailbox(m: { name: string; address: string }): string {
  const name = m.name.trim();
  const address = m.address.trim();
  if (name && address) return `${name} <${address}>`;
  return name || address;
}

function formatAddresses(list: readonly Address[]): string {
  return list
    .map((a) => (a.group ? `${a.name}: ${a.group.map(formatMailbox).join(', ')};` : formatMailbox(a)))
    .filter((s) => s !== '')
    .join(', ');
}

function kindOf(filename: string | null, mimeType: string): AttachmentKind | undefined {
  const ext = filename ? /\.[^./\\]+$/u.exec(filename.toLowerCase())?.[0] : undefined;
  if (ext && EXTENSION_KINDS[ext]) return EXTENSION_KINDS[ext];
  if (ext) return undefined; // a named file of another type (photo.jpg) is not read by its MIME type
  return MIME_KINDS[mimeType.toLowerCase()];
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

async function readAttachment(kind: AttachmentKind, bytes: Uint8Array, label: string, depth: number): Promise<TextSegment[]> {
  switch (kind) {
    case 'text': {
      if (/\.(md|markdown)$/iu.test(label)) return (await import('./read-file.js')).markdownSegments(decodeText(bytes));
      return [{ location: 'body', text: decodeText(bytes) }];
    }
    case 'html':
      return (await import('./read-html.js')).readHtml(bytes, label);
    case 'pdf':
      return (await import('./read-pdf.js')).readPdf(bytes, label);
    case 'docx':
      return (await import('./read-docx.js')).readDocx(bytes, label);
    case 'eml':
      return readMessage(bytes, label, depth + 1);
  }
}

async function readMessage(bytes: Uint8Array, name: string, depth: number): Promise<TextSegment[]> {
  const { default: PostalMime, decodeWords } = await import('postal-mime');
  let email: import('postal-mime').Email;
  try {
    email = await PostalMime.parse(bytes, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  } catch (e) {
    throw new UsageError(`${name} is not a readable e-mail message: ${String((e as Error)?.message ?? e).toLowerCase()}`);
  }
  if (email.headers.length === 0) {
    throw new UsageError(`${name} is not a readable e-mail message: it has no mail headers`);
  }

  const segments: TextSegment[] = [];
  const header = (key: string, text: string | undefined) => {
    if (text && text.trim() !== '') segments.push({ location: `mail-header:${key}`, text: text.trim(), noLines: true });
  };
  const addresses: Record<(typeof ADDRESS_HEADERS)[number], Address[] | undefined> = {
    // postal-mime keeps only the first mailbox of From and Sender: the raw lines are read below.
    from: undefined,
    sender: undefined,
    'reply-to': email.replyTo,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
  };
  for (const key of ADDRESS_HEADERS) {
    const list = addresses[key];
    if (list?.length) header(key, formatAddresses(list));
  }
  header('subject', email.subject);
  const parsed = new Set<string>(['reply-to', 'to', 'cc', 'bcc', 'subject']);
  for (const h of email.headers) {
    if (parsed.has(h.key) || STRUCTURAL_HEADERS.has(h.key)) continue;
    let text = h.value;
    try {
      text = decodeWords(h.value);
    } catch {
      // keep the raw value
    }
    header(h.key, text);
  }

  if (email.text !== undefined) segments.push({ location: 'body', text: email.text });
  if (email.html !== undefined) {
    const { htmlToSegments } = await import('./read-html.js');
    segments.push(...prefixSegments('html:', await htmlToSegments(email.html)));
  }

  let unnamed = 0;
  for (const a of email.attachments) {
    const filename = a.filename?.trim() || null;
    const label = filename ?? `${a.mimeType === 'message/rfc822' ? 'message' : 'part'}-${++unnamed}${a.mimeType === 'message/rfc822' ? '.eml' : ''}`;
    if (filename) segments.push({ location: 'attachment-name', text: filename, noLines: true });
    if (a.description) segments.push({ location: `attachment:${label}/description`, text: a.description, noLines: true });
    const prefix = `attachment:${label}/`;
    const kind = kindOf(filename, a.mimeType);
    if (!kind) {
      segments.push(
        noteSegment(`attachment:${label}`, `${name}: attachment ${label} (${a.mimeType}) was not scanned: its type cannot be read`),
      );
      continue;
    }
    if (kind === 'eml' && depth + 1 > MAX_DEPTH) {
      segments.push(noteSegment(`attachment:${label}`, `${name}: attachment ${label} was not scanned: messages nested too deeply`));
      continue;
    }
    const inner = await readAttachment(kind, toBytes(a.content), `${name}: attachment ${label}`, depth);
    segments.push(...prefixSegments(prefix, inner));
  }
  return segments;
}

export const readEml: SegmentReader = (bytes, name) => readMessage(bytes, name, 0);
