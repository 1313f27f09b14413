// Base32 for codes people read aloud or type: lower case, without the
// look-alikes l, o, 0 and 1, in groups of four ("k7qm-2xwe-…").
export const BASE32_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Bytes as base32 (5 bits a character; trailing bits that do not fill a character are dropped). */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(value >> bits) & 31];
    }
  }
  return out;
}

/** The bytes of a base32 text whose length is a multiple of 8 characters; undefined if it is not one. */
export function fromBase32(text: string): Uint8Array | undefined {
  if (text.length % 8 !== 0) return undefined;
  const out = new Uint8Array((text.length / 8) * 5);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of text) {
    const v = BASE32_ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

export function groupsOfFour(text: string): string {
  return text.match(/.{1,4}/gu)!.join('-');
}
