#!/usr/bin/env node
// Lists what the last `npm run mutate` left alive, for docs/testing.md: the
// score per file and every surviving or uncovered mutant with its place, so
// each one is either killed by a new test or explained there as equivalent.
// Usage: node scripts/mutation-survivors.mjs [reports/mutation/mutation.json]
import fs from 'node:fs';

const file = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const rows = [];
const alive = [];
for (const [name, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  let detected = 0;
  let undetected = 0;
  let ignored = 0;
  for (const m of f.mutants) {
    if (DETECTED.has(m.status)) detected++;
    else if (UNDETECTED.has(m.status)) {
      undetected++;
      const line = f.source.split('\n')[m.location.start.line - 1] ?? '';
      alive.push({ name, m, original: line.trim() });
    } else if (m.status === 'Ignored') ignored++;
  }
  rows.push({ name, detected, undetected, ignored });
}

const pct = (d, u) => (d + u === 0 ? 'n/a' : `${((100 * d) / (d + u)).toFixed(2)} %`);
const total = rows.reduce((t, r) => ({ detected: t.detected + r.detected, undetected: t.undetected + r.undetected, ignored: t.ignored + r.ignored }), { detected: 0, undetected: 0, ignored: 0 });
console.log('| File | Detected | Survived | Ignored | Score |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| \`${r.name}\` | ${r.detected} | ${r.undetected} | ${r.ignored} | ${pct(r.detected, r.undetected)} |`);
console.log(`| **all** | ${total.detected} | ${total.undetected} | ${total.ignored} | **${pct(total.detected, total.undetected)}** |`);
console.log();
console.log('| Place | Mutator | Becomes | Status |');
console.log('| --- | --- | --- | --- |');
const cell = (s) => '`' + s.replace(/\s+/gu, ' ').replace(/\|/gu, '\\|').replace(/`/gu, "'").slice(0, 70) + '`';
for (const { name, m } of alive) {
  console.log(`| ${name}:${m.location.start.line}:${m.location.start.column} | ${m.mutatorName} | ${cell(m.replacement ?? '')} | ${m.status} |`);
}
