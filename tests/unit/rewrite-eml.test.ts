// rewrite-eml: an e-mail rebuilt from an allow-list of parts, each through a
// fake redactor that swaps invented names for invented pseudonyms. Every
// assertion that matters is made on the output as a recipient would read it:
// the raw bytes, the same bytes decoded by postal-mime, and the project's own
// reader (readEml), so a name hidden by base64 or quoted-printable still shows.
import { hostname } from 'node:os';
import * as docx from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readDocx } from '../../src/formats/read-docx.js';
import { readEml } from '../../src/formats/read-eml.js';
import { isNoteSegment } from '../../src/formats/notes.js';
import { type EmlRedactor, type Mailbox, rewriteDate, rewriteEml } from '../../src/formats/rewrite-eml.js';
import { rewriteDocx, type TextEdit } from '../../src/formats/rewrite-docx.js';

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (bytes: Uint8Array | string) =>
  Buffer.from(typeof bytes === 'string' ? enc(bytes) : bytes).toString('base64').replace(/.{76}/gu, '$&\r\n');

// ---------------------------------------------------------------- fake redactor

/** Longest first, so "Jolanda Verbeek" wins over "Verbeek". */
const REPLACEMENTS: [string, string][] = [
  ['Jolanda Verbeek', 'Eva Smit'],
  ['José Müller', 'Sam de Wit'],
  ['Verbeek', 'Smit'],
  ['verbeek', 'smit'],
];
/** What must not survive anywhere in the output (compared case-insensitively). */
const FORBIDDEN = ['jolanda', 'verbeek', 'josé', 'müller', 'muller', 'jos=c3=a9', 'm=c3=bcller', '10.1.2.3', 'laptop-jverbeek', 'thunderbird', 'mx.example.org'];

function findEdits(text: string): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const [from, to] of REPLACEMENTS) {
    for (let i = text.indexOf(from); i !== -1; i = text.indexOf(from, i + from.length)) {
      if (!edits.some((e) => i < e.end && i + from.length > e.start)) edits.push({ start: i, end: i + from.length, text: to });
    }
  }
  return edits;
}

