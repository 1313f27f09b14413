import type { Compartment, Keyring } from '../crypto/keyring.js';
import type { RandomSource } from '../crypto/random.js';
import { AccessError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Role } from './roles.js';

/** What every part of an unlocked vault shares. */
export class VaultContext {
  constructor(
    readonly store: Store,
    readonly keyring: Keyring,
    readonly vaultId: string,
    readonly user: string,
    readonly role: Role,
    private readonly clock: () => Date,
    readonly random: RandomSource,
  ) {}

  now(): string {
    return this.clock().toISOString();
  }

  date(): Date {
    return this.clock();
  }

  /** The key of a compartment, or "access denied" when this user's role does not hold it. */
  key(c: Compartment): Uint8Array {
    const k = this.keyring.get(c);
    if (!k) throw new AccessError(`the ${this.role} role cannot use ${c} data`);
    return k;
  }

  requireRight(c: Compartment, action: string): void {
    if (!this.keyring.has(c)) {
      throw new AccessError(`the ${this.role} role may not ${action}`, 'ask an administrator');
    }
  }
}
