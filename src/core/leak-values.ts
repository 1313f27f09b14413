// E-mail addresses and phone numbers in running text, in every notation, as
// canonical values to look up (the index holds their keyed hashes). Pure.
import { canonicalEmail, canonicalEmployeeNo, canonicalPhone } from './worker-fields.js';

export interface ValueCandidate {
  kind: 'email' | 'phone' | 'employee-no';
  value: string;
  start: number;
  end: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/gu;
// A run of digit groups joined by one separator each: "06-41234567",
// "+31 6 4123 4567", "020-1234567", "+31 (0)20 123 4567", "0031 6 41234567".
const SEP = '(?:[ \\u00a0]*\\(0\\)[ \\u00a0]*|[ \\u00a0]*[.\\-/][ \\u00a0]*|[ \\u00a0]+)';
const PHONE_RUN = new RegExp(`(?<![\\d+])(?:\\+|00)?\\(?\\d+\\)?(?:${SEP}\\(?\\d+\\)?)*`, 'gu');
// Personnel numbers: digit groups with any separators ("10 231", "2019.0457"),
// with up to four letters just before ("P-10231", "MK 88321").
const DIGIT_RUN = /\d+(?:[ .\-/]\d+)*/gu;
const LETTERS_BEFORE = /(?<![\p{L}\p{N}])\p{L}{1,4}[ .\-/]?$/u;
const GROUP = /\d+/gu;
const MAX_WRITTEN_DIGITS = 18;

export function findValues(text: string): ValueCandidate[] {
  const all = collect(text);
  // One candidate per value and end: the longest reading ("+31 (0)6 …" over "0)6 …").
  const best = new Map<string, ValueCandidate>();
  for (const c of all) {
    const key = `${c.kind}\u001f${c.value}\u001f${c.end}`;
    const prev = best.get(key);
    if (!prev || c.start < prev.start) best.set(key, c);
  }
  return [...best.values()];
}

function collect(text: string): ValueCandidate[] {
  const out: ValueCandidate[] = [];
  // Look for e-mail addresses only around an "@": the pattern alone would be tried at every letter.
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    const from = Math.max(0, at - 100); // an address has at most 100 characters (worker-fields.ts)
    const slice = text.slice(from, at + 256);
    for (const m of slice.matchAll(EMAIL)) {
      const start = from + m.index;
      if (start <= at && at < start + m[0].length) out.push({ kind: 'email', value: canonicalEmail(m[0]), start, end: start + m[0].length });
    }
  }
  // Every run of digit groups is tried from each group that can start a number,
  // growing group by group, so "12-03-2025 06-41234567" and "020-1234567 /
  // 06-41234567" still yield the numbers inside them.
  for (const run of text.matchAll(PHONE_RUN)) {
    const groups = [...run[0].matchAll(GROUP)].map((g) => ({ start: run.index + g.index, end: run.index + g.index + g[0].length }));
    for (let i = 0; i < groups.length; i++) {
      const from = i === 0 ? run.index : groups[i]!.start;
      let digits = 0;
      // 15 digits at most after the "+", written with "00" in front and a
      // "(0)" inside: up to 18 digits on paper ("0049 (0)1234 5678 9012 3").
      for (let j = i; j < groups.length && digits < MAX_WRITTEN_DIGITS; j++) {
        digits += groups[j]!.end - groups[j]!.start;
        if (digits < 9) continue;
        // An opening bracket belongs to the number only when it closes inside it ("(06) 4123…").
        const start = text[from] === '(' && !text.slice(from, groups[j]!.end).includes(')') ? from + 1 : from;
        const raw = text.slice(start, groups[j]!.end);
        const canonical = canonicalPhone(raw);
        // Dutch numbers have exactly 9 digits after +31; others 9-15 in all.
        const ok = canonical.startsWith('+31') ? /^\+31\d{9}$/u.test(canonical) : /^\+\d{9,15}$/u.test(canonical);
        if (ok) out.push({ kind: 'phone', value: canonical, start, end: groups[j]!.end });
      }
    }
  }
  // Every personnel-number reading of a run: from each group, one to four groups long.
  for (const run of text.matchAll(DIGIT_RUN)) {
    const groups = [...run[0].matchAll(/\d+/gu)].map((g) => ({ start: run.index + g.index, end: run.index + g.index + g[0].length }));
    const lookback = Math.max(0, run.index - 6);
    const letters = LETTERS_BEFORE.exec(text.slice(lookback, run.index));
    if (letters) groups.unshift({ start: lookback + letters.index, end: run.index });
    for (let i = 0; i < groups.length; i++) {
      for (let j = i; j < groups.length && j < i + 4; j++) {
        const value = canonicalEmployeeNo(text.slice(groups[i]!.start, groups[j]!.end));
        if (/\d/u.test(value)) out.push({ kind: 'employee-no', value, start: groups[i]!.start, end: groups[j]!.end });
      }
    }
  }
  return out;
}
