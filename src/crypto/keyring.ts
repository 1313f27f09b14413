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

/** The compartment of a stored id; throws for an id this version does not know. */
export function compartmentOf(id: number): Compartment {
  const c = COMPARTMENT_BY_ID.get(id);
  if (!c) throw new IntegrityError(`unknown key compartment ${id}`);
  return c;
}

const KEY_BYTES = 32;
const KEYRING_VERSION = 1;
/** Format 2 also carries each key's epoch and the retired keys a user still holds (see below). */
const KEYRING_VERSION_EPOCHS = 2;
const ENTRY_V2 = 1 + 2 + 1 + KEY_BYTES;

export class Keyring {
  private readonly keys = new Map<Compartment, Uint8Array>();
  /** The epoch of each current key; 1 when never rotated. */
  private readonly epochs = new Map<Compartment, number>();
  /**
   * Keys of earlier epochs that stay needed after a rotation: audit entries
   * are never rewritten, so their MACs (and sealed reasons) keep the key of
   * the epoch they were written in.
   */
  private readonly retired = new Map<string, Uint8Array>();

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

  /** Sets the epoch of a current key (copied in with `of`). */
  setEpoch(c: Compartment, epoch: number): void {
    if (!this.keys.has(c)) throw new Error(`no ${c} key to set the epoch of`);
    this.epochs.set(c, epoch);
  }

  epochOf(c: Compartment): number {
    return this.epochs.get(c) ?? 1;
  }

  /** Adds (a copy of) a key of an earlier epoch. */
  addRetired(c: Compartment, epoch: number, key: Uint8Array): void {
    this.retired.set(`${c}:${epoch}`, new Uint8Array(key));
  }

  /** The key of a compartment as it was in `epoch`: the current key or a retired one; undefined when not held. */
  keyAt(c: Compartment, epoch: number): Uint8Array | undefined {
    if (this.keys.has(c) && this.epochOf(c) === epoch) return this.keys.get(c);
    return this.retired.get(`${c}:${epoch}`);
  }

  /** The retired keys held: compartment, epoch, key (not copies). */
  retiredKeys(): [Compartment, number, Uint8Array][] {
    return [...this.retired].map(([name, k]) => {
      const [c, e] = name.split(':') as [Compartment, string];
      return [c, Number(e), k];
    });
  }

  /** Every key of a compartment this keyring holds, current first, then retired ones newest first. */
  allKeysOf(c: Compartment): Uint8Array[] {
    const cur = this.keys.get(c);
    const older = [...this.retired]
      .filter(([k]) => k.startsWith(`${c}:`))
      .sort(([a], [b]) => Number(b.split(':')[1]) - Number(a.split(':')[1]))
      .map(([, k]) => k);
    return cur ? [cur, ...older] : older;
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
      const e = this.epochs.get(c);
      if (e !== undefined && k) ring.epochs.set(c, e);
      for (const [name, old] of this.retired) if (name.startsWith(`${c}:`)) ring.retired.set(name, new Uint8Array(old));
    }
    return ring;
  }

  /** Format 1 while every key is of epoch 1 and none is retired (as keyslots before users and roles hold), else format 2. */
  encode(): Uint8Array {
    if (this.retired.size === 0 && [...this.epochs.values()].every((e) => e === 1)) {
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
    // compartment, epoch (16 bits), 1 for current or 0 for retired, key
    const entries: [number, number, number, Uint8Array][] = [
      ...[...this.keys].map(([c, k]): [number, number, number, Uint8Array] => [COMPARTMENTS[c], this.epochOf(c), 1, k]),
      ...[...this.retired].map(([name, k]): [number, number, number, Uint8Array] => {
        const [c, e] = name.split(':') as [Compartment, string];
        return [COMPARTMENTS[c], Number(e), 0, k];
      }),
    ];
    const out = new Uint8Array(2 + entries.length * ENTRY_V2);
    out[0] = KEYRING_VERSION_EPOCHS;
    out[1] = entries.length;
    entries.forEach(([c, e, current, k], i) => {
      const at = 2 + i * ENTRY_V2;
      out[at] = c;
      out[at + 1] = e >> 8;
      out[at + 2] = e & 0xff;
      out[at + 3] = current;
      out.set(k, at + 4);
    });
    return out;
  }

  /** How many bytes the keyring at the start of `bytes` takes (its header says), for a keyring followed by other data. */
  static encodedLength(bytes: Uint8Array): number {
    if (bytes.length < 2) return bytes.length;
    return 2 + bytes[1]! * (bytes[0] === KEYRING_VERSION_EPOCHS ? ENTRY_V2 : 1 + KEY_BYTES);
  }

  static decode(bytes: Uint8Array): Keyring {
    const bad = () => new IntegrityError('keyring has an unknown layout');
    if (bytes.length >= 2 && bytes[0] === KEYRING_VERSION_EPOCHS) {
      const n = bytes[1]!;
      // encode() writes format 2 only for a keyring with a key of a later epoch or a retired key.
      if (n === 0 || bytes.length !== 2 + n * ENTRY_V2) throw bad();
      const ring = new Keyring();
      for (let i = 0; i < n; i++) {
        const at = 2 + i * ENTRY_V2;
        const c = COMPARTMENT_BY_ID.get(bytes[at]!);
        const epoch = (bytes[at + 1]! << 8) | bytes[at + 2]!;
        const flag = bytes[at + 3]!;
        if (!c || epoch === 0 || flag > 1 || (flag === 1 && ring.keys.has(c))) throw bad();
        const key = bytes.slice(at + 4, at + 4 + KEY_BYTES);
        if (flag === 1) {
          ring.keys.set(c, key);
          ring.epochs.set(c, epoch);
        } else ring.retired.set(`${c}:${epoch}`, key);
      }
      return ring;
    }
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

  /**
   * Takes over the keys of `other` (copies), wiping its own: a context that
   * just replaced the vault's keys goes on with the new ones, never writing
   * under a key that was retired.
   */
  adopt(other: Keyring): void {
    this.destroy();
    for (const [c, k] of other.keys) this.keys.set(c, new Uint8Array(k));
    for (const [c, e] of other.epochs) this.epochs.set(c, e);
    for (const [n, k] of other.retired) this.retired.set(n, new Uint8Array(k));
  }

  destroy(): void {
    for (const k of this.keys.values()) wipe(k);
    for (const k of this.retired.values()) wipe(k);
    this.keys.clear();
    this.retired.clear();
    this.epochs.clear();
  }
}
