// Luhn mod N (N = 34: digits and capital letters without I and O, which read
// as 1 and 0) check character for code pseudonyms: any single mistyped
// character and most swaps of neighbours are caught.

export const CHECK_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const N = CHECK_ALPHABET.length;

function codePoint(c: string): number {
  const i = CHECK_ALPHABET.indexOf(c);
  if (i < 0) throw new RangeError(`character ${JSON.stringify(c)} is not in the check alphabet`);
  return i;
}

/** The check character for `input` (characters from CHECK_ALPHABET). */
export function luhnModN(input: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = input.length - 1; i >= 0; i--) {
    let addend = factor * codePoint(input[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return CHECK_ALPHABET[(N - (sum % N)) % N]!;
}

/** True when the last character of `withCheck` is the right check character for the rest. */
export function isValidLuhnModN(withCheck: string): boolean {
  if (withCheck.length < 2) return false;
  const body = withCheck.slice(0, -1);
  if (![...withCheck].every((c) => CHECK_ALPHABET.includes(c))) return false;
  return luhnModN(body) === withCheck.slice(-1);
}
