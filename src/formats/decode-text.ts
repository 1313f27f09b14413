// Bytes to text for the readers: a BOM wins, then a charset the caller found
// (an HTML <meta charset>, a MIME parameter), then UTF-8 if the bytes are valid
// UTF-8, else Windows-1252 — the usual encoding of a non-UTF-8 Dutch file,
// where decoding as UTF-8 would turn "Özlem" into "\ufffdzlem" and hide it.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | (string & {});

/** The encoding a BOM announces, and the BOM's length. */
export function sniffBom(bytes: Uint8Array): { encoding: TextEncodingName; bomLength: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

function decoderFor(label: string | undefined): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null; // a label Node does not know: fall back to sniffing
  }
}

/** Decode a whole buffer (see the file comment for the order of choices). */
export function decodeText(bytes: Uint8Array, declaredCharset?: string): string {
  const bom = sniffBom(bytes);
  if (bom) return new TextDecoder(bom.encoding).decode(bytes.subarray(bom.bomLength));
  const declared = decoderFor(declaredCharset);
  // A declared UTF-8 that is not valid UTF-8 is the most common lie; check it.
  if (declared && declared.encoding !== 'utf-8') return declared.decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * Decode a stream of byte chunks into string chunks without holding it all:
 * BOM first, else UTF-8 until the first invalid byte sequence, from where on
 * Windows-1252 (a file that is not UTF-8 is usually not UTF-8 throughout).
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let fallback = false;
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (!decoder) {
      const bom = sniffBom(bytes);
      decoder = new TextDecoder(bom?.encoding ?? 'utf-8', { fatal: !bom });
      if (bom) {
        fallback = true; // a BOM is authoritative: never switch
        bytes = bytes.subarray(bom.bomLength);
      }
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      // Invalid UTF-8: the rest is read as Windows-1252 (a single-byte
      // encoding, so no state is carried between chunks).
      decoder = new TextDecoder('windows-1252');
      fallback = true;
      text = decoder.decode(bytes);
    }
    if (text !== '') yield text;
  }
  if (decoder && !fallback) {
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      tail = '\ufffd'; // the file ended inside a UTF-8 sequence
    }
    if (tail !== '') yield tail;
  } else if (decoder) {
    const tail = decoder.decode();
    if (tail !== '') yield tail;
  }
}

/** Offsets in a string to 1-based line and column (a column counts UTF-16 units). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}
