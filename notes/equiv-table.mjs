#!/usr/bin/env node
// Table of equivalent surviving mutants for docs/testing.md, from a StrykerJS
// mutation.json and the reasons in reasons.json (next to this script).
//   node equiv-table.mjs [path/to/mutation.json]
//     default: /work/main/reports/mutation/mutation.json
// Every Survived or NoCoverage mutant is looked up by file + mutator + the
// trimmed source line at location.start.line (+ Stryker's replacement when the
// entry has one). When several entries fit, the one whose mutated line equals
// the mutant's (source line with the replacement spliced in) wins; a mutant
// whose mutated line fits no entry is still taken when it is the only mutant
// in its file with that line, mutator and replacement (so a stale column does
// not lose it), and is otherwise left unmatched as ambiguous.
// Entries with kind "fixed-bug" are never used: a survivor that fits only
// those is listed under UNMATCHED with a note (it should now be killed).
// stdout: the Markdown table, then "## UNMATCHED"; stderr: a count summary.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const reportPath = process.argv[2] ?? '/work/main/reports/mutation/mutation.json';
const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
const entries = JSON.parse(fs.readFileSync(path.join(here, 'reasons.json'), 'utf8'));

const ALIVE = new Set(['Survived', 'NoCoverage']);
const norm = (s) => (s ?? '').trim();
const keyOf = (file, mutator, line) => `${file}\u0000${mutator}\u0000${line}`;

const byKey = new Map();
for (const e of entries) {
  const k = keyOf(e.file, e.mutator, norm(e.original));
  if (!byKey.has(k)) byKey.set(k, []);
  byKey.get(k).push(e);
}

/** The mutated line as the survivor lists show it: the start line with the replacement spliced in. */
function spliced(lines, m) {
  const { start, end } = m.location;
  const first = lines[start.line - 1] ?? '';
  const last = lines[end.line - 1] ?? '';
  return first.slice(0, start.column - 1) + m.replacement + last.slice(end.column - 1);
}

/** Markdown code span that survives backticks and pipes inside a table cell, at most `max` characters of text. */
function codeCell(text, max = 70) {
  let s = String(text ?? '').replace(/\s+/gu, ' ').trim();
  if (s.length > max) s = s.slice(0, max - 1) + '…';
  const runs = s.match(/`+/gu) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return fence + pad + s.replace(/\|/gu, '\\|') + pad + fence;
}
const textCell = (s) => String(s).replace(/\s+/gu, ' ').trim().replace(/\|/gu, '\\|');

/** Mutators named by a "Stryker disable next-line" comment on the line above (the report may predate it). */
function markedAbove(lines, lineNo, mutator) {
  const above = lines[lineNo - 2] ?? '';
  const d = /Stryker\s+disable\s+next-line\s+([\w,\s]+?)(?::|$)/u.exec(above);
  if (!d) return false;
  const names = d[1].split(/[\s,]+/u).filter(Boolean);
  return names.includes(mutator) || names.includes('all');
}

const rows = [];
const unmatched = [];
const stats = new Map(); // file -> { alive, matched, unmatched, loose }
const stat = (f) => {
  if (!stats.has(f)) stats.set(f, { alive: 0, matched: 0, unmatched: 0, loose: 0 });
  return stats.get(f);
};

for (const file of Object.keys(report.files).sort()) {
  const f = report.files[file];
  const lines = (f.source ?? '').split(/\r?\n/u);
  const alive = f.mutants
    .filter((m) => ALIVE.has(m.status))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of alive) {
    const st = stat(file);
    st.alive++;
    const place = `${file}:${m.location.start.line}:${m.location.start.column}`;
    const line = norm(lines[m.location.start.line - 1]);
    const cands = (byKey.get(keyOf(file, m.mutatorName, line)) ?? []).filter(
      (e) => e.replacement == null || e.replacement === m.replacement,
    );
    const mutated = norm(spliced(lines, m));
    let chosen = cands.filter((e) => e.mutated != null && norm(e.mutated) === mutated);
    // Entries written against this very report carry its place: that decides between identical lines.
    if (chosen.length === 0) chosen = cands.filter((e) => e.mutated == null && e.oldPlace === `${m.location.start.line}:${m.location.start.column}`);
    let loose = false;
    let note;
    if (chosen.length === 0 && cands.length > 0) {
      // No entry has this exact mutated line (a stale column, or another mutant on the same line).
      const siblings = f.mutants.filter(
        (o) => o.mutatorName === m.mutatorName && o.replacement === m.replacement && norm(lines[o.location.start.line - 1]) === line,
      );
      const reasons = new Set(cands.map((e) => `${e.kind}\u0000${e.reason}`));
      if (siblings.length === 1 && reasons.size === 1) {
        chosen = cands;
        loose = true;
      } else {
        note = `ambiguous: ${siblings.length} mutants in this file have this line, mutator and replacement, and the mutated line fits none of the reasons (old places ${cands.map((e) => e.oldPlace).join(', ')})`;
      }
    }
    let usable = chosen.filter((e) => e.kind !== 'fixed-bug');
    if (usable.length === 0) usable = cands.filter((e) => e.kind !== 'fixed-bug' && e.mutated == null && e.oldPlace === `${m.location.start.line}:${m.location.start.column}`);
    if (usable.length === 0 && markedAbove(lines, m.location.start.line, m.mutatorName)) {
      usable = [{ reason: 'Marked equivalent by the "Stryker disable" comment above it, with its reason; this run reused a result from before the comment.' }];
    }
    if (usable.length > 0) {
      st.matched++;
      if (loose) st.loose++;
      rows.push(`| ${place} | ${m.mutatorName} | ${codeCell(m.replacement)} | ${textCell(usable[0].reason)} |`);
      continue;
    }
    st.unmatched++;
    if (chosen.length > 0) {
      note = `matches only a fixed-bug entry (old place ${chosen.map((e) => e.oldPlace).join(', ')}): this mutant should now be killed`;
    } else if (!note && markedAbove(lines, m.location.start.line, m.mutatorName)) {
      note = 'marked in the source with a "Stryker disable next-line" comment; the report did not apply it (older or reused result)';
    }
    unmatched.push({ file, text: `- ${place} ${m.mutatorName} ${codeCell(m.replacement)} (${m.status})${note ? `: ${note}` : ''}` });
  }
}

console.log('| Place | Mutator | Becomes | Why it survives |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log();
console.log('## UNMATCHED');
console.log();
let lastFile;
for (const u of unmatched) {
  if (u.file !== lastFile) {
    if (lastFile !== undefined) console.log();
    console.log(`### ${u.file} (${stat(u.file).unmatched})`);
    console.log();
    lastFile = u.file;
  }
  console.log(u.text);
}
if (unmatched.length === 0) console.log('(none)');

let total = { alive: 0, matched: 0, unmatched: 0, loose: 0 };
console.error(`report: ${reportPath}`);
for (const [file, s] of [...stats].sort(([a], [b]) => a.localeCompare(b))) {
  if (s.alive === 0) continue;
  console.error(`${file}: ${s.alive} alive, ${s.matched} matched${s.loose ? ` (${s.loose} without the mutated-line check)` : ''}, ${s.unmatched} unmatched`);
  total = { alive: total.alive + s.alive, matched: total.matched + s.matched, unmatched: total.unmatched + s.unmatched, loose: total.loose + s.loose };
}
console.error(`all: ${total.alive} alive, ${total.matched} matched (${total.loose} without the mutated-line check), ${total.unmatched} unmatched`);
