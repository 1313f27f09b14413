// What a keyslot seals from format 2 on (issue #9): the user's own private
// keys and the organisation's public signing key, the anchor every user
// record and grant is checked against. Compartment keys are no longer in the
// keyslot: they arrive as grants sealed to the user's public key, so an
// administrator can give or take them without knowing the user's passphrase.
// Format 1 (a Keyring) is what keyslots made before users and roles hold.
import { IntegrityError } from '../errors.js';
import type { UserSecretKeys } from './user-keys.js';
import { wipe } from './sodium.js';

export const USER_SECRETS_VERSION = 2;
const KEY = 32;
const LENGTH = 1 + 3 * KEY;

export interface UserSecrets {
  keys: UserSecretKeys;
  /** Ed25519 public key of the organisation: the trust anchor. */
  orgSign: Uint8Array;
}

export function encodeUserSecrets(s: UserSecrets): Uint8Array {
  const out = new Uint8Array(LENGTH);
  out[0] = USER_SECRETS_VERSION;
  out.set(s.keys.box, 1);
  out.set(s.keys.sign, 1 + KEY);
  out.set(s.orgSign, 1 + 2 * KEY);
  return out;
}

export function decodeUserSecrets(bytes: Uint8Array): UserSecrets {
  if (bytes.length !== LENGTH || bytes[0] !== USER_SECRETS_VERSION) throw new IntegrityError('keyslot has an unknown layout');
  return {
    keys: { box: bytes.slice(1, 1 + KEY), sign: bytes.slice(1 + KEY, 1 + 2 * KEY) },
    orgSign: bytes.slice(1 + 2 * KEY, LENGTH),
  };
}

export function wipeUserSecrets(s: UserSecrets): void {
  wipe(s.keys.box, s.keys.sign);
}
