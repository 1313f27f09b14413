// Loads the bundled name lists (data/names/*.tsv) once per process.
import fs from 'node:fs';
import { parseNameList, WeightedPool, type NamePools } from '../core/pseudonym-gen.js';

const DIR = new URL('../../data/names/', import.meta.url);
let pools: NamePools | undefined;

export function loadNamePools(): NamePools {
  pools ??= {
    firstNames: new WeightedPool(parseNameList(fs.readFileSync(new URL('first-names.tsv', DIR), 'utf8'), 2)),
    surnames: new WeightedPool(parseNameList(fs.readFileSync(new URL('surnames.tsv', DIR), 'utf8'), 1)),
  };
  return pools;
}
