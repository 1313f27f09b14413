// Word (.docx) with the docx library: an A4 letter in Calibri 11 pt with
// Word's own heading and list machinery, so the recipient's Word (or
// LibreOffice) shows real headings, bullets and numbers the receiver can
// keep editing.
//
// Properties: title, subject and description from the meta; creator and
// lastModifiedBy are the team (docx would otherwise write "Un-named"). No
// other property that could name a person is set: no company, manager,
// comments, custom properties or tracked changes.
import { tidyBlocks, type Block, type Run } from './markdown.js';
import type { DocumentMeta } from './write-document.js';

// docx's ESM type declarations re-export extensionless paths that NodeNext
// cannot follow, so every export but Document is missing to tsc (its
// CommonJS declarations sit in the same "type": "module" package and fail
// the same way). This is the part of its API used here, as documented.
type Xml = object & { readonly __docx?: never };
interface RunOptions {
  text?: string;
  bold?: boolean;
  italics?: boolean;
  /** Line breaks before the text. */
  break?: number;
}
interface ParagraphOptions {
  children: Xml[];
  heading?: string;
  keepNext?: boolean;
  numbering?: { reference: string; level: number; instance?: number };
  spacing?: { before?: number; after?: number; line?: number };
  border?: { bottom?: { style: string; size: number; color: string; space: number } };
}
interface Docx {
  Document: new (options: Record<string, unknown>) => Xml;
  Paragraph: new (options: ParagraphOptions) => Xml;
  TextRun: new (options: RunOptions) => Xml;
  Packer: { toBuffer(doc: Xml): Promise<Buffer> };
  AlignmentType: { LEFT: string };
  BorderStyle: { SINGLE: string };
  HeadingLevel: Record<'HEADING_1' | 'HEADING_2' | 'HEADING_3' | 'HEADING_4' | 'HEADING_5' | 'HEADING_6', string>;
  LevelFormat: { BULLET: string; DECIMAL: string };
}
type Paragraph = Xml;

/** 2.5 cm in twentieths of a point. */
const MARGIN = 1417;
const A4 = { width: 11906, height: 16838 };
const FONT = 'Calibri';
const INK = '1A1A1A';
const BULLETS = 'schuilnaam-bullets';
const numbersRef = (start: number) => `schuilnaam-numbers-${start}`;

function runs(docx: Docx, list: Run[]): Xml[] {
  const out: Xml[] = [];
  let breaks = 0;
  for (const run of list) {
    if (run.break) {
      breaks++;
      continue;
    }
    // A TextRun's `break` puts that many <w:br/> before its text.
    out.push(new docx.TextRun({ text: run.text, bold: run.bold, italics: run.italic, break: breaks || undefined }));
    breaks = 0;
  }
  if (breaks > 0) out.push(new docx.TextRun({ break: breaks }));
  return out;
}

export async function writeDocx(input: Block[], meta: DocumentMeta): Promise<Uint8Array> {
  const blocks = tidyBlocks(input);
  const docx = (await import('docx')) as unknown as Docx;
  const { AlignmentType, BorderStyle, HeadingLevel, LevelFormat, Packer } = docx;
  const headingLevels = [
    HeadingLevel.HEADING_1,
    HeadingLevel.HEADING_2,
    HeadingLevel.HEADING_3,
    HeadingLevel.HEADING_4,
    HeadingLevel.HEADING_5,
    HeadingLevel.HEADING_6,
  ] as const;

  // One numbering definition per first number; each ordered list gets its own
  // instance of it, so every list starts counting afresh.
  const starts = new Set<number>();
  let instance = 0;
  const children: Paragraph[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        children.push(new docx.Paragraph({ heading: headingLevels[block.level - 1], keepNext: true, children: runs(docx, block.runs) }));
        break;
      case 'paragraph':
        children.push(new docx.Paragraph({ children: runs(docx, block.runs) }));
        break;
      case 'list': {
        const start = block.start ?? 1;
        if (block.ordered) starts.add(start);
        instance++;
        block.items.forEach((item, i) => {
          const last = i === block.items.length - 1;
          children.push(
            new docx.Paragraph({
              numbering: { reference: block.ordered ? numbersRef(start) : BULLETS, level: 0, instance },
              spacing: { after: last ? 160 : 60 },
              children: runs(docx, item),
            }),
          );
        });
        break;
      }
      case 'rule':
        children.push(
          new docx.Paragraph({
            border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '9A9A9A', space: 1 } },
            spacing: { after: 200 },
            children: [],
          }),
        );
        break;
    }
  }

  const indent = { left: 425, hanging: 283 };
  const heading = (size: number, before: number, after: number) => ({
    run: { font: FONT, size, bold: true, italics: false, color: INK },
    paragraph: { spacing: { before, after }, keepNext: true },
  });
  const doc = new docx.Document({
    creator: meta.author,
    lastModifiedBy: meta.author,
    title: meta.title,
    ...(meta.subject ? { subject: meta.subject, description: meta.subject } : {}),
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 22, color: INK, language: { value: meta.language === 'nl' ? 'nl-NL' : 'en-GB' } },
          paragraph: { spacing: { after: 160, line: 276 } },
        },
        heading1: heading(32, 240, 120),
        heading2: heading(26, 240, 80),
        heading3: heading(23, 200, 60),
        heading4: heading(22, 160, 40),
        heading5: heading(22, 160, 40),
        heading6: heading(22, 160, 40),
      },
    },
    numbering: {
      config: [
        {
          reference: BULLETS,
          levels: [{ level: 0, format: LevelFormat.BULLET, text: '\u2022', alignment: AlignmentType.LEFT, style: { paragraph: { indent } } }],
        },
        ...[...starts].map((start) => ({
          reference: numbersRef(start),
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', start, alignment: AlignmentType.LEFT, style: { paragraph: { indent } } }],
        })),
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height },
            margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN, header: 709, footer: 709 },
          },
        },
        children,
      },
    ],
  });
  const buffer = await Packer.toBuffer(doc);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
