// Things a reader must tell the user about but that are not text to scan: a PDF
// without a text layer, a mail attachment of a type that cannot be read, an
// embedded object. "Not checked" must never look like "clean", so a reader
// returns such a fact in-band, as a segment with empty text and a `note`:
// the scanner finds nothing in it, and whoever prints the result asks
// `readerNotes(segments)` for the notes. Being segments, notes survive
// nesting (an attachment's notes come back prefixed "attachment:NAME/").
import type { TextSegment } from './segments.js';

export interface NoteSegment extends TextSegment {
  text: '';
  noLines: true;
  /** One lowercase sentence for the user, e.g. "scan.pdf has no text layer …". */
  note: string;
}

export interface ReaderNote {
  location: string;
  note: string;
}

export function noteSegment(location: string, note: string): NoteSegment {
  return { location, text: '', noLines: true, note };
}

export function isNoteSegment(segment: TextSegment): segment is NoteSegment {
  return typeof (segment as Partial<NoteSegment>).note === 'string';
}

/** The notes among a reader's segments, in order. */
export function readerNotes(segments: readonly TextSegment[]): ReaderNote[] {
  return segments.filter(isNoteSegment).map((s) => ({ location: s.location, note: s.note }));
}

/** The same segments with `prefix` put before each location (notes and positions kept). */
export function prefixSegments(prefix: string, segments: readonly TextSegment[]): TextSegment[] {
  return segments.map((s) => ({ ...s, location: prefix + s.location }));
}
