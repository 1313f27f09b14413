// A keyslot seals a role's keyring under a key derived from one user's
// passphrase. Changing a passphrase reseals the keyslot; data is untouched.
import { associatedData, AuthenticationFailure, open, seal } from '../crypto/aead.js';
import { decodeKdfParams, deriveKek, encodeKdfParams, newKdfParams, type KdfProfile } from '../crypto/kdf.js';
import { Keyring } from '../crypto/keyring.js';
import { decodeUserSecrets, encodeUserSecrets, USER_SECRETS_VERSION, type UserSecrets } from '../crypto/user-secrets.js';
import type { RandomSource } from '../crypto/random.js';
import { wipe } from '../crypto/sodium.js';
import { AccessError } from '../errors.js';
import type { KeyslotRow } from '../store/store.js';
import { CRYPTO_FORMAT } from './deps.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The same passphrase can arrive as different bytes: "é" typed at a prompt is
 * one code point (NFC), while a file saved on macOS may hold "e" + U+0301
 * (NFD). New keyslots are sealed under the NFC form, so both open them.
 * Keyslots sealed before this rule were sealed under the bytes as given, so
 * opening tries the NFC form first and then those bytes: an old vault keeps
 * opening exactly as before (a wrong passphrase that is not in NFC costs a
 * second key derivation).
 */
export function passphraseForms(passphrase: Uint8Array): Uint8Array[] {
  let text: string;
  try {
    text = strictUtf8.decode(passphrase);
  } catch {
    return [passphrase];
  }
  const nfc = text.normalize('NFC');
  if (nfc === text) return [passphrase];
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from treats an empty encoding name as utf8
  return [Buffer.from(nfc, 'utf8'), passphrase];
}

function keyslotAd(vaultId: string, slot: Pick<KeyslotRow, 'id' | 'user' | 'role'>): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'keyslots', 'wrapped', slot.id, vaultId, slot.user, slot.role);
}

/**
 * What a keyslot holds: the user's own private keys and the organisation key
 * (format 2, since users and roles), or the role's keyring itself (format 1,
 * a keyslot made before; replaced at its first unlock).
 */
export type KeyslotPayload = { secrets: UserSecrets } | { keyring: Keyring };

export function sealKeyslot(
  vaultId: string,
  slot: Pick<KeyslotRow, 'id' | 'user' | 'role'>,
  payload: KeyslotPayload,
  passphrase: Uint8Array,
  profile: KdfProfile,
  random: RandomSource,
  atLeast?: { opslimit: number; memlimit: number },
): { kdf: string; wrapped: Uint8Array } {
  const params = newKdfParams(profile, random, atLeast);
  const forms = passphraseForms(passphrase);
  const kek = deriveKek(forms[0]!, params);
  if (forms.length > 1) wipe(forms[0]!);
  const encoded = 'secrets' in payload ? encodeUserSecrets(payload.secrets) : payload.keyring.encode();
  try {
    return { kdf: encodeKdfParams(params), wrapped: seal(kek, encoded, keyslotAd(vaultId, slot), random) };
  } finally {
    wipe(kek, encoded);
  }
}

/**
 * Opens a keyslot; a wrong passphrase and a tampered keyslot are
 * indistinguishable by design. `legacy` is true when only the bytes as given
 * (not their NFC form) opened it: a keyslot sealed before NFC normalisation.
 */
export function openKeyslot(vaultId: string, slot: KeyslotRow, passphrase: Uint8Array): { payload: KeyslotPayload; legacy: boolean } {
  const params = decodeKdfParams(slot.kdf, `keyslot of user "${slot.user}"`);
  const forms = passphraseForms(passphrase);
  try {
    for (const [i, form] of forms.entries()) {
      const kek = deriveKek(form, params);
      let encoded: Uint8Array | undefined;
      try {
        encoded = open(kek, slot.wrapped, keyslotAd(vaultId, slot));
        const payload = encoded[0] === USER_SECRETS_VERSION ? { secrets: decodeUserSecrets(encoded) } : { keyring: Keyring.decode(encoded) };
        return { payload, legacy: i > 0 };
      } catch (e) {
        if (!(e instanceof AuthenticationFailure)) throw e;
      } finally {
        wipe(kek, encoded);
      }
    }
  } finally {
    if (forms.length > 1) wipe(forms[0]!);
  }
  throw new AccessError('wrong passphrase', `the passphrase did not open the keyslot of user "${slot.user}"`);
}
