// PDF: the text of each page (location "page N", one line per text line as
// laid out), annotations (comments, form field values, link targets,
// bookmarks), and the Info dictionary and XMP metadata. pdfjs-dist parses the
// file (legacy build for Node; in Node it runs its worker in-process, so no
// worker file is configured); the page text is rebuilt here from where each
// glyph lands (pdf-glyphs.ts, pdf-layout.ts), the way a reader and pdftotext
// see it, whatever order and spacing the PDF draws it with.
//
// Text nobody sees is still scanned and said: text placed outside the visible
// page is its own part, "page N (outside the visible page)", with a notice;
// text in white, in an invisible render mode or under 1 pt is read with the
// page it sits on, with a notice. Replacement text (/ActualText, /E, /Alt),
// which pdftotext and copy-paste give instead of the glyphs drawn, is read
// from the file (pdf-replacement-text.ts) as the part "actual-text".
//
// A PDF without a text layer (a scan, a photo of a letter) cannot be checked:
// it yields a note segment (see notes.ts) instead of looking clean, and so does
// a page that shows images but has no text in a PDF that has text elsewhere.
import { UsageError } from '../errors.js';
import { noteSegment, noticeSegment } from './notes.js';
import { pageGlyphs } from './pdf-glyphs.js';
import { layoutByDrawingOrder, layoutByPosition } from './pdf-layout.js';
import { replacementTexts } from './pdf-replacement-text.js';
import type { SegmentReader, TextSegment } from './segments.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const INFO_KEYS: Record<string, string> = {
  Author: 'metadata:author',
  Creator: 'metadata:creator',
  Producer: 'metadata:producer',
  Title: 'metadata:title',
  Subject: 'metadata:subject',
  Keywords: 'metadata:keywords',
};

const XMP_KEYS: Record<string, string> = {
  'dc:creator': 'metadata:author',
  'dc:title': 'metadata:title',
  'dc:description': 'metadata:subject',
  'dc:subject': 'metadata:keywords',
  'dc:rights': 'metadata:rights',
  'dc:publisher': 'metadata:publisher',
  'dc:contributor': 'metadata:contributor',
  'pdf:keywords': 'metadata:keywords',
  'pdf:producer': 'metadata:producer',
  'xmp:creatortool': 'metadata:creator',
};

/** XMP properties that are dates, ids or conformance levels, never text someone wrote. */
const XMP_SKIP = /date$|^pdfaid:|^xmpmm:|^pdfx:|^pdfuaid:|^dc:format$|^dc:identifier$/u;

/** pdf.js' XMP values: strings, or arrays (rdf:Seq/Bag/Alt) of them, possibly nested. */
function flatten(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (value && typeof value === 'object') return Object.values(value).flatMap(flatten);
  return [];
}

const IMAGE_OPS = (pdfjs: PdfJs) =>
  new Set<number>([
    pdfjs.OPS.paintImageXObject,
    pdfjs.OPS.paintInlineImageXObject,
    pdfjs.OPS.paintImageMaskXObject,
    pdfjs.OPS.paintImageXObjectRepeat,
    pdfjs.OPS.paintImageMaskXObjectRepeat,
    pdfjs.OPS.paintImageMaskXObjectGroup,
    pdfjs.OPS.paintInlineImageXObjectGroup,
  ]);

/**
 * Load pdf.js. In Node it takes DOMMatrix, ImageData and Path2D from the
 * optional native package @napi-rs/canvas, and without them its module fails
 * to evaluate (`new DOMMatrix()` at top level). Where that package has no
 * binary for the platform, inert stand-ins are enough: text, annotations and
 * metadata never use them (only rendering does). Its warnings about the
 * missing package are then silenced, as nothing is rendered.
 */
let pdfjsModule: Promise<PdfJs> | undefined;
function loadPdfJs(): Promise<PdfJs> {
  pdfjsModule ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    let standIns = false;
    if (!g.DOMMatrix) {
      const { createRequire } = await import('node:module');
      try {
        createRequire(import.meta.url)('@napi-rs/canvas');
      } catch {
        class Inert {
          a = 1;
          b = 0;
          c = 0;
          d = 1;
          e = 0;
          f = 0;
        }
        g.DOMMatrix = Inert;
        g.ImageData ??= class {};
        g.Path2D ??= class {};
        standIns = true;
      }
    }
    const warn = console.warn;
    if (standIns) console.warn = () => undefined;
    try {
      return await import('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      console.warn = warn;
    }
  })();
  return pdfjsModule;
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string };
  if (err?.name === 'PasswordException') return 'it is password-protected';
  if (err?.name === 'InvalidPDFException') return 'the file is damaged or not a PDF';
  return `the file is damaged (${String(err?.message ?? e).toLowerCase()})`;
}

