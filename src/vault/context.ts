import { blindIndex, deriveSubkey } from '../crypto/blind-index.js';
import type { Compartment, Keyring } from '../crypto/keyring.js';
import type { RandomSource } from '../crypto/random.js';
import type { UserSecrets } from '../crypto/user-secrets.js';
import { AccessError, UsageError } from '../errors.js';
import { CaseStore } from '../store/casefacing.js';
import { DocumentStore } from '../store/documents.js';
import type { Store } from '../store/store.js';
import { RIGHTS, whoMay, type Action, type Right } from './rights.js';
import type { Role } from './roles.js';

/** What every part of an unlocked vault shares. */
export class VaultContext {
  readonly cases: CaseStore;
  readonly documents: DocumentStore;
  /** Things the user should know after the command (printed as warnings). */
  readonly notices: string[] = [];
  /**
   * Refuses to go on when any of these tables no longer matches the integrity
   * seal (exit 4). Set by the vault once it is unlocked; a no-op before.
   */
  requireIntact: (tables: readonly string[]) => void = () => {};
  /** The user's Ed25519 seed: audit entries are signed with it (undefined only while a vault from before users and roles is being migrated). */
  signSeed: Uint8Array | undefined;
  /** The organisation's public signing key from the user's own keyslot: what user records are checked against. */
  orgSign: Uint8Array | undefined;
  /** Everything the keyslot holds, when unlocked with the passphrase (not in a session): for passwd. */
  secrets: UserSecrets | undefined;
  /** The worker record this user is (a caseworker's own cases are this worker's); null when none is linked. */
  worker: string | null = null;
  /** When the session this command runs in ends (undefined when unlocked with the passphrase). */
  sessionExpires: Date | undefined;
  private lookupKey: Uint8Array | undefined;
  private guardKey: Uint8Array | undefined;

  constructor(
    readonly store: Store,
    readonly keyring: Keyring,
    readonly vaultId: string,
    readonly user: string,
    readonly role: Role,
    private readonly clock: () => Date,
    readonly random: RandomSource,
  ) {
    this.cases = new CaseStore(store);
    this.documents = new DocumentStore(store);
  }

  /** Keyed hash for finding a case-facing record (case reference, pseudonym, team) without storing it in plaintext. */
  lookup(domain: string, value: string): Uint8Array {
    this.lookupKey ??= deriveSubkey(this.key('casefacing'), 'lookup');
    return blindIndex(this.lookupKey, domain, value);
  }

  /** Keyed hash (leak-scan key) of a real worker's name form, for resemblance checks without plaintext. */
  guard(domain: string, value: string): Uint8Array {
    this.guardKey ??= deriveSubkey(this.key('scan'), 'name-guard');
    return blindIndex(this.guardKey, domain, value);
  }

  /** After the vault's keys were replaced under this context: subkeys derived from the old ones are forgotten. */
  forgetDerivedKeys(): void {
    this.lookupKey = undefined;
    this.guardKey = undefined;
  }

  now(): string {
    return this.clock().toISOString();
  }

  /** The key of a compartment, or "access denied" when this user's role does not hold it. */
  key(c: Compartment): Uint8Array {
    const k = this.keyring.get(c);
    if (!k) throw new AccessError(`the ${this.role} role cannot use ${c} data`);
    return k;
  }

  /**
   * Refuses (exit 3, naming the roles that may) unless this user's role may
   * do `action`. Where the action needs a key, the key is checked too: a
   * keyring that lacks it is refused whatever the role says.
   */
  require(action: Action): void {
    const right: Right = RIGHTS[action];
    if ((right.key && !this.keyring.has(right.key)) || !right.roles.includes(this.role)) {
      throw new AccessError(`the ${this.role} role may not ${right.what}`, `only ${whoMay(action)} may; ask someone with that role`);
    }
  }

  /** The worker a command is for: the one given, else this user's own worker record. */
  workerOrOwn(given: string | undefined): string {
    if (given) return given;
    if (this.worker !== null) return this.worker;
    throw new UsageError('missing --worker ID', 'only a user linked to a worker record ("schuilnaam user add NAME --worker W-…") may leave it out');
  }
}
