// Normal forms of names for comparison. Pure.
import { fold } from './text.js';

/** Surname prefixes ("tussenvoegsels") that do not count when comparing surnames. */
export const SURNAME_PREFIXES = new Set([
  'van', 'de', 'den', 'der', 'het', 't', 'te', 'ter', 'ten', 'la', 'le', 'du', 'in', 'op', 'uit', 'aan', 'bij', 'onder', 'over', 'voor', 'vande', 'vanden', 'vander', 'von', 'zu', 'di', 'da', 'del', 'della', 'dos', 'el', 'al', 'mc', 'mac', 'o', 'd', 'l',
]);

/** Case, diacritics, apostrophes, hyphens, dots and spacing folded: "Van 't Hoogland" -> "van t hoogland". */
export function foldName(text: string): string {
  return fold(text)
    .replace(/[’'`´.\-\u2010-\u2015_/,]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Words of a surname without its prefix: "van der Berg" -> ["berg"], "Jansen-Smit" -> ["jansen", "smit"]. */
export function surnameCores(prefix: string, lastName: string): string[] {
  const words = foldName(`${prefix} ${lastName}`).split(' ').filter(Boolean);
  let i = 0;
  while (i < words.length - 1 && SURNAME_PREFIXES.has(words[i]!)) i++;
  const rest = words.slice(i);
  // A double surname counts as a whole and as each of its parts.
  // A surname that is itself a prefix-like word ("Le", "Van") keeps that word.
  const meaningful = rest.filter((w) => !SURNAME_PREFIXES.has(w));
  const parts = new Set(meaningful.length > 0 ? meaningful : rest);
  if (rest.length > 1) parts.add(rest.join(' '));
  return [...parts];
}

/**
 * A rough Dutch sound-alike key, so that spelling variants count as the same
 * surname: Jansen/Janssen, Smit/Smits, de Bruijn/de Bruyn, Mulder/Mulders.
 */
export function resemblanceKey(core: string): string {
  let k = foldName(core).replace(/\s+/gu, '');
  k = k
    .replace(/ij/gu, 'y')
    .replace(/ph/gu, 'f')
    .replace(/ck/gu, 'k')
    .replace(/c(?=[aoukr])/gu, 'k')
    .replace(/dt\b|d\b/gu, 't')
    .replace(/th/gu, 't')
    .replace(/z/gu, 's')
    .replace(/(.)\1+/gu, '$1');
  if (k.length > 3 && k.endsWith('s')) k = k.slice(0, -1);
  return k;
}

/** Resemblance keys of every core of a surname. */
export function surnameKeys(prefix: string, lastName: string): string[] {
  return [...new Set(surnameCores(prefix, lastName).map(resemblanceKey).filter((k) => k.length > 0))];
}