function redactString(text: string): string {
  let out = text;
  for (const e of findEdits(text).sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const TEAM = 'team-noord@jeugdzorg-west.nl';
const MAILBOXES: Record<string, Mailbox | null> = {
  'j.verbeek@jeugdzorg-west.nl': { name: 'Eva Smit', address: TEAM },
  'j.muller@jeugdzorg-west.nl': { name: 'Sam de Wit', address: TEAM },
  'jolanda.prive@example.net': null, // a worker's private address: dropped
};

interface Calls {
  text: string[];
  html: string[];
  mailbox: string[];
  docx: string[];
}

function fakeRedactor(overrides: Partial<Record<string, Mailbox | null>> = {}): EmlRedactor & { calls: Calls } {
  const calls: Calls = { text: [], html: [], mailbox: [], docx: [] };
  const boxes = { ...MAILBOXES, ...overrides };
  return {
    calls,
    async text(text, where) {
      calls.text.push(where);
      return redactString(text);
    },
    async html(html, where) {
      calls.html.push(where);
      return redactString(html);
    },
    async mailbox(m, header) {
      calls.mailbox.push(`${header}:${m.address}`);
      const key = m.address.toLowerCase();
      return key in boxes ? (boxes[key] ?? null) : m;
    },
    async docx(bytes, name) {
      calls.docx.push(name);
      return (await rewriteDocx(bytes, name, async (t) => findEdits(t), 'Team Noord')).bytes;
    },
  };
}

// ---------------------------------------------------------------- fixtures

/** The bit of docx used here: its typings do not resolve under NodeNext (see src/formats/write-docx.ts). */
interface DocxApi {
  Document: new (options: object) => object;
  Paragraph: new (text: string) => object;
  Packer: { toBuffer(doc: object): Promise<Buffer> };
}

async function wordFile(): Promise<Uint8Array> {
  const { Document, Packer, Paragraph } = docx as unknown as DocxApi;
  const doc = new Document({
    creator: 'Jolanda Verbeek',
    lastModifiedBy: 'Jolanda Verbeek',
    title: 'Verslag Verbeek',
    sections: [{ children: [new Paragraph('Verslag van Jolanda Verbeek'), new Paragraph('Aanwezig: José Müller')] }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

const TEXT_BODY = [
  'Beste meneer De Vos,',
  '',
  'Jos=C3=A9 M=C3=BCller en ik (Jolanda Verbeek) kwamen op 2 februari langs. Het ver=',
  'slag zit in de bijlage.',
  '',
  'Met vriendelijke groet,',
  'Jolanda Verbeek',
].join('\r\n');

const HTML_BODY =
  '<html><head><title>Verslag</title></head><body><p>Beste meneer De Vos,</p>' +
  '<p>José Müller en ik (Jolanda Verbeek) kwamen langs.</p><p>Met vriendelijke groet,<br>Jolanda Verbeek</p></body></html>';

const HEADERS = [
  'Received: from laptop-jverbeek.jeugdzorg-west.nl (laptop-jverbeek.jeugdzorg-west.nl [10.1.2.3])',
  '\tby mx.example.org with ESMTPS id 4Xyz',
  '\tfor <p.devos@example.org>; Tue, 3 Feb 2026 09:15:02 +0100',
  'Return-Path: <j.verbeek@jeugdzorg-west.nl>',
  'X-Originating-IP: [10.1.2.3]',
  'X-MS-Exchange-Organization-AuthAs: Internal',
  'Organization: Jeugdzorg West, team van Jolanda Verbeek',
  'User-Agent: Mozilla Thunderbird',
  'Message-ID: <20260203.verbeek.1234@laptop-jverbeek.jeugdzorg-west.nl>',
  'In-Reply-To: <CAF0abc123@mail.example.org>',
  'References: <CAE9zzz000@mail.example.org>',
  ' <CAF0abc123@mail.example.org>',
  'Date: Tue, 3 Feb 2026 09:15:00 +0100',
  'From: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>',
  'Sender: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <j.muller@jeugdzorg-west.nl>',
  'Reply-To: "Verbeek, Jolanda" <j.verbeek@jeugdzorg-west.nl>',
  'To: Pieter de Vos <p.devos@example.org>',
  'Cc: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <j.muller@jeugdzorg-west.nl>, Jolanda <jolanda.prive@example.net>,',
  ' Team West (Jolanda): r.bos@example.org;',
  'Bcc: archief-verbeek@jeugdzorg-west.nl',
  'Disposition-Notification-To: j.verbeek@jeugdzorg-west.nl',
  'Subject: =?UTF-8?Q?Verslag_van_Jolanda_Verbeek_en_Jos=C3=A9_M=C3=BCller?=',
  'MIME-Version: 1.0',
];

async function mail(): Promise<string> {
  return [
    ...HEADERS,
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    '--mixed',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    TEXT_BODY,
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(HTML_BODY),
    '--alt--',
    '--mixed',
    'Content-Type: text/plain; charset=utf-8; name="verslag-verbeek.txt"',
    'Content-Disposition: attachment; filename="verslag-verbeek.txt"',
    'Content-Description: Notities van Jolanda Verbeek',
    'Content-Transfer-Encoding: base64',
    '',
    b64('Verslag door Jolanda Verbeek\nAanwezig: José Müller\n'),
    '--mixed',
    'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="=?UTF-8?Q?brief_Verbeek.docx?="',
    'Content-Disposition: attachment; filename="=?UTF-8?Q?brief_Verbeek.docx?="',
    'Content-Transfer-Encoding: base64',
    '',
    b64(await wordFile()),
    '--mixed--',
    '',
  ].join('\r\n');
}

/** A single-part message with the given body headers and body. */
function simple(headers: string[], body: string): string {
  return ['From: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>', 'To: p.devos@example.org', 'Subject: Kort', 'MIME-Version: 1.0', ...headers, '', body, ''].join('\r\n');
}

/** Two parts in multipart/mixed: a short text body and `part` (headers and body lines). */
function withPart(...parts: string[][]): string {
  return [
    'From: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>',
    'To: p.devos@example.org',
    'Subject: Met bijlage',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Zie bijlage.',
    ...parts.flatMap((p) => ['--b', ...p]),
    '--b--',
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------- helpers

async function rejection(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  expect((e as UsageError).exitCode).toBe(2);
  expect((e as UsageError).message).not.toMatch(/\n/u);
  return e as UsageError;
}

/** The raw output and everything postal-mime and readEml decode from it, docx parts unzipped, as one string. */
async function everything(bytes: Uint8Array): Promise<string> {
  const { decodeWords } = await import('postal-mime');
  const out: string[] = [Buffer.from(bytes).toString('latin1'), new TextDecoder().decode(bytes)];
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  for (const h of email.headers) out.push(h.key, h.value, decodeWords(h.value));
  out.push(email.text ?? '', email.html ?? '');
  for (const a of email.attachments) {
    out.push(a.filename ?? '', a.description ?? '');
    const content = new Uint8Array(a.content as ArrayBuffer);
    if (a.filename?.endsWith('.docx')) for (const [path, data] of Object.entries(unzipSync(content))) out.push(path, strFromU8(data));
    else out.push(new TextDecoder().decode(content));
  }
  for (const s of await readEml(bytes, 'out.eml')) out.push(s.location, typeof s.text === 'string' ? s.text : '');
  return out.join('\n');
}

function expectNoneOf(haystack: string, needles: string[]): void {
  const lower = haystack.toLowerCase();
  for (const n of needles) expect(lower, `"${n}" is still in the output`).not.toContain(n.toLowerCase());
}

// ---------------------------------------------------------------- tests

describe('rewrite-eml', () => {
  it('redacts the address headers, subject, both bodies and the text and Word attachments', async () => {
    const source = enc(await mail());
    const original = await PostalMime.parse(source);
    const r = fakeRedactor();
    const { bytes } = await rewriteEml(source, 'bericht.eml', r);
    const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });

    expect(email.from).toEqual({ name: 'Eva Smit', address: TEAM });
    expect(email.sender).toEqual({ name: 'Sam de Wit', address: TEAM });
    expect(email.replyTo).toEqual([{ name: 'Eva Smit', address: TEAM }]);
    expect(email.to).toEqual([{ name: 'Pieter de Vos', address: 'p.devos@example.org' }]);
    // the worker's private address is dropped; the group is flattened, its name gone
    expect(email.cc).toEqual([
      { name: 'Sam de Wit', address: TEAM },
      { name: '', address: 'r.bos@example.org' },
    ]);
    expect(email.bcc).toBeUndefined();
    expect(email.subject).toBe('Verslag van Eva Smit en Sam de Wit');

    // the same redacted text, exactly, after a round trip through MailComposer and postal-mime
    expect(original.text).toContain('José Müller en ik (Jolanda Verbeek) kwamen op 2 februari langs. Het verslag zit');
    expect(email.text).toBe(redactString(original.text!));
    expect(email.html).toBe(redactString(original.html!));
    expect(email.text).toContain('Sam de Wit en ik (Eva Smit) kwamen op 2 februari langs.');

    expect(email.attachments.map((a) => [a.filename, a.mimeType, a.disposition])).toEqual([
      ['verslag-smit.txt', 'text/plain', 'attachment'],
      ['brief Smit.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'attachment'],
    ]);
    expect(new TextDecoder().decode(email.attachments[0]!.content as ArrayBuffer)).toBe('Verslag door Eva Smit\nAanwezig: Sam de Wit\n');
    expect(email.attachments[0]!.description).toBeUndefined();
    const word = await readDocx(new Uint8Array(email.attachments[1]!.content as ArrayBuffer), 'brief Smit.docx');
    const wordText = word.map((s) => `${s.location}=${s.text as string}`);
    expect(wordText).toContain('body=Verslag van Eva Smit\nAanwezig: Sam de Wit');
    expect(wordText).toContain('metadata:author=Team Noord');
    expect(wordText).toContain('metadata:title=Verslag Smit');

    expect(r.calls.text).toEqual(expect.arrayContaining(['mail-header:subject', 'mail-header:from', 'mail-header:cc', 'body', 'attachment-name', 'attachment:verslag-verbeek.txt']));
    expect(r.calls.html).toEqual(['html']);
    expect(r.calls.docx).toEqual(['brief Verbeek.docx']);
    expect(r.calls.mailbox).toEqual([
      'from:j.verbeek@jeugdzorg-west.nl',
      'sender:j.muller@jeugdzorg-west.nl',
      'reply-to:j.verbeek@jeugdzorg-west.nl',
      'to:p.devos@example.org',
      'cc:j.muller@jeugdzorg-west.nl',
      'cc:jolanda.prive@example.net',
      'cc:r.bos@example.org',
    ]);
  });

  it('leaves no original name, address or host anywhere: raw, decoded, or as readEml reads it', async () => {
    const { bytes } = await rewriteEml(enc(await mail()), 'bericht.eml', fakeRedactor());
    const all = await everything(bytes);
    expectNoneOf(all, [...FORBIDDEN, 'j.verbeek@', 'j.muller@', 'jolanda.prive', 'archief-verbeek', 'Team West']);
    // the originals really were there, in forms a plain grep of the input would miss
    expect((await everything(enc(await mail()))).toLowerCase()).toContain('josé müller');

    const segments = await readEml(bytes, 'out.eml');
    expect(segments.filter(isNoteSegment)).toEqual([]);
    const at = Object.fromEntries(segments.map((s) => [s.location, s.text]));
    expect(at['mail-header:from']).toBe(`Eva Smit <${TEAM}>`);
    expect(at['mail-header:subject']).toBe('Verslag van Eva Smit en Sam de Wit');
    expect(at['attachment:verslag-smit.txt/body']).toBe('Verslag door Eva Smit\nAanwezig: Sam de Wit\n');
    expect(at['attachment:brief Smit.docx/body']).toBe('Verslag van Eva Smit\nAanwezig: Sam de Wit');
    expect(at['html:body']).toContain('Sam de Wit en ik (Eva Smit) kwamen langs.');
  });

  it('carries over only the allowed headers and reports the dropped ones', async () => {
    const { bytes, dropped } = await rewriteEml(enc(await mail()), 'bericht.eml', fakeRedactor());
    expect(dropped).toEqual([
      'Received',
      'Return-Path',
      'X-Originating-IP',
      'X-MS-Exchange-Organization-AuthAs',
      'Organization',
      'User-Agent',
      'Message-ID',
      'Bcc',
      'Disposition-Notification-To',
      'Content-Description',
    ]);
    const email = await PostalMime.parse(bytes);
    const allowed = ['from', 'sender', 'reply-to', 'to', 'cc', 'subject', 'date', 'in-reply-to', 'references', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding'];
    for (const h of email.headers) expect(allowed, h.key).toContain(h.key);
    const raw = Buffer.from(bytes).toString('latin1');
    for (const gone of ['Received:', 'Return-Path:', 'X-', 'Organization', 'User-Agent', 'Bcc:', 'Disposition-Notification-To', 'Content-Description', 'X-Mailer', 'nodemailer', 'NmP']) {
      expect(raw).not.toContain(gone);
    }
    // message ids are opaque: the thread is kept
    expect(email.inReplyTo).toBe('<CAF0abc123@mail.example.org>');
    expect(email.references).toBe('<CAE9zzz000@mail.example.org> <CAF0abc123@mail.example.org>');
    // the sending time and the sender's UTC offset are kept
    expect(raw).toMatch(/\r\nDate: Tue, 03 Feb 2026 09:15:00 \+0100\r\n/u);
    expect(email.date).toBe('2026-02-03T08:15:00.000Z');
  });

  it('writes a fresh Message-ID on the redacted sender domain, never the host name', async () => {
    const source = enc(await mail());
    const a = await PostalMime.parse((await rewriteEml(source, 'bericht.eml', fakeRedactor())).bytes);
    const b = await PostalMime.parse((await rewriteEml(source, 'bericht.eml', fakeRedactor())).bytes);
    expect(a.messageId).toMatch(/^<[0-9a-f]{32}@jeugdzorg-west\.nl>$/u);
    expect(a.messageId).not.toBe(b.messageId);
    expect(a.messageId).not.toContain('laptop');
    const host = hostname().toLowerCase();
    if (host.length >= 3) expect((await everything((await rewriteEml(source, 'bericht.eml', fakeRedactor())).bytes)).toLowerCase()).not.toContain(host);
  });

  it('writes RFC 5322 bytes: CRLF line ends, lines within 998 octets, 7-bit transfer encodings', async () => {
    const { bytes } = await rewriteEml(enc(await mail()), 'bericht.eml', fakeRedactor());
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).not.toMatch(/[^\r]\n/u);
    expect(raw).not.toMatch(/\r[^\n]/u);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/mu);
    expect([...bytes].every((b) => b < 0x80)).toBe(true); // UTF-8 only inside QP, base64 or encoded words
  });

  it('redacts a quoted-printable plain-text body and reads back the same text', async () => {
    const body = 'Beste meneer De Vos,\r\n\r\nJos=C3=A9 M=C3=BCller belt u morgen. Groet, Jolan=\r\nda Verbeek\r\n';
    const source = enc(simple(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'], body));
    const original = await PostalMime.parse(source);
    expect(original.text).toContain('Groet, Jolanda Verbeek');
    const { bytes } = await rewriteEml(source, 'kort.eml', fakeRedactor());
    const email = await PostalMime.parse(bytes);
    expect(email.text).toBe(redactString(original.text!));
    expect(email.text).toContain('Sam de Wit belt u morgen. Groet, Eva Smit');
    expect(email.html).toBeUndefined();
    expect(email.attachments).toEqual([]);
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });

  it('redacts a base64 HTML-only body without inventing a text part', async () => {
    const source = enc(simple(['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64'], b64(HTML_BODY)));
    const r = fakeRedactor();
    const { bytes } = await rewriteEml(source, 'kort.eml', r);
    const email = await PostalMime.parse(bytes);
    expect((await PostalMime.parse(source)).html).toBe(HTML_BODY);
    expect(email.html).toBe(redactString(HTML_BODY));
    expect(email.text).toBeUndefined();
    expect(r.calls.text).not.toContain('body');
    expect(Buffer.from(bytes).toString('latin1')).not.toContain('text/plain');
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });

  it('decodes encoded-word display names before asking for the mailbox, and redacts names it keeps', async () => {
    const source = enc(
      [
        'From: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <j.muller@jeugdzorg-west.nl>',
        'To: =?ISO-8859-1?Q?Jos=E9_M=FCller_via_Jolanda_Verbeek?= <extern@example.org>',
        'Subject: =?UTF-8?B?' + Buffer.from('Afspraak José Müller').toString('base64') + '?=',
        '',
        'Tot morgen.',
        '',
      ].join('\r\n'),
    );
    const seen: Mailbox[] = [];
    const r = fakeRedactor();
    const mailbox = r.mailbox.bind(r);
    r.mailbox = async (m, header) => (seen.push(m), mailbox(m, header));
    const { bytes } = await rewriteEml(source, 'kort.eml', r);
    expect(seen).toEqual([
      { name: 'José Müller', address: 'j.muller@jeugdzorg-west.nl' },
      { name: 'José Müller via Jolanda Verbeek', address: 'extern@example.org' },
    ]);
    const email = await PostalMime.parse(bytes);
    expect(email.from).toEqual({ name: 'Sam de Wit', address: TEAM });
    // an external mailbox is kept, but its display name still goes through the text redactor
    expect(email.to).toEqual([{ name: 'Sam de Wit via Eva Smit', address: 'extern@example.org' }]);
    expect(email.subject).toBe('Afspraak Sam de Wit');
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });

  it('decodes a Windows-1252 text attachment and writes it as UTF-8; a Markdown attachment keeps its type', async () => {
    const latin1 = Buffer.from('Gesprek met Jolanda Verbeek in het café\r\n', 'latin1');
    const source = enc(
      withPart(
        ['Content-Type: application/octet-stream; name="notitie.txt"', 'Content-Disposition: attachment; filename="notitie.txt"', 'Content-Transfer-Encoding: base64', '', b64(latin1)],
        ['Content-Type: text/markdown; name="plan.md"', 'Content-Disposition: attachment; filename="plan.md"', '', '# Plan van José Müller'],
        ['Content-Type: text/html; charset=utf-8; name="brief.html"', 'Content-Disposition: attachment; filename="brief.html"', '', '<p>Jolanda Verbeek</p>'],
      ),
    );
    const r = fakeRedactor();
    const { bytes } = await rewriteEml(source, 'bijlagen.eml', r);
    const email = await PostalMime.parse(bytes, { attachmentEncoding: 'utf8' });
    // (postal-mime counts the line break before a MIME boundary as content, hence the "\n" of the last two)
    expect(email.attachments.map((a) => [a.filename, a.mimeType, a.content])).toEqual([
      ['notitie.txt', 'text/plain', 'Gesprek met Eva Smit in het café\r\n'],
      ['plan.md', 'text/markdown', '# Plan van Sam de Wit\n'],
      ['brief.html', 'text/html', '<p>Eva Smit</p>\n'],
    ]);
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/Content-Type: text\/plain; charset=utf-8; name=notitie\.txt/u);
    expect(r.calls.html).toEqual(['attachment:brief.html']);
  });

  it('refuses PDF and image attachments, naming them, before redacting anything (exit 2)', async () => {
    const source = enc(
      withPart(
        ['Content-Type: application/pdf; name="scan.pdf"', 'Content-Disposition: attachment; filename="scan.pdf"', 'Content-Transfer-Encoding: base64', '', b64('%PDF-1.4\n')],
        ['Content-Type: image/jpeg; name="foto.jpg"', 'Content-Disposition: attachment; filename="foto.jpg"', 'Content-Transfer-Encoding: base64', '', b64(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))],
        ['Content-Type: text/plain; name="notitie.txt"', 'Content-Disposition: attachment; filename="notitie.txt"', '', 'Jolanda Verbeek'],
        ['Content-Type: application/octet-stream', 'Content-Disposition: attachment', 'Content-Transfer-Encoding: base64', '', b64(new Uint8Array([1, 2, 3]))],
      ),
    );
    const r = fakeRedactor();
    const e = await rejection(rewriteEml(source, 'message.eml', r));
    expect(e.message).toBe('message.eml has attachments that cannot be redacted: scan.pdf, foto.jpg, part-4');
    expect(e.hint).toBe('remove them, or redact them separately and attach the copies');
    expect(r.calls).toEqual({ text: [], html: [], mailbox: [], docx: [] });
  });

  it('refuses a text attachment whose name says another type, and a forwarded message', async () => {
    const source = enc(
      withPart(
        ['Content-Type: text/plain; name="foto.jpg"', 'Content-Disposition: attachment; filename="foto.jpg"', '', 'x'],
        ['Content-Type: message/rfc822', 'Content-Disposition: inline', '', 'From: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>', 'Subject: Eerder', '', 'Eerder bericht'],
      ),
    );
    const e = await rejection(rewriteEml(source, 'message.eml', fakeRedactor()));
    expect(e.message).toBe('message.eml has attachments that cannot be redacted: foto.jpg, part-2');
  });

  it('refuses inline images referenced by cid: and images embedded as data: URLs', async () => {
    const related = [
      'From: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>',
      'Subject: Met handtekening',
      'Content-Type: multipart/related; boundary="rel"',
      '',
      '--rel',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Groet</p><img src="cid:handtekening@local">',
      '--rel',
      'Content-Type: image/png; name="handtekening.png"',
      'Content-ID: <handtekening@local>',
      'Content-Disposition: inline; filename="handtekening.png"',
      'Content-Transfer-Encoding: base64',
      '',
      b64(new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
      '--rel--',
      '',
    ].join('\r\n');
    const e = await rejection(rewriteEml(enc(related), 'message.eml', fakeRedactor()));
    expect(e.message).toBe('message.eml has attachments that cannot be redacted: handtekening.png (inline image of the html body)');

    const dataUrl = simple(['Content-Type: text/html; charset=utf-8'], '<p>Groet</p><img src="data:image/png;base64,iVBORw0KGgo=">');
    const d = await rejection(rewriteEml(enc(dataUrl), 'message.eml', fakeRedactor()));
    expect(d.message).toBe('message.eml has attachments that cannot be redacted: an image embedded in the html body');
  });

  it('refuses a message without a sender left after redaction, and drops recipients mapped to null', async () => {
    const source = enc(simple(['Content-Type: text/plain'], 'Hallo'));
    const e = await rejection(rewriteEml(source, 'message.eml', fakeRedactor({ 'j.verbeek@jeugdzorg-west.nl': null })));
    expect(e.message).toBe('message.eml has no sender left after redaction');
    expect(e.hint).toBeTruthy();

    const { bytes } = await rewriteEml(source, 'message.eml', fakeRedactor({ 'p.devos@example.org': null }));
    const email = await PostalMime.parse(bytes);
    expect(email.from).toEqual({ name: 'Eva Smit', address: TEAM });
    expect(email.to).toBeUndefined();

    const noFrom = await rejection(rewriteEml(enc('To: p.devos@example.org\r\nSubject: Kort\r\n\r\nHallo\r\n'), 'message.eml', fakeRedactor()));
    expect(noFrom.message).toBe('message.eml has no sender: it has no From header');
  });

  it('refuses corrupt or non-MIME input with exit 2, never a stack trace', async () => {
    const pdf = enc('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
    const zip = new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0xff, 0xfe]);
    const noise = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256));
    const prose = enc('Beste Jolanda Verbeek,\n\nhoe gaat het?\n');
    for (const [label, bytes] of [['leeg', new Uint8Array()], ['pdf', pdf], ['zip', zip], ['ruis', noise], ['tekst', prose]] as const) {
      const e = await rejection(rewriteEml(bytes, `${label}.eml`, fakeRedactor()));
      expect(e.message).toMatch(new RegExp(`^${label}\\.eml is not a readable e-mail message: `, 'u'));
    }
  });

  it('prefixes an error from the Word redactor with the message and attachment', async () => {
    const broken = (await wordFile()).subarray(0, 200);
    const source = enc(withPart(['Content-Type: application/octet-stream; name="brief.docx"', 'Content-Disposition: attachment; filename="brief.docx"', 'Content-Transfer-Encoding: base64', '', b64(broken)]));
    const e = await rejection(rewriteEml(source, 'message.eml', fakeRedactor()));
    expect(e.message).toBe('message.eml: attachment brief.docx is not a readable Word document: the zip archive is damaged');
  });

  it('keeps every author of a From with several, and a second From line, both redacted', async () => {
    const source = enc(
      [
        'From: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>, =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <j.muller@jeugdzorg-west.nl>',
        'From: Pieter de Vos <p.devos@example.org>',
        'Sender: Jolanda Verbeek <j.verbeek@jeugdzorg-west.nl>',
        'Subject: Samen',
        '',
        'Hallo',
        '',
      ].join('\r\n'),
    );
    const { bytes } = await rewriteEml(source, 'samen.eml', fakeRedactor());
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/^From: Eva Smit <team-noord@jeugdzorg-west\.nl>, Sam de Wit\r\n <team-noord@jeugdzorg-west\.nl>, Pieter de Vos <p\.devos@example\.org>\r$/mu);
    expect(raw.match(/^From:/gmu)).toHaveLength(1);
    expect((await PostalMime.parse(bytes)).sender).toEqual({ name: 'Eva Smit', address: TEAM });
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });

  it('keeps only the message ids of In-Reply-To and References, and drops one that has none', async () => {
    const source = enc(
      [
        'In-Reply-To: Jolanda Verbeek\'s message of 3 Feb',
        'References: <CAE9zzz000@mail.example.org> (van Jolanda Verbeek) <CAF0abc123@mail.example.org>',
        simple(['Content-Type: text/plain'], 'Hallo'),
      ].join('\r\n'),
    );
    const { bytes, dropped } = await rewriteEml(source, 'message.eml', fakeRedactor());
    expect(dropped).toEqual(['In-Reply-To']);
    const email = await PostalMime.parse(bytes);
    expect(email.inReplyTo).toBeUndefined();
    expect(email.references).toBe('<CAE9zzz000@mail.example.org> <CAF0abc123@mail.example.org>');
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });

  it('tolerates an mbox "From " separator line and drops it', async () => {
    const source = enc('From j.verbeek@jeugdzorg-west.nl Tue Feb  3 09:15:00 2026\r\n' + simple(['Content-Type: text/plain'], 'Hallo'));
    const { bytes, dropped } = await rewriteEml(source, 'message.eml', fakeRedactor());
    expect(dropped).toEqual(['From_ (mbox line)']);
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });

  it('drops a Date that does not parse (it is free text then)', async () => {
    const source = enc(['Date: gisteren, bij Jolanda Verbeek', simple(['Content-Type: text/plain'], 'Hallo')].join('\r\n'));
    const { bytes, dropped } = await rewriteEml(source, 'message.eml', fakeRedactor());
    expect(dropped).toEqual(['Date']);
    expectNoneOf(await everything(bytes), FORBIDDEN);
  });
});

describe('rewriteDate', () => {
  it('keeps the instant and the UTC offset, drops comments, and refuses what is not a date', () => {
    expect(rewriteDate('Tue, 3 Feb 2026 09:15:00 +0100')).toBe('Tue, 03 Feb 2026 09:15:00 +0100');
    expect(rewriteDate('Mon, 30 Mar 2026 23:30:00 -0430 (laptop van Jolanda)')).toBe('Mon, 30 Mar 2026 23:30:00 -0430');
    expect(rewriteDate('Sat, 31 Jan 2026 23:59:59 GMT')).toBe('Sat, 31 Jan 2026 23:59:59 +0000');
    expect(rewriteDate('2026-02-03T08:15:00Z')).toBe('Tue, 03 Feb 2026 08:15:00 +0000');
    expect(rewriteDate('gisteren')).toBeNull();
  });
});
