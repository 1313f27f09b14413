// Opaque random ids ("W-k3f9x2mq"): they say nothing about who or when.

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export function randomId(prefix: string, bytes: Uint8Array, length = 8): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length]! & 31];
  return `${prefix}-${out}`;
}

export const ID_RANDOM_BYTES = 8;

export function isWorkerId(text: string): boolean {
  return /^W-[0-9a-hjkmnp-tv-z]{8}$/u.test(text);
}
