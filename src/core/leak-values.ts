// E-mail addresses and phone numbers in running text, in every notation, as
// canonical values to look up (the index holds their keyed hashes). Pure.
import { canonicalEmail, canonicalPhone } from './worker-fields.js';

export interface ValueCandidate {
  kind: 'email' | 'phone';
  value: string;
  start: number;
  end: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/gu;
// "06-41234567", "0641234567", "+31 6 4123 4567", "020-1234567", "+31 (0)20 …", "0031 …"
const PHONE = /(?<![\d+])(?:\+|00)?\d[\d \u00a0().\-/]{6,22}\d(?!\d)/gu;

export function findValues(text: string): ValueCandidate[] {
  const out: ValueCandidate[] = [];
  for (const m of text.matchAll(EMAIL)) {
    out.push({ kind: 'email', value: canonicalEmail(m[0]), start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(PHONE)) {
    const canonical = canonicalPhone(m[0]);
    const digits = canonical.replace(/^\+/u, '');
    if (digits.length >= 9 && digits.length <= 15 && /^\+?\d+$/u.test(canonical)) {
      out.push({ kind: 'phone', value: canonical, start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}
