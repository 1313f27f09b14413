#!/usr/bin/env node
// Lists what the last `npm run mutate` left alive, for docs/testing.md: the
// score per file and every surviving or uncovered mutant with its place, so
// each one is either killed by a new test or explained there as equivalent.
//   node scripts/mutation-survivors.mjs [report.json]          tables to paste
//   node scripts/mutation-survivors.mjs --check docs/testing.md  exit 1 when a
//     survivor is not in that file's table of equivalent mutants (matched on
//     "file:line:col" and mutator), so the list cannot silently fall behind
import fs from 'node:fs';

const args = process.argv.slice(2);
const checkAt = args.indexOf('--check');
const checkFile = checkAt >= 0 ? args.splice(checkAt, 2)[1] : undefined;
const file = args[0] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
// ignoreStatic reports module-level mutants as Ignored with this reason; the
// others were switched off in the source by a "Stryker disable" comment.
const isStatic = (m) => /static/iu.test(m.statusReason ?? '');

const rows = [];
const alive = [];
for (const [name, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const r = { name, detected: 0, undetected: 0, marked: 0, static: 0 };
  for (const m of f.mutants) {
    if (DETECTED.has(m.status)) r.detected++;
    else if (UNDETECTED.has(m.status)) {
      r.undetected++;
      alive.push({ name, m });
    } else if (m.status === 'Ignored') r[isStatic(m) ? 'static' : 'marked']++;
  }
  rows.push(r);
}

if (checkFile !== undefined) {
  const doc = fs.readFileSync(checkFile, 'utf8');
  const listed = new Set();
  for (const [, place, mutator] of doc.matchAll(/^\|\s*`?(src\/[\w./-]+:\d+:\d+)`?\s*\|\s*(\w+)\s*\|/gmu)) listed.add(`${place} ${mutator}`);
  const missing = alive.filter(({ name, m }) => !listed.has(`${name}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`));
  const current = new Set(alive.map(({ name, m }) => `${name}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`));
  const stale = [...listed].filter((k) => !current.has(k));
  for (const { name, m } of missing) console.log(`not explained: ${name}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} (${m.status})`);
  for (const k of stale) console.log(`listed but not a survivor of this run: ${k}`);
  console.log(`${alive.length} survivors, ${alive.length - missing.length} explained in ${checkFile}, ${missing.length} not, ${stale.length} stale entries`);
  process.exit(missing.length === 0 && stale.length === 0 ? 0 : 1);
}

const pct = (d, u) => (d + u === 0 ? 'n/a' : `${((100 * d) / (d + u)).toFixed(2)} %`);
const total = rows.reduce((t, r) => ({ detected: t.detected + r.detected, undetected: t.undetected + r.undetected, marked: t.marked + r.marked, static: t.static + r.static }), { detected: 0, undetected: 0, marked: 0, static: 0 });
console.log('| File | Detected | Survived | Marked equivalent | Static (not run) | Score |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| \`${r.name}\` | ${r.detected} | ${r.undetected} | ${r.marked} | ${r.static} | ${pct(r.detected, r.undetected)} |`);
console.log(`| **all** | ${total.detected} | ${total.undetected} | ${total.marked} | ${total.static} | **${pct(total.detected, total.undetected)}** |`);
console.log();
console.log('| Place | Mutator | Becomes | Status |');
console.log('| --- | --- | --- | --- |');
const cell = (s) => '`' + s.replace(/\s+/gu, ' ').replace(/\|/gu, '\\|').replace(/`/gu, "'").slice(0, 70) + '`';
for (const { name, m } of alive) {
  console.log(`| ${name}:${m.location.start.line}:${m.location.start.column} | ${m.mutatorName} | ${cell(m.replacement ?? '')} | ${m.status} |`);
}
