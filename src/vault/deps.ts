import type { KdfProfile } from '../crypto/kdf.js';
import type { RandomSource } from '../crypto/random.js';

/** What the vault service needs from the outside world, injected for repeatable tests. */
export interface VaultDeps {
  clock: () => Date;
  random: RandomSource;
  /** Cost of key derivation for keyslots created or rewrapped now. */
  kdfProfile: KdfProfile;
  busyTimeoutMs?: number;
}

export const CRYPTO_FORMAT = 1;
