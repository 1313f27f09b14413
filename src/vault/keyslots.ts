// A keyslot seals a role's keyring under a key derived from one user's
// passphrase. Changing a passphrase reseals the keyslot; data is untouched.
import { associatedData, AuthenticationFailure, open, seal } from '../crypto/aead.js';
import { decodeKdfParams, deriveKek, encodeKdfParams, newKdfParams, type KdfProfile } from '../crypto/kdf.js';
import { Keyring } from '../crypto/keyring.js';
import type { RandomSource } from '../crypto/random.js';
import { wipe } from '../crypto/sodium.js';
import { AccessError } from '../errors.js';
import type { KeyslotRow } from '../store/store.js';
import { CRYPTO_FORMAT } from './deps.js';

function keyslotAd(vaultId: string, slot: Pick<KeyslotRow, 'id' | 'user' | 'role'>): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'keyslots', 'wrapped', slot.id, vaultId, slot.user, slot.role);
}

export function sealKeyslot(
  vaultId: string,
  slot: Pick<KeyslotRow, 'id' | 'user' | 'role'>,
  keyring: Keyring,
  passphrase: Uint8Array,
  profile: KdfProfile,
  random: RandomSource,
  atLeast?: { opslimit: number; memlimit: number },
): { kdf: string; wrapped: Uint8Array } {
  const params = newKdfParams(profile, random, atLeast);
  const kek = deriveKek(passphrase, params);
  const encoded = keyring.encode();
  try {
    return { kdf: encodeKdfParams(params), wrapped: seal(kek, encoded, keyslotAd(vaultId, slot), random) };
  } finally {
    wipe(kek, encoded);
  }
}

/** Opens a keyslot; a wrong passphrase and a tampered keyslot are indistinguishable by design. */
export function openKeyslot(vaultId: string, slot: KeyslotRow, passphrase: Uint8Array): Keyring {
  const params = decodeKdfParams(slot.kdf, `keyslot of user "${slot.user}"`);
  const kek = deriveKek(passphrase, params);
  let encoded: Uint8Array | undefined;
  try {
    encoded = open(kek, slot.wrapped, keyslotAd(vaultId, slot));
    return Keyring.decode(encoded);
  } catch (e) {
    if (e instanceof AuthenticationFailure) {
      throw new AccessError('wrong passphrase', `the passphrase did not open the keyslot of user "${slot.user}"`);
    }
    throw e;
  } finally {
    wipe(kek, encoded);
  }
}
