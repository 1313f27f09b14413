// What a URL carries that a person can read once it is opened or copied:
// percent-encoded text ("?n=Anouk%20Verbeek", or every byte encoded) and the
// payload of a data: URL. Readers of every format pass link targets and
// URL-valued attributes through here, so a name hidden in a link is scanned
// the same way in HTML, Markdown, Word, PDF and e-mail.

/** Decodes percent-escapes that form valid UTF-8; any other escape stays as written. */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9a-f]{2})+/giu, (run) => {
    const bytes = Buffer.from(run.replace(/%/gu, ''), 'hex');
    const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    // Invalid UTF-8 (say %FF) would become U+FFFD: keep such a run as written.
    return decoded.includes('\uFFFD') ? run : decoded;
  });
}

const DATA_URL = /^\s*data:([^,]*?),(.*)$/isu;

/** The text inside a data: URL when its media type is text-like (text/*, SVG, JSON, XML), else null. */
export function dataUrlText(url: string): string | null {
  const m = DATA_URL.exec(url);
  if (!m) return null;
  const meta = m[1]!.toLowerCase();
  const body = m[2]!;
  const isBase64 = /;\s*base64\s*$/u.test(meta);
  const type = meta.split(';')[0]!.trim() || 'text/plain';
  if (!/^(text\/|image\/svg|application\/(json|xml|xhtml|javascript|ecmascript)|[^/]*\+xml$)/u.test(type)) return null;
  if (isBase64) {
    const clean = percentDecode(body).replace(/\s+/gu, '');
    if (!/^[A-Za-z0-9+/_-]*=*$/u.test(clean)) return null;
    return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.from(clean.replace(/-/gu, '+').replace(/_/gu, '/'), 'base64'));
  }
  return percentDecode(body);
}

/**
 * The readable texts of one URL, besides the URL as written: the
 * percent-decoded form (when it differs; applied twice, for double
 * encoding) and a data: URL's payload. Each is a separate piece of text
 * to scan. "+" is a space only in a query string (form encoding), so
 * "tel:+31…" stays as it is.
 */
export function urlTexts(url: string): string[] {
  const out: string[] = [];
  const data = dataUrlText(url);
  if (data !== null) out.push(data);
  let decoded = url;
  for (let i = 0; i < 2; i++) {
    const next = percentDecode(plusAsSpace(decoded));
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded !== url && data === null) out.push(decoded);
  return out;
}

function plusAsSpace(url: string): string {
  const q = url.indexOf('?');
  if (q === -1 || !url.includes('+', q)) return url;
  const hash = url.indexOf('#', q);
  const end = hash === -1 ? url.length : hash;
  return url.slice(0, q) + url.slice(q, end).replace(/\+/gu, ' ') + url.slice(end);
}
