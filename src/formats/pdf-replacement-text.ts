// Replacement text in a PDF: /ActualText (marked content or structure
// elements: "copy and search this instead of the glyphs"), /E (the expansion
// of an abbreviation) and /Alt (alternative text). pdftotext and screen
// readers give a marked span's ActualText in place of the glyphs drawn, so a
// PDF can show "XXXXXX" and still hand a worker's name to anyone who copies
// it. pdf.js exposes none of these from a content stream, so this reads them
// from the file itself: every stream is inflated where it can be (content
// streams, object streams holding structure elements), and the uncompressed
// objects are read as they are.
import { inflateSync, constants } from 'node:zlib';

export interface ReplacementTexts {
  /** /ActualText and /E values, one entry per content stream or object, in file order. */
  actual: string[];
  alt: string[];
  /** The file is encrypted and names replacement text that could not be decrypted. */
  unreadable: boolean;
}

const KEY = /\/(ActualText|Alt|E)(?![A-Za-z0-9#])\s*/gu;

/** Streams whose content is never text operators or dictionaries: fonts, images, XMP. */
const SKIP_STREAM = /\/(Length[123]|Subtype\s*\/(Image|Type1C|CIDFontType0C|OpenType|XML)|Type\s*\/(XRef|Metadata|EmbeddedFile)|Width\b)/u;

/** Bytes of a PDF text string to text: UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding (Latin-1 for letters). */
function decodeTextString(bytes: number[]): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return s;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return Buffer.from(bytes.slice(3)).toString('utf8');
  return Buffer.from(bytes).toString('latin1');
}

/** The PDF string (literal or hex) starting at `at`, or null. */
function readString(src: string, at: number): string | null {
  if (src[at] === '(') {
    const bytes: number[] = [];
    let depth = 1;
    for (let i = at + 1; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === 0x5c) {
        const n = src[++i];
        if (n === undefined) break;
        const simple: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
        if (n in simple) bytes.push(simple[n]!);
        else if (/[0-7]/u.test(n)) {
          let oct = n;
          while (oct.length < 3 && /[0-7]/u.test(src[i + 1] ?? '')) oct += src[++i];
          bytes.push(parseInt(oct, 8) & 0xff);
        } else if (n === '\r') {
          if (src[i + 1] === '\n') i++;
        } else if (n !== '\n') bytes.push(n.charCodeAt(0) & 0xff);
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29 && --depth === 0) return decodeTextString(bytes);
      bytes.push(c & 0xff);
    }
    return null;
  }
  if (src[at] === '<' && src[at + 1] !== '<') {
    const end = src.indexOf('>', at);
    if (end === -1) return null;
    const hex = src.slice(at + 1, end).replace(/[^0-9a-fA-F]/gu, '');
    const bytes: number[] = [];
    for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2).padEnd(2, '0'), 16));
    return decodeTextString(bytes);
  }
  return null;
}

function collect(src: string, out: { actual: string[]; alt: string[] }): number {
  let found = 0;
  const actual: string[] = [];
  for (const m of src.matchAll(KEY)) {
    const value = readString(src, m.index + m[0].length);
    found++;
    if (value === null) continue;
    const text = value.replace(/\s+/gu, ' ').trim();
    if (!text) continue;
    if (m[1] === 'Alt') out.alt.push(text);
    else actual.push(text);
  }
  // One stream's spans in drawing order: each on its own, each next to the
  // one after it, and all run together, since a name can be split over
  // spans ("Ger", "rit Knol").
  if (actual.length > 0) {
    const pairs = actual.slice(1).map((t, i) => actual[i]! + t);
    out.actual.push([...actual, ...pairs, ...(actual.length > 2 ? [actual.join('')] : [])].join('\n'));
  }
  return found;
}

export function replacementTexts(bytes: Uint8Array): ReplacementTexts {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out = { actual: [] as string[], alt: [] as string[] };
  // In an encrypted file strings and streams are encrypted: what is found
  // cannot be read, and saying so is better than reading noise.
  const encrypted = /\/Encrypt\s+(\d+\s+\d+\s+R|<<)/u.test(src);
  if (encrypted) return { ...out, unreadable: /\/(ActualText|Alt|E)(?![A-Za-z0-9#])\s*[(<]/u.test(src) };
  // The file outside its streams: uncompressed objects (structure elements).
  let plain = '';
  let from = 0;
  const streamStart = /\bstream\r?\n/gu;
  for (let m = streamStart.exec(src); m; m = streamStart.exec(src)) {
    const bodyStart = m.index + m[0].length;
    const end = src.indexOf('endstream', bodyStart);
    if (end === -1) break;
    plain += src.slice(from, m.index);
    from = end + 'endstream'.length;
    streamStart.lastIndex = from;
    const dictStart = src.lastIndexOf('obj', m.index);
    const dict = dictStart === -1 ? '' : src.slice(dictStart, m.index);
    if (SKIP_STREAM.test(dict)) continue;
    const body = bytes.subarray(bodyStart, end);
    let text: string;
    if (/FlateDecode|\/Fl\b/u.test(dict)) {
      try {
        text = inflateSync(body, { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
      } catch {
        continue;
      }
    } else if (/\/Filter/u.test(dict)) {
      continue; // other filters (LZW, ASCII85 …) are rare for content and not read here
    } else {
      text = Buffer.from(body).toString('latin1');
    }
    if (text.includes('/ActualText') || text.includes('/Alt') || text.includes('/E')) collect(text, out);
  }
  plain += src.slice(from);
  collect(plain, out);
  return { ...out, unreadable: false };
}
