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
  /**
   * The part was checked, but the user should know something about it (text
   * placed outside the visible page of a PDF): a notice, not "not checked".
   */
  notice?: true;
}

export interface ReaderNote {
  location: string;
  note: string;
}

export function noteSegment(location: string, note: string): NoteSegment {
  return { location, text: '', noLines: true, note };
}

/** A fact about a part that was scanned (e.g. text nobody can see on the page); listed apart from "not checked". */
export function noticeSegment(location: string, note: string): NoteSegment {
  return { location, text: '', noLines: true, note, notice: true };
}

export function isNoteSegment(segment: TextSegment): segment is NoteSegment {
  return typeof (segment as Partial<NoteSegment>).note === 'string';
}

/** The notes among a reader's segments (parts not checked), in order. */
export function readerNotes(segments: readonly TextSegment[]): ReaderNote[] {
  return segments.filter((s) => isNoteSegment(s) && !s.notice).map((s) => ({ location: s.location, note: (s as NoteSegment).note }));
}

/** The notices among a reader's segments (parts checked, with something to know), in order. */
export function readerNotices(segments: readonly TextSegment[]): ReaderNote[] {
  return segments.filter((s) => isNoteSegment(s) && s.notice).map((s) => ({ location: s.location, note: (s as NoteSegment).note }));
}

/** The same segments with `prefix` put before each location (notes and positions kept). */
export function prefixSegments(prefix: string, segments: readonly TextSegment[]): TextSegment[] {
  return segments.map((s) => ({ ...s, location: prefix + s.location }));
}
