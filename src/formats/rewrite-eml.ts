// Rewriting an e-mail (.eml) for redaction: the message is parsed with
// postal-mime and a new one is composed with nodemailer's MailComposer from an
// allow-list of parts, each passed through the caller's redactor. The original
// is never patched in place: a header or MIME part we do not know about
// (Received, X-*, Organization, a vCard part) could carry a name, so what is
// not rebuilt is gone. An attachment we cannot redact (PDF, image, forwarded
// message) refuses the whole message: dropping it silently would change what
// the recipient gets, and passing it would let unchecked content through.
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import { decodeText } from './decode-text.js';

type Address = import('postal-mime').Address;
type Email = import('postal-mime').Email;
type Attachment = import('postal-mime').Attachment;

export interface Mailbox {
  name: string;
  address: string;
}

export type MailboxHeader = 'from' | 'to' | 'cc' | 'reply-to' | 'sender';

export interface EmlRedactor {
  /** Plain text (a body, the subject, a display name, an attachment file name): returns the redacted text. */
  text(text: string, where: string): Promise<string>;
  /** An HTML body: returns redacted HTML. */
  html(html: string, where: string): Promise<string>;
  /**
   * A mailbox of an address header (From, To, Cc, Reply-To): returns the
   * mailbox to write instead (the caller replaces a worker's own address by the
   * team's functional mailbox, and the display name by the pseudonym), or null
   * to drop it.
   */
  mailbox(m: Mailbox, header: MailboxHeader): Promise<Mailbox | null>;
  /** A Word attachment: returns the redacted bytes. */
  docx(bytes: Uint8Array, name: string): Promise<Uint8Array>;
}

/** Headers the new message is built from (rebuilt, not copied). */
const KEPT = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'in-reply-to', 'references']);
/** MIME structure headers: MailComposer writes its own, so they are not "dropped" in a sense worth telling. */
const STRUCTURE = new Set(['mime-version', 'content-type', 'content-transfer-encoding']);

/** A header line: a field name (printable ASCII but the colon), then the colon (obsolete syntax allows blanks before it). */
const FIELD_LINE = /^[!-9;-~]+[ \t]*:/u;
/** The separator line an mbox puts before each message ("From jan@example.org Mon Jan  5 …"). */
const MBOX_LINE = /^From \S/u;
/** A message id as In-Reply-To and References list them. */
const MESSAGE_ID = /<[^<>\s]+@[^<>\s]+>/gu;

type Kind = 'text' | 'html' | 'docx';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const TEXT_MIMES = new Set(['text/plain', 'text/markdown', 'text/csv']);
const MIME_KINDS: Record<string, Kind> = {
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/csv': 'text',
  'text/html': 'html',
  [DOCX_MIME]: 'docx',
};
const EXTENSION_KINDS: Record<string, Kind> = {
  '.txt': 'text', '.text': 'text', '.md': 'text', '.markdown': 'text', '.csv': 'text',
  '.html': 'html', '.htm': 'html',
  '.docx': 'docx',
};
const EXTENSION_MIMES: Record<string, string> = { '.md': 'text/markdown', '.markdown': 'text/markdown', '.csv': 'text/csv' };

function extensionOf(filename: string | null): string | undefined {
  return filename ? /\.[^./\\]+$/u.exec(filename.toLowerCase())?.[0] : undefined;
}

// As in read-eml: a named file goes by its extension, so "foto.jpg" sent as
// text/plain is not taken for text (nor is "brief.pdf" sent as octet-stream
// taken for anything but a PDF).
function kindOf(filename: string | null, mimeType: string): Kind | undefined {
  const ext = extensionOf(filename);
  if (ext) return EXTENSION_KINDS[ext];
  return MIME_KINDS[mimeType.toLowerCase()];
}

/** A value bound for a header (a display name, the subject, a file name) on one line, whatever the redactor returned. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/gu, ' ').trim();
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/**
 * Every mailbox of every header line of one kind. postal-mime keeps only the
 * first From and Sender mailbox; a second author, or a second From line, would
 * vanish from the copy without a word.
 */
