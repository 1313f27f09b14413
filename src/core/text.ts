// Small, pure text helpers shared by validation and (later) leak matching.

/** NFC, trimmed, runs of any whitespace (incl. NBSP) collapsed to one space. */
export function tidy(value: string): string {
  return value.normalize('NFC').replace(/[\s\u00a0\u2007\u202f]+/gu, ' ').trim();
}

// eslint-disable-next-line no-control-regex
// C0/C1 controls, soft hyphen, Arabic letter mark, Mongolian vowel separator,
// zero-width and bidi controls (incl. isolates), invisible operators, BOM, tags.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]/u;

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/** Lower case without diacritics: "Özdemir" -> "ozdemir". */
export function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
