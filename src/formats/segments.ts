// What a document reader hands the leak scanner: the text of each part of a
// file, named by where it sat, in order. Readers never decide what is a leak.

export interface TextSegment {
  /**
   * Where the text sat: "body", "header", "footer", "footnote", "comment",
   * "tracked-change", "textbox", "metadata:author", "metadata:title",
   * "mail-header:from", "attribute:alt", "attachment:NAME/body", …
   */
  location: string;
  /** The text, or chunks of it in order (large plain-text files are streamed). */
  text: string | AsyncIterable<string>;
  /**
   * Optional map from an offset in `text` to a line and column (1-based) in the
   * original file, for formats whose text was extracted (HTML). Without it,
   * lines and columns are counted in `text` itself; with `noLines`, none are given.
   */
  position?: (offset: number) => { line: number; column: number };
  noLines?: boolean;
  /**
   * For readers whose text was extracted from a source text (HTML): the
   * source range [start, end) that text offsets [start, end) came from, so a
   * finding can be replaced in the source. Without it, offsets are the source's.
   */
  sourceRange?: (start: number, end: number) => [number, number];
}

/** A reader turns a file's bytes into segments; throws UsageError for a file it cannot read. */
export type SegmentReader = (bytes: Uint8Array, name: string) => Promise<TextSegment[]>;
