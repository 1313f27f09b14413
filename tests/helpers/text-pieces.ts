// Text for the streamed-scanning tests: a text read in pieces, as from a pipe,
// and filler words without a line break.

/** `text` in pieces of `size` characters. */
export async function* pieces(text: string, size: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** Words without a line break, `n` characters, ending in a full stop. */
export function words(n: number): string {
  let s = '';
  while (s.length < n) s += 'de zaak loopt door ';
  return s.slice(0, n - 1) + '.';
}