export const readPdf: SegmentReader = async (bytes, name) => {
  const fail = (reason: string) => new UsageError(`${name} is not a readable PDF: ${reason}`);
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw fail('it does not start like a PDF');

  const pdfjs = await loadPdfJs();
  const values = new Map<string, string[]>();
  const value = (location: string, text: unknown) => {
    for (const v of flatten(text)) {
      const t = v.trim();
      if (!t) continue;
      const list = values.get(location) ?? [];
      if (!list.includes(t)) list.push(t);
      values.set(location, list);
    }
  };

  const pages: TextSegment[] = [];
  const notes: TextSegment[] = [];
  const actualTexts: string[] = [];
  let loadingTask: ReturnType<PdfJs['getDocument']> | null = null;
  try {
    loadingTask = pdfjs.getDocument({
      data: new Uint8Array(bytes), // pdf.js takes ownership of the buffer; give it a copy
      verbosity: pdfjs.VerbosityLevel.ERRORS,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
    });
    const doc = await loadingTask.promise;
    const imageOps = IMAGE_OPS(pdfjs);
    let anyText = false;
    const notices: TextSegment[] = [];

    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      // Annotations are read below from their dictionaries, not from their appearance.
      const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
      const glyphs = pageGlyphs(pdfjs, page, ops);
      const onPage = glyphs.filter((g) => g.hidden !== 'off-page');
      const lines = layoutByPosition(onPage);
      const text = lines.join('\n');
      const offPage = layoutByPosition(glyphs.filter((g) => g.hidden === 'off-page')).join('\n');
      if (text.trim() !== '') {
        anyText = true;
        pages.push({ location: `page ${n}`, text });
        // Two columns read across by position; a name broken over two lines
        // of one column is whole only in drawing order. Only lines that
        // differ are kept, so a plain letter is read once.
        const seen = new Set(lines.map((l) => l.replace(/\s+/gu, ' ').trim()));
        const other = layoutByDrawingOrder(onPage).filter((l) => l.trim() !== '' && !seen.has(l.replace(/\s+/gu, ' ').trim()));
        if (other.length > 0) pages.push({ location: `page ${n} (drawing order)`, text: other.join('\n') });
        const unseen = onPage.filter((g) => g.hidden === 'invisible' && g.text.trim() !== '').length;
        if (unseen > 0) {
          notices.push(
            noticeSegment(
              `page ${n}`,
              `${name}: page ${n} has text nobody can see (${unseen} character${unseen === 1 ? '' : 's'} in white, in an invisible mode or under 1 pt); it was scanned with the page`,
            ),
          );
        }
      } else if (offPage.trim() === '' && ops.fnArray.some((op) => imageOps.has(op))) {
        notes.push(noteSegment(`page ${n}`, `${name}: page ${n} shows images but has no text, so it was not checked (scanned?)`));
      }
      if (offPage.trim() !== '') {
        anyText = true;
        const location = `page ${n} (outside the visible page)`;
        pages.push({ location, text: offPage });
        const count = offPage.split('\n').length;
        notices.push(noticeSegment(location, `${name}: page ${n} has text outside the visible page (${count} line${count === 1 ? '' : 's'}); it was scanned`));
      }
      for (const a of await page.getAnnotations()) {
        value('comment', a.contentsObj?.str);
        value('metadata:comment-author', a.titleObj?.str);
        value('form-field', a.fieldValue);
        value('attribute:alt', a.alternativeText);
        value('hyperlink', a.url ?? a.unsafeUrl);
      }
      page.cleanup();
    }
    if (!anyText) {
      notes.length = 0;
      notes.push(
        noteSegment(
          'body',
          `${name} has no text layer (a scanned or image-only PDF): its ${doc.numPages === 1 ? 'page' : `${doc.numPages} pages`} could not be checked`,
        ),
      );
    }

    const { info, metadata } = await doc.getMetadata();
    const infoDict = (info ?? {}) as Record<string, unknown>;
    for (const [key, location] of Object.entries(INFO_KEYS)) value(location, infoDict[key]);
    const custom = infoDict.Custom as Record<string, unknown> | undefined;
    if (custom && typeof custom === 'object') {
      for (const [key, v] of Object.entries(custom)) value(`metadata:custom:${key}`, v);
    }
    if (metadata) {
      for (const [key, v] of metadata as unknown as Iterable<[string, unknown]>) {
        const k = key.toLowerCase();
        if (XMP_KEYS[k]) value(XMP_KEYS[k], v);
        else if (!XMP_SKIP.test(k)) value(`metadata:xmp:${key}`, v);
      }
    }

    const outline = await doc.getOutline();
    const walk = (items: { title: string; items: unknown[] }[] | null) => {
      for (const item of items ?? []) {
        value('bookmark', item.title);
        walk(item.items as { title: string; items: unknown[] }[]);
      }
    };
    walk(outline);

    const attachments = (await doc.getAttachments()) as Record<string, { filename?: string }> | null;
    for (const [key, file] of Object.entries(attachments ?? {})) {
      const filename = file?.filename ?? key;
      value('attachment-name', filename);
      notes.push(noteSegment(`attachment:${filename}`, `${name}: the embedded file ${filename} was not scanned`));
    }
    const replacement = replacementTexts(bytes);
    for (const t of replacement.actual) actualTexts.push(t);
    for (const t of replacement.alt) value('attribute:alt', t);
    if (replacement.unreadable) {
      notes.push(noteSegment('actual-text', `${name}: the replacement text (/ActualText) of this encrypted PDF could not be read`));
    }
    notes.push(...notices);
  } catch (e) {
    throw fail(describe(e));
  } finally {
    await loadingTask?.destroy().catch(() => undefined);
  }

  const segments: TextSegment[] = [...pages];
  if (actualTexts.length > 0) segments.push({ location: 'actual-text', text: actualTexts.join('\n') });
  for (const [location, list] of values) for (const text of list) segments.push({ location, text, noLines: true });
  segments.push(...notes);
  return segments;
};
