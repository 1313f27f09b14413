// Small, pure text helpers shared by validation and (later) leak matching.

/** NFC, trimmed, runs of any whitespace (incl. NBSP) collapsed to one space. */
export function tidy(value: string): string {
  return value.normalize('NFC').replace(/[\s\u00a0\u2007\u202f]+/gu, ' ').trim();
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/** Lower case without diacritics: "Özdemir" -> "ozdemir". */
export function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}
