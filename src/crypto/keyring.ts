// The vault's random compartment keys. A keyslot (or a session) wraps a
// keyring holding only the compartments its role needs, so a role's limits are
// enforced by which keys it holds, not by checks in code.
import { IntegrityError } from '../errors.js';
import type { RandomSource } from './random.js';
import { wipe } from './sodium.js';

export const COMPARTMENTS = {
  identity: 1, // wraps each worker's data key: real names, contact details
  casefacing: 2, // pseudonyms, cases, documents, teams
  blind: 3, // blind indexes for exact lookups (e-mail, personnel number)
  scan: 4, // leak-scan index: keyed hashes of name forms
  audit: 5, // audit-log MAC
  org: 6, // the organisation's Ed25519 seed: signs user records (administrators only)
} as const;

export type Compartment = keyof typeof COMPARTMENTS;
export const ALL_COMPARTMENTS = Object.keys(COMPARTMENTS) as Compartment[];
export const COMPARTMENT_BY_ID: ReadonlyMap<number, Compartment> = new Map<number, Compartment>(ALL_COMPARTMENTS.map((c) => [COMPARTMENTS[c], c]));

const KEY_BYTES = 32;
const KEYRING_VERSION = 1;

export class Keyring {
  private readonly keys = new Map<Compartment, Uint8Array>();

  static generate(random: RandomSource, compartments: readonly Compartment[] = ALL_COMPARTMENTS): Keyring {
    const ring = new Keyring();
    for (const c of compartments) ring.keys.set(c, random(KEY_BYTES));
    return ring;
  }

  /** A keyring of the given keys (copied), e.g. opened from a user's grants. */
  static of(entries: Iterable<[Compartment, Uint8Array]>): Keyring {
    const ring = new Keyring();
    for (const [c, k] of entries) ring.keys.set(c, new Uint8Array(k));
    return ring;
  }

  has(c: Compartment): boolean {
    return this.keys.has(c);
  }

  /** The key of a compartment; undefined when this keyring's role lacks it. */
  get(c: Compartment): Uint8Array | undefined {
    return this.keys.get(c);
  }

  compartments(): Compartment[] {
    return [...this.keys.keys()];
  }

  /** A keyring holding only the given compartments (for a less privileged role). */
  subset(compartments: readonly Compartment[]): Keyring {
    const ring = new Keyring();
    for (const c of compartments) {
      const k = this.keys.get(c);
      if (k) ring.keys.set(c, new Uint8Array(k));
    }
    return ring;
  }

  encode(): Uint8Array {
    const out = new Uint8Array(2 + this.keys.size * (1 + KEY_BYTES));
    out[0] = KEYRING_VERSION;
    out[1] = this.keys.size;
    let at = 2;
    for (const [c, k] of this.keys) {
      out[at] = COMPARTMENTS[c];
      out.set(k, at + 1);
      at += 1 + KEY_BYTES;
    }
    return out;
  }

  static decode(bytes: Uint8Array): Keyring {
    const bad = () => new IntegrityError('keyring has an unknown layout');
    // Stryker disable next-line ConditionalExpression: equivalent, a 0- or 1-byte keyring fails the version or length check that follows
    if (bytes.length < 2 || bytes[0] !== KEYRING_VERSION) throw bad();
    const n = bytes[1]!;
    if (bytes.length !== 2 + n * (1 + KEY_BYTES)) throw bad();
    const ring = new Keyring();
    for (let i = 0, at = 2; i < n; i++, at += 1 + KEY_BYTES) {
      const c = COMPARTMENT_BY_ID.get(bytes[at]!);
      if (!c) throw bad();
      ring.keys.set(c, bytes.slice(at + 1, at + 1 + KEY_BYTES));
    }
    return ring;
  }

  destroy(): void {
    for (const k of this.keys.values()) wipe(k);
    this.keys.clear();
  }
}
