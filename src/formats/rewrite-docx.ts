// Rewriting the text of a Word file in place, for redaction: the text of each
// paragraph is handed to a callback that returns replacements; they are
// written into the paragraph's <w:t> runs (the first run covered gets the new
// text, later ones lose theirs), so fonts, styles and layout stay as they were
// (the house style). Document properties are rewritten the same way, and the
// author and last editor are set to a given name.
import { UsageError } from '../errors.js';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export type ParagraphEditor = (text: string) => Promise<TextEdit[]>;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/giu, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : XML_ENTITIES[e.toLowerCase()]!,
  );
}

function encodeXml(s: string): string {
  return s.replace(/[&<>]/gu, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

interface TextNode {
  /** Where the node's content sits in the XML. */
  start: number;
  end: number;
  /** The start of its opening tag (to add xml:space="preserve"). */
  tagStart: number;
  text: string;
  changed: boolean;
}

/** Applies edits (offsets in the joined text of `nodes`, with `seps` text between nodes) to the nodes. */
function applyEdits(nodes: TextNode[], offsets: number[], edits: TextEdit[]): number {
  let applied = 0;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    const first = offsets.findIndex((o, i) => e.start < o + nodes[i]!.text.length);
    let last = -1;
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (offsets[i]! < e.end) {
        last = i;
        break;
      }
    }
    if (first === -1 || last === -1 || last < first) continue;
    const a = nodes[first]!;
    const z = nodes[last]!;
    const from = Math.max(0, e.start - offsets[first]!);
    const to = Math.min(z.text.length, e.end - offsets[last]!);
    if (first === last) a.text = a.text.slice(0, from) + e.text + a.text.slice(to);
    else {
      a.text = a.text.slice(0, from) + e.text;
      for (let i = first + 1; i < last; i++) (nodes[i]!.text = ''), (nodes[i]!.changed = true);
      z.text = z.text.slice(to);
      z.changed = true;
    }
    a.changed = true;
    applied++;
  }
  return applied;
}

/** Rewrites the runs of every paragraph of a WordprocessingML part. */
async function rewriteWordPart(xml: string, edit: ParagraphEditor): Promise<{ xml: string; edits: number }> {
  const token = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(?:tab|br|cr)\b[^>]*\/>|<\/w:p>/gu;
  const nodes: TextNode[] = [];
  let group: { nodes: TextNode[]; offsets: number[]; text: string } = { nodes: [], offsets: [], text: '' };
  let edits = 0;
  const flush = async () => {
    if (group.text.trim() !== '') edits += applyEdits(group.nodes, group.offsets, await edit(group.text));
    group = { nodes: [], offsets: [], text: '' };
  };
  for (const m of xml.matchAll(token)) {
    if (m[0] === '</w:p>') {
      await flush();
    } else if (m[1] !== undefined) {
      const contentStart = m.index + m[0].indexOf('>') + 1;
      const node: TextNode = { start: contentStart, end: contentStart + m[1].length, tagStart: m.index, text: decodeXml(m[1]), changed: false };
      nodes.push(node);
      group.nodes.push(node);
      group.offsets.push(group.text.length);
      group.text += node.text;
    } else {
      group.text += m[0].startsWith('<w:tab') ? '\t' : '\n';
    }
  }
  await flush();
  let out = xml;
  for (const n of [...nodes].reverse()) {
    if (!n.changed) continue;
    out = out.slice(0, n.start) + encodeXml(n.text) + out.slice(n.end);
    const open = out.slice(n.tagStart, n.start);
    if (!/xml:space=/u.test(open)) out = `${out.slice(0, n.tagStart)}<w:t xml:space="preserve">${out.slice(n.start)}`;
  }
  return { xml: out, edits };
}

/** Rewrites every element's text in a properties part; `fixed` sets some elements outright. */
async function rewriteProperties(xml: string, edit: ParagraphEditor, fixed: Record<string, string>): Promise<{ xml: string; edits: number }> {
  let edits = 0;
  const parts: string[] = [];
  let last = 0;
  for (const m of xml.matchAll(/<([\w:]+)(\s[^>]*)?>([^<]*)<\/\1>/gu)) {
    const [whole, name, , content] = m as unknown as [string, string, string | undefined, string];
    let text = decodeXml(content);
    if (Object.hasOwn(fixed, name)) {
      if (text !== fixed[name]) edits++;
      text = fixed[name]!;
    } else if (text.trim() !== '') {
      const node: TextNode = { start: 0, end: 0, tagStart: 0, text, changed: false };
      edits += applyEdits([node], [0], await edit(text));
      text = node.text;
    }
    parts.push(xml.slice(last, m.index), whole.slice(0, whole.length - content.length - name.length - 3), encodeXml(text), `</${name}>`);
    last = m.index + whole.length;
  }
  parts.push(xml.slice(last));
  return { xml: parts.join(''), edits };
}

const TEXT_PARTS = /^word\/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$/u;

/**
 * A rewritten copy of a .docx. Refuses documents with comments or tracked
 * changes: what to keep there is the author's decision, in Word.
 */
export async function rewriteDocx(bytes: Uint8Array, name: string, edit: ParagraphEditor, author: string): Promise<{ bytes: Uint8Array; edits: number }> {
  const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new UsageError(`${name} is not a readable Word document: the zip archive is damaged`);
  }
  if (!files['word/document.xml']) throw new UsageError(`${name} is not a readable Word document: it has no word/document.xml`);
  const body = strFromU8(files['word/document.xml']!);
  const comments = files['word/comments.xml'] ? strFromU8(files['word/comments.xml']) : '';
  if (/<w:(ins|del|moveFrom|moveTo)\b/u.test(body) || /<w:t\b/u.test(comments)) {
    throw new UsageError(`${name} has tracked changes or comments`, 'accept or reject the changes and delete the comments in Word, then redact it');
  }
  let edits = 0;
  for (const [path, data] of Object.entries(files)) {
    if (TEXT_PARTS.test(path)) {
      const r = await rewriteWordPart(strFromU8(data), edit);
      files[path] = strToU8(r.xml);
      edits += r.edits;
    } else if (path === 'docProps/core.xml' || path === 'docProps/app.xml' || path === 'docProps/custom.xml') {
      const fixed: Record<string, string> = path === 'docProps/core.xml' ? { 'dc:creator': author, 'cp:lastModifiedBy': author } : path === 'docProps/app.xml' ? { Manager: '' } : {};
      const r = await rewriteProperties(strFromU8(data), edit, fixed);
      files[path] = strToU8(r.xml);
      edits += r.edits;
    }
  }
  return { bytes: zipSync(files), edits };
}