function mailboxesOf(email: Email, key: MailboxHeader, parseAddresses: (value: string) => Address[]): Mailbox[] {
  const out: Mailbox[] = [];
  for (const h of email.headers) {
    if (h.key !== key || h.value.trim() === '') continue;
    // Group names ("Team Noord:") are dropped with the group: they are free
    // text that could name someone, and the members are what a reply needs.
    for (const a of parseAddresses(h.value)) {
      if (a.group) out.push(...a.group.map((m) => ({ name: m.name, address: m.address })));
      else out.push({ name: a.name, address: a.address });
    }
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The Date header written anew (RFC 5322, in the sender's own UTC offset): the
 * raw value is not copied, since a comment in it ("(Jolanda's laptop)") is free
 * text. Null when it does not parse as a date.
 */
export function rewriteDate(raw: string): string | null {
  const instant = new Date(raw);
  if (Number.isNaN(instant.getTime())) return null;
  const zone = /(?:^|\s)([+-])(\d{2})(\d{2})(?:\s*\([^)]*\))?\s*$/u.exec(raw);
  const offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
  if (Math.abs(offset) >= 24 * 60) return null;
  const local = new Date(instant.getTime() + offset * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  return (
    `${DAYS[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
  );
}

async function parse(bytes: Uint8Array, name: string): Promise<Email> {
  const { default: PostalMime } = await import('postal-mime');
  const unreadable = (why: string) => new UsageError(`${name} is not a readable e-mail message: ${why}`);
  let email: Email;
  try {
    // Forwarded messages become attachments (and are refused) rather than being
    // merged into the body, where their headers would be lost from view.
    email = await PostalMime.parse(bytes, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  } catch (e) {
    throw unreadable(String((e as Error)?.message ?? e).toLowerCase());
  }
  if (email.headers.length === 0) throw unreadable('it has no mail headers');
  // postal-mime reads any line as a header; a PDF or prose file gives "headers"
  // without a colon. An mbox "From " separator line is the one tolerated.
  const damaged = email.headerLines.some((h, i) => !FIELD_LINE.test(h.line) && !(i === 0 && MBOX_LINE.test(h.line)));
  if (damaged) throw unreadable('its header section is damaged');
  return email;
}

function droppedHeaders(email: Email): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (label: string) => {
    if (seen.has(label.toLowerCase())) return;
    seen.add(label.toLowerCase());
    out.push(label);
  };
  email.headerLines.forEach((line, i) => {
    const h = email.headers[i]!;
    if (i === 0 && !FIELD_LINE.test(line.line) && MBOX_LINE.test(line.line)) add('From_ (mbox line)');
    else if (!KEPT.has(h.key) && !STRUCTURE.has(h.key)) add(h.originalKey);
  });
  if (email.attachments.some((a) => a.description)) add('Content-Description');
  return out;
}

function labelOf(a: Attachment, index: number): string {
  return a.filename?.trim() || `part-${index + 1}`;
}

/** The attachments (and embedded images) that cannot be redacted, as the user should read them. */
function unredactable(email: Email): string[] {
  const html = email.html ?? '';
  const out: string[] = [];
  email.attachments.forEach((a, i) => {
    const label = labelOf(a, i);
    const cid = a.contentId?.replace(/^<|>$/gu, '');
    const referenced = a.related === true || (cid !== undefined && cid !== '' && html.toLowerCase().includes(`cid:${cid.toLowerCase()}`));
    if (referenced) out.push(`${label} (${a.mimeType.startsWith('image/') ? 'inline image' : 'inline part'} of the html body)`);
    else if (!kindOf(a.filename?.trim() || null, a.mimeType)) out.push(label);
  });
  // An image inlined as a data: URL is an attachment in all but name.
  if (/\bdata:\s*(?:image|application|audio|video|font|model)\//iu.test(html)) out.push('an image embedded in the html body');
  return out;
}

/** Re-throws a reader's UsageError for an attachment with the message's name in front, as read-eml words it. */
async function inAttachment<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${name}: attachment ${e.message}`, e.hint);
    throw e;
  }
}

/**
 * Builds a clean copy of an e-mail with every piece of text redacted through
 * `r`. `dropped` names the headers that were not carried over (for a note to
 * the user). Throws UsageError for input that is not an e-mail, a message with
 * attachments that cannot be redacted, or one without a sender after redaction.
 */
export async function rewriteEml(bytes: Uint8Array, name: string, r: EmlRedactor): Promise<{ bytes: Uint8Array; dropped: string[] }> {
  const email = await parse(bytes, name);

  // Refused before any redaction work: the user should hear about all of them at once.
  const refused = unredactable(email);
  if (refused.length > 0) {
    throw new UsageError(`${name} has attachments that cannot be redacted: ${refused.join(', ')}`, 'remove them, or redact them separately and attach the copies');
  }
  const { addressParser } = await import('postal-mime');
  const dropped = droppedHeaders(email);

  const redactMailboxes = async (header: MailboxHeader) => {
    const out: Mailbox[] = [];
    for (const m of mailboxesOf(email, header, addressParser)) {
      const kept = await r.mailbox(m, header);
      if (!kept || oneLine(kept.address) === '') continue;
      // The name the caller chose is run through the text redactor as well: an
      // external correspondent's display name ("Fam. de Vries") is free text.
      const display = kept.name.trim() === '' ? '' : oneLine(await r.text(kept.name, `mail-header:${header}`));
      out.push({ name: display, address: oneLine(kept.address) });
    }
    return out;
  };
  if (mailboxesOf(email, 'from', addressParser).length === 0) {
    throw new UsageError(`${name} has no sender: it has no From header`, 'add a From line with the team mailbox, or redact the text by hand');
  }
  const from = await redactMailboxes('from');
  if (from.length === 0) throw new UsageError(`${name} has no sender left after redaction`, "the sender must map to a mailbox, such as the team's functional address");
  const sender = await redactMailboxes('sender');
  const replyTo = await redactMailboxes('reply-to');
  const to = await redactMailboxes('to');
  const cc = await redactMailboxes('cc');

  const subject = email.subject !== undefined && email.subject.trim() !== '' ? oneLine(await r.text(email.subject, 'mail-header:subject')) : undefined;
  const rawDate = email.headers.find((h) => h.key === 'date')?.value;
  const date = rawDate === undefined ? null : rewriteDate(rawDate);
  if (rawDate !== undefined && date === null) dropped.push('Date');

  // Only the message ids: RFC 822 still allowed a phrase here ("Jolanda's
  // message of 3 Feb"), which is free text.
  const ids = (header: 'in-reply-to' | 'references', label: string) => {
    const value = email.headers.find((h) => h.key === header)?.value;
    if (value === undefined) return undefined;
    const found = value.match(MESSAGE_ID);
    if (!found) dropped.push(label);
    return found?.join(' ');
  };
  const inReplyTo = ids('in-reply-to', 'In-Reply-To');
  const references = ids('references', 'References');

  const text = email.text !== undefined ? await r.text(email.text, 'body') : undefined;
  const html = email.html !== undefined ? await r.html(email.html, 'html') : undefined;

  const attachments: { filename?: string; content: string | Buffer; contentType: string; contentDisposition: 'attachment' }[] = [];
  for (const [i, a] of email.attachments.entries()) {
    const label = labelOf(a, i);
    const filename = a.filename?.trim() || null;
    const kind = kindOf(filename, a.mimeType)!; // unredactable() refused the rest
    const content = toBytes(a.content);
    const newName = filename ? oneLine(await r.text(filename, 'attachment-name')) : '';
    const where = `attachment:${label}`;
    let part: { content: string | Buffer; contentType: string };
    switch (kind) {
      case 'text': {
        // postal-mime does not give an attachment's charset parameter; decodeText
        // falls back from UTF-8 to Windows-1252, the usual alternative here.
        const mime = TEXT_MIMES.has(a.mimeType) ? a.mimeType : (EXTENSION_MIMES[extensionOf(filename) ?? ''] ?? 'text/plain');
        part = { content: await r.text(decodeText(content), where), contentType: `${mime}; charset=utf-8` };
        break;
      }
      case 'html': {
        const { decodeHtml } = await import('./read-html.js');
        part = { content: await r.html(decodeHtml(content), where), contentType: 'text/html; charset=utf-8' };
        break;
      }
      case 'docx':
        part = { content: Buffer.from(await inAttachment(name, () => r.docx(content, label))), contentType: DOCX_MIME };
        break;
    }
    // Only the content, type and (redacted) name are carried over: Content-ID,
    // Content-Description and dates in Content-Disposition are left behind.
    attachments.push({ ...(newName ? { filename: newName } : {}), ...part, contentDisposition: 'attachment' });
  }

  // A fresh Message-ID on the (redacted) sender's domain: MailComposer would
  // otherwise fall back to the machine's host name when it finds no domain.
  const domain = /@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/iu.exec(from[0]!.address)?.[1] ?? 'localhost';
  const messageId = `<${randomBytes(16).toString('hex')}@${domain}>`;

  const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
  type Options = ConstructorParameters<typeof MailComposer>[0];
  // From may hold several authors (RFC 5322 3.6.2), which the typings do not allow for.
  const options: Options & { boundaryPrefix: string } = {
    from: (from.length === 1 ? from[0] : from) as Options['from'],
    ...(sender.length > 0 ? { sender: sender[0] } : {}),
    ...(replyTo.length > 0 ? { replyTo } : {}),
    ...(to.length > 0 ? { to } : {}),
    ...(cc.length > 0 ? { cc } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(date !== null ? { date } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references ? { references } : {}),
    messageId,
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    attachments,
    // Bodies in base64, not as MailComposer picks (7-bit or quoted-printable):
    // those keep the text's bare LF line ends (not RFC 5322), and postal-mime
    // reads the line break before a MIME boundary as part of the text, so each
    // redaction would add an empty line. Base64 reads back byte for byte.
    encoding: 'base64',
    // MailComposer itself writes no X-Mailer (only a transport does), but say so
    // in case that changes; and never let a part be read from a path or URL.
    xMailer: false,
    disableFileAccess: true,
    disableUrlAccess: true,
    // The default boundary prefix ("_NmP") names the library that wrote the message.
    boundaryPrefix: '--=_part',
  };
  const out = await new MailComposer(options).compile().build();
  return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), dropped };
}
