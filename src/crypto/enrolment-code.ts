// One-time enrolment codes (issue #9). An administrator's `user add` draws a
// code and seals the new user's starting keys under a key derived from it;
// the new user's `user join` opens them with the code and then chooses their
// own passphrase, which the administrator never sees. 160 random bits need
// no slow key derivation: guessing is hopeless within the 72 hours a code is
// valid, unlike a passphrase.
import { base32, fromBase32, groupsOfFour } from './base32.js';
import type { RandomSource } from './random.js';
import { sodium } from './sodium.js';

const CODE_BYTES = 20;
const KEY_BYTES = 32;

/** A new code as people see it: 32 characters in groups of four. */
export function newEnrolmentCode(random: RandomSource): string {
  return groupsOfFour(base32(random(CODE_BYTES)));
}

/**
 * The code's bytes, from the code as typed or pasted: any case, with or
 * without dashes and spaces. Undefined when it is not a code.
 */
export function parseEnrolmentCode(text: string): Uint8Array | undefined {
  const compact = text.toLowerCase().replace(/[\s-]+/gu, '');
  if (compact.length !== 32) return undefined;
  return fromBase32(compact);
}

/**
 * Two keys from one code: `box` seals the new user's starting keys; `check`
 * is stored so a used or unknown code is told apart from a wrong one without
 * storing anything that opens the box.
 */
export function enrolmentKeys(code: Uint8Array): { box: Uint8Array; check: Uint8Array } {
  const s = sodium();
  const enc = new TextEncoder();
  return {
    box: s.crypto_generichash(KEY_BYTES, enc.encode('schuilnaam enrolment box'), code),
    check: s.crypto_generichash(KEY_BYTES, enc.encode('schuilnaam enrolment check'), code),
  };
}
