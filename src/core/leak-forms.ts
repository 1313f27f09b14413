// Every spelling of a real identity the scanner should catch, as token
// sequences (see leak-tokens.ts) with a kind and a confidence. Pure: the vault
// hashes these with the leak-scan key; plaintext forms never reach the file.
import { canonicalEmail, canonicalEmployeeNo, canonicalPhone, deriveInitials, type WorkerRecord } from './worker-fields.js';
import { tokenize as tokenizeRaw } from './leak-tokens.js';
import { seen } from './visual-text.js';

/**
 * The version of the forms below. An index built from an older version misses
 * spellings a newer scanner looks for; the vault rebuilds it when this grows.
 * 2: names are read as seen (visual-text.ts), and glued full names
 * ("janineverbeek", "#JanineVerbeek") are forms of their own.
 */
export const LEAK_FORMS_VERSION = 2;

/** A name's tokens as the scanner sees text: a look-alike letter in the vault means the same letter. */
const tokenize = (text: string) => tokenizeRaw(seen(text));

/**
 * A glued full name this long or longer is high confidence; shorter ones
 * ("jansmit", "wimpel") are too often a word or handle of someone else.
 */
export const GLUED_HIGH_LENGTH = 9;

/** `hidden-characters`: bidi controls, tag or zero-width characters in the text (found by the scanner, not an index form). */
export type FindingKind = 'full-name' | 'initials-name' | 'surname' | 'first-name' | 'email' | 'phone' | 'employee-no' | 'pseudonym-retired' | 'hidden-characters';
export type Confidence = 'high' | 'low';

export interface LeakForm {
  kind: FindingKind;
  confidence: Confidence;
  /** Normalised tokens; for e-mail, phone and personnel number a single canonical value. */
  tokens: string[];
  /** Surname first ("De Vries, Jan", "Berg, P.J."): only counts with a comma after the surname. */
  reversed?: boolean;
}

/** Titles before a surname that make a lone surname a high-confidence finding. */
export const TITLES = new Set(['mevrouw', 'mevr', 'mw', 'mej', 'juffrouw', 'meneer', 'heer', 'dhr', 'mr', 'dr', 'drs', 'ir', 'ing', 'prof', 'mrs', 'ms', 'miss']);

const RANK: Record<Confidence, number> = { high: 2, low: 1 };

class FormSet {
  private readonly forms = new Map<string, LeakForm>();

  add(kind: FindingKind, confidence: Confidence, tokens: string[], reversed = false): void {
    if (tokens.length === 0 || tokens.some((t) => t === '')) return;
    const key = `${kind === 'email' || kind === 'phone' || kind === 'employee-no' ? kind : ''}\u001f${tokens.join(' ')}`;
    const prev = this.forms.get(key);
    if (!prev || RANK[confidence] > RANK[prev.confidence]) this.forms.set(key, { kind, confidence, tokens, ...(reversed ? { reversed } : {}) });
  }

  list(): LeakForm[] {
    return [...this.forms.values()];
  }
}

function initialsTokens(initials: string, firstName: string): string[] {
  // Raw: seen text would close up initials written with spaces ("P J K") into one word.
  const fromInitials = tokenizeRaw(initials);
  return fromInitials.length > 0 ? fromInitials : tokenize(deriveInitials(firstName));
}

/** The forms of one worker's identity. */
export function workerForms(w: WorkerRecord): LeakForm[] {
  const set = new FormSet();
  const F = tokenize(w.first_name);
  const P = tokenize(w.prefix);
  const S = tokenize(w.last_name);
  const I = initialsTokens(w.initials, w.first_name);
  const firsts = [F, [F[0]!]];
  if (F.length > 1) firsts.push([F.join('')]); // "Anne-Marie" written "Annemarie"
  // "van der" is often abbreviated: "v.d. Berg", "vd Berg".
  const prefixes = [P];
  if (P.length === 2 && P[0] === 'van' && ['der', 'den', 'de'].includes(P[1]!)) prefixes.push(['v', 'd'], ['vd']);
  const surnames = P.length > 0 ? [...prefixes.map((p) => [...p, ...S]), S] : [S];

  for (const f of firsts) {
    for (const s of surnames) {
      set.add('full-name', 'high', [...f, ...s]);
      set.add('full-name', 'high', [...s, ...f], true); // "De Vries, Jan"
    }
    if (P.length > 0) set.add('full-name', 'high', [...S, ...f, ...P], true); // "Vries, Jan de"
  }
  // "P.J.", "P.", and initials written without dots ("PJ").
  const inits = I.length > 1 ? [I, [I[0]!], [I.join('')]] : [I];
  for (const i of inits) {
    for (const s of surnames) {
      set.add('initials-name', 'high', [...i, ...s]); // "P.J. van der Berg", "J.de Vries"
      set.add('initials-name', 'high', [...s, ...i], true); // "Van der Berg, P.J."
    }
    if (P.length > 0) set.add('initials-name', 'high', [...S, ...i, ...P], true); // "Berg, P.J. van der"
  }
  // Written as one word, as in a hashtag, handle or user name: "JanineVerbeek",
  // "#janinevanderberg", "pieterjanvanderberg". First name(s) and surname only:
  // initials glued to a surname ("jvdberg") read as too many other things.
  for (const f of F.length > 1 ? [F, [F[0]!]] : [F]) {
    for (const s of P.length > 0 ? [[...P, ...S], S] : [S]) {
      const glued = [...f, ...s].join('');
      set.add('full-name', glued.length >= GLUED_HIGH_LENGTH ? 'high' : 'low', [glued]);
    }
  }
  for (const s of surnames) set.add('surname', 'low', s);
  if (S.length > 1) for (const part of S) set.add('surname', 'low', [part]); // "Jansen-Smit": "Jansen"
  for (const f of firsts) set.add('first-name', 'low', f);

  if (w.email) set.add('email', 'high', [canonicalEmail(w.email)]);
  if (w.phone) set.add('phone', 'high', [canonicalPhone(w.phone)]);
  if (w.employee_no) set.add('employee-no', 'high', [canonicalEmployeeNo(w.employee_no)]);
  return set.list();
}

/** The forms of a retired or compromised pseudonym: its name and formal form. */
export function pseudonymForms(name: string, formal: string): LeakForm[] {
  const set = new FormSet();
  set.add('pseudonym-retired', 'high', tokenize(name));
  set.add('pseudonym-retired', 'high', tokenize(formal));
  // "#MaysaMertens": glued, like a worker's full name (only when long enough to be unambiguous).
  const glued = tokenize(name).join('');
  if (glued.length >= GLUED_HIGH_LENGTH) set.add('pseudonym-retired', 'high', [glued]);
  return set.list();
}
