// Pseudonym candidates: plausible Dutch names drawn by frequency, or officer-
// style codes with a check character. Pure: randomness and name lists are
// passed in; uniqueness and resemblance are checked by the caller.
import { isValidLuhnModN, luhnModN } from './check-char.js';
import { foldName, surnameKeys } from './name-forms.js';
import { deriveInitials } from './worker-fields.js';

export type PseudonymStyle = 'name' | 'code';
export const PSEUDONYM_STYLES: readonly PseudonymStyle[] = ['name', 'code'];

export interface Candidate {
  style: PseudonymStyle;
  name: string; // "Eva de Smet" / "JB-4821-K"
  formal: string; // "E. de Smet" / "JB-4821-K"
  /** Resemblance keys of the surname (empty for codes). */
  surnameKeys: string[];
}

export type Random = (bytes: number) => Uint8Array;

function uint32(random: Random): number {
  const b = random(4);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/** A list of names to draw from, weighted by frequency. */
export class WeightedPool {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(readonly entries: readonly { value: string; weight: number }[]) {
    if (entries.length === 0) throw new RangeError('empty name pool');
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach((e, i) => {
      sum += Math.max(0, e.weight);
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  draw(random: Random): string {
    const target = (uint32(random) / 0x1_0000_0000) * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.entries[lo]!.value;
  }
}

export interface NamePools {
  firstNames: WeightedPool;
  surnames: WeightedPool;
}

/** Parses a name list (tab-separated; `#` comments): name first, weight in column `weightColumn`. */
export function parseNameList(text: string, weightColumn: number): { value: string; weight: number }[] {
  const out: { value: string; weight: number }[] = [];
  for (const line of text.split(/\r?\n/u)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cols = line.split('\t');
    const value = (cols[0] ?? '').trim();
    const weight = Number(cols[weightColumn]);
    if (value === '' || !Number.isFinite(weight) || weight <= 0) continue;
    out.push({ value, weight });
  }
  return out;
}

/** Splits "van den Broeck" into prefix "van den" and last name "Broeck". */
function splitSurname(surname: string): { prefix: string; lastName: string } {
  const words = surname.split(' ');
  let i = 0;
  while (i < words.length - 1 && words[i] === words[i]!.toLowerCase()) i++;
  return { prefix: words.slice(0, i).join(' '), lastName: words.slice(i).join(' ') };
}

// Surname keys depend only on the surname: worked out once per pool entry.
const keysOfSurname = new Map<string, string[]>();

/** The surname keys of an issued name pseudonym, from its formal form ("E. de Vries": initials, a space, the surname). */
export function formalSurnameKeys(formal: string): string[] {
  const at = formal.indexOf(' ');
  return at === -1 ? [] : surnameKeysOf(formal.slice(at + 1));
}

function surnameKeysOf(surname: string): string[] {
  let keys = keysOfSurname.get(surname);
  if (!keys) {
    const { prefix, lastName } = splitSurname(surname);
    keys = surnameKeys(prefix, lastName);
    keysOfSurname.set(surname, keys);
  }
  return keys;
}

export function drawName(pools: NamePools, random: Random): Candidate {
  const first = pools.firstNames.draw(random);
  const surname = pools.surnames.draw(random);
  return {
    style: 'name',
    name: `${first} ${surname}`,
    formal: `${deriveInitials(first)} ${surname}`,
    surnameKeys: surnameKeysOf(surname),
  };
}

export const DEFAULT_CODE_PREFIX = 'JB';
export const DEFAULT_CODE_DIGITS = 4;

/** 1-4 capital letters other than I and O (they read as 1 and 0 next to digits). */
export function isValidCodePrefix(prefix: string): boolean {
  return /^[A-HJ-NP-Z]{1,4}$/u.test(prefix);
}

/** "JB-4821-K": team prefix, digits, and a Luhn mod 34 check character over prefix and digits. */
export function drawCode(prefix: string, digits: number, random: Random): Candidate {
  const n = uint32(random) % 10 ** digits;
  const number = String(n).padStart(digits, '0');
  const code = `${prefix}-${number}-${luhnModN(prefix + number)}`;
  return { style: 'code', name: code, formal: code, surnameKeys: [] };
}

/** True for a well-formed code whose check character matches (a mistyped code is caught). */
export function isValidCode(text: string): boolean {
  const m = /^([A-Z]{1,4})-?(\d{3,9})-?([0-9A-Z])$/u.exec(text.trim().toUpperCase());
  return m !== null && isValidLuhnModN(m[1]! + m[2]! + m[3]!);
}

export function looksLikeCode(text: string): boolean {
  return /^[A-Za-z]{1,4}-?\d{3,9}-?[0-9A-Za-z]$/u.test(text.trim());
}

/** The form under which pseudonyms are compared for uniqueness: "Éva  de Smet" = "eva de smet"; codes without dashes. */
export function pseudonymKey(text: string): string {
  return looksLikeCode(text) ? text.trim().toUpperCase().replace(/-/gu, '') : foldName(text);
}
