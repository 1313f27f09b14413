// What a user record and a grant say, as signed statements (issue #9). A
// client trusts a user's public keys only through a signature that chains
// to the organisation key in its own keyslot, and a compartment key only
// from a grant signed by an administrator, so someone who can write rows
// (a file copy, a database administrator) cannot slip in their own public
// key or a key of their choosing.
import { associatedData, AuthenticationFailure } from '../crypto/aead.js';
import { COMPARTMENTS, type Compartment } from '../crypto/keyring.js';
import { openSealed, sealTo, signDetached, verifyDetached, type UserKeys, type UserPublicKeys } from '../crypto/user-keys.js';
import { IntegrityError } from '../errors.js';
import { CRYPTO_FORMAT } from './deps.js';
import type { Role } from './roles.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export type UserStatus = 'active' | 'removed';

export interface UserRecord {
  name: string;
  role: Role;
  /** The worker record a caseworker is linked to. */
  worker: string | null;
  keys: UserPublicKeys;
  status: UserStatus;
  /** When the record last changed (joined, or removed). */
  changedAt: string;
}

/** The bytes a user record's signature covers: every field, and the vault. */
export function userRecordMessage(vaultId: string, r: UserRecord): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'user', vaultId, r.name, r.role, r.worker ?? '', b64(r.keys.box), b64(r.keys.sign), r.status, r.changedAt);
}

export function signUserRecord(vaultId: string, r: UserRecord, signerSeed: Uint8Array): Uint8Array {
  return signDetached(signerSeed, userRecordMessage(vaultId, r));
}

export function checkUserRecord(vaultId: string, r: UserRecord, sig: Uint8Array, signer: Uint8Array): void {
  if (!verifyDetached(signer, userRecordMessage(vaultId, r), sig)) {
    throw new IntegrityError(`the record of user "${r.name}" is not signed by the organisation key`, 'the users table was changed outside schuilnaam: restore the vault from a backup you trust');
  }
}

/**
 * What an administrator signs at `user add`: the one-use key that may sign
 * the new user's record at `user join`, and exactly what that record may say.
 */
export function enrolmentStatement(vaultId: string, user: string, role: Role, worker: string | null, enrolPk: Uint8Array, admin: string): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'enrolment', vaultId, user, role, worker ?? '', b64(enrolPk), admin);
}

export interface GrantHeader {
  user: string;
  compartment: Compartment;
  epoch: number;
  grantedBy: string;
}

/** Travels inside the sealed box: a box copied to another user, compartment or epoch is refused. */
function grantContext(vaultId: string, g: GrantHeader): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'grant', vaultId, g.user, COMPARTMENTS[g.compartment], g.epoch);
}

/** What the granting administrator signs: the grant, the keys it was sealed to, and the box itself. */
export function grantMessage(vaultId: string, g: GrantHeader, recipient: UserPublicKeys, sealed: Uint8Array): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'grant-signature', vaultId, g.user, b64(recipient.box), b64(recipient.sign), COMPARTMENTS[g.compartment], g.epoch, g.grantedBy, b64(sealed));
}

/** A compartment key sealed to a user's public key and signed by the granting administrator. */
export function makeGrant(vaultId: string, g: GrantHeader, recipient: UserPublicKeys, key: Uint8Array, granterSeed: Uint8Array): { sealed: Uint8Array; sig: Uint8Array } {
  const sealed = sealTo(recipient.box, key, grantContext(vaultId, g));
  return { sealed, sig: signDetached(granterSeed, grantMessage(vaultId, g, recipient, sealed)) };
}

/**
 * The key in a grant to `me`, after checking that `granter` signed it for
 * exactly these keys of mine. A grant that does not check is refused, never
 * used: it could hold a key an attacker chose.
 */
export function openGrant(vaultId: string, g: GrantHeader, sealed: Uint8Array, sig: Uint8Array, me: UserKeys, granter: Uint8Array): Uint8Array {
  const what = `the ${g.compartment} key granted to user "${g.user}"`;
  if (!verifyDetached(granter, grantMessage(vaultId, g, me.public, sealed), sig)) {
    throw new IntegrityError(`${what} is not signed by administrator "${g.grantedBy}"`, 'the grants table was changed outside schuilnaam: restore the vault from a backup you trust');
  }
  try {
    return openSealed({ public: me.public.box, secret: me.secret.box }, sealed, grantContext(vaultId, g));
  } catch (e) {
    if (e instanceof AuthenticationFailure) throw new IntegrityError(`${what} does not open with that user's key`, 'ask an administrator to grant it again');
    throw e;
  }
}
