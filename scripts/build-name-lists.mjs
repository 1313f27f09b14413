#!/usr/bin/env node
// Rebuilds data/names/*.tsv from two MIT-licensed npm packages (not project
// dependencies; fetch them with `npm pack` into a scratch folder):
//
//   npm pack @faker-js/faker@9.9.0 @zxcvbn-ts/language-nl-be@3.0.2
//   node scripts/build-name-lists.mjs <faker-package-dir> <zxcvbn-nl-be-package-dir>
//
// Sources:
// - faker-js nl locale (person.first_name, person.last_name): common names in
//   the Netherlands, no frequencies; given a flat weight.
// - @zxcvbn-ts/language-nl-be (lastnames, boysFirstnames, girlsFirstnames):
//   Statbel open data (Belgium, Dutch-speaking), ranked by frequency; weights
//   follow the rank (w = round(500 * 20 / (rank + 20))).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [fakerDir, zxDir] = process.argv.slice(2);
if (!fakerDir || !zxDir) {
  console.error('usage: build-name-lists.mjs <faker-dir> <zxcvbn-nl-be-dir>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { fakerNL, faker } = await import(path.resolve(fakerDir, 'dist/locale/nl.js'));
const person = (fakerNL ?? faker).rawDefinitions.person;
const zx = (f) => require(path.resolve(zxDir, 'src', f));

const PREFIX_WORDS = new Set(['van', 'de', 'den', 'der', 'het', "'t", 'te', 'ter', 'ten', 'la', 'le', 'du', 'in', 'op', 'uit', 'vande', 'vanden', 'vander']);
const cap = (w) => w.split('-').map((p) => (p.startsWith('ij') ? 'IJ' + p.slice(2) : p.charAt(0).toUpperCase() + p.slice(1))).join('-');
const zipf = (rank) => Math.max(1, Math.round((500 * 20) / (rank + 20)));

/** "van den broeck" -> "van den Broeck": prefixes lower case, surname capitalised (Dutch style after a first name). */
function surname(raw) {
  const words = raw.trim().toLowerCase().split(/\s+/);
  let i = 0;
  while (i < words.length - 1 && PREFIX_WORDS.has(words[i])) i++;
  return [...words.slice(0, i), ...words.slice(i).map(cap)].join(' ');
}

const ok = (n) => /^[\p{L}' -]+$/u.test(n) && n.replace(/[^\p{L}]/gu, '').length >= 3;

const surnames = new Map();
for (const n of person.last_name.generic) if (ok(n)) surnames.set(surname(n).toLowerCase(), [surname(n), 300, 'faker-nl']);
zx('lastnames.json')
  .slice(0, 2500)
  .forEach((n, rank) => {
    if (!ok(n) || n.includes("'")) return; // "d'hondt" and the like: capitalisation rules vary
    const s = surname(n);
    if (!surnames.has(s.toLowerCase())) surnames.set(s.toLowerCase(), [s, zipf(rank), 'statbel-via-zxcvbn-nl-be']);
  });

const first = new Map();
const addFirst = (n, gender, weight, source) => {
  if (!ok(n) || n.includes(' ')) return;
  const name = cap(n.toLowerCase());
  const key = name.toLowerCase();
  const prev = first.get(key);
  if (prev) {
    if (prev[1] !== gender) prev[1] = 'n';
    prev[2] = Math.max(prev[2], weight);
  } else first.set(key, [name, gender, weight, source]);
};
for (const n of person.first_name.female) addFirst(n, 'f', 100, 'faker-nl');
for (const n of person.first_name.male) addFirst(n, 'm', 100, 'faker-nl');
zx('girlsFirstnames.json').slice(0, 400).forEach((n, r) => addFirst(n, 'f', Math.round(zipf(r) / 2), 'statbel-via-zxcvbn-nl-be'));
zx('boysFirstnames.json').slice(0, 400).forEach((n, r) => addFirst(n, 'm', Math.round(zipf(r) / 2), 'statbel-via-zxcvbn-nl-be'));

const out = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'data', 'names');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'surnames.tsv'),
  '# surname\tweight\tsource (see data/names/README.md)\n' + [...surnames.values()].map((r) => r.join('\t')).join('\n') + '\n',
);
fs.writeFileSync(
  path.join(out, 'first-names.tsv'),
  '# first name\tgender (f, m, n = both)\tweight\tsource (see data/names/README.md)\n' + [...first.values()].map((r) => r.join('\t')).join('\n') + '\n',
);
console.log(`${surnames.size} surnames, ${first.size} first names -> ${out}`);
