// Users and roles (issue #9), the key side: the first administrator of a
// vault, and the keyring a user's grants give. Every public key and every
// grant is checked against the organisation key the user's own keyslot
// holds before it is used.
import { COMPARTMENT_BY_ID, COMPARTMENTS, Keyring, type Compartment } from '../crypto/keyring.js';
import type { RandomSource } from '../crypto/random.js';
import { wipe } from '../crypto/sodium.js';
import { associatedData } from '../crypto/aead.js';
import { generateUserKeys, publicKeysOf, signDetached, signPublicKey, verifyDetached, type UserPublicKeys } from '../crypto/user-keys.js';
import type { AuditSigners } from './audit.js';
import type { UserSecrets } from '../crypto/user-secrets.js';
import { AccessError, IntegrityError } from '../errors.js';
import type { Store } from '../store/store.js';
import { UserStore, type UserRow } from '../store/users.js';
import { isRole, ROLE_COMPARTMENTS, type Role } from './roles.js';
import { currentOrgKey } from './org-key.js';
import { checkUserRecord, enrolmentStatement, makeGrant, openGrant, signUserRecord, type UserRecord } from './user-records.js';

const RESTORE = 'the users or grants table was changed outside schuilnaam: restore the vault from a backup you trust';

export function recordOf(row: UserRow): UserRecord {
  if (!isRole(row.role)) throw new IntegrityError(`user "${row.name}" has an unknown role "${row.role}"`, RESTORE);
  return { name: row.name, role: row.role, worker: row.worker_id, keys: { box: row.box_pk, sign: row.sign_pk }, status: row.status, changedAt: row.changed_at };
}

const sameKeys = (a: UserPublicKeys, b: UserPublicKeys) => Buffer.from(a.box).equals(Buffer.from(b.box)) && Buffer.from(a.sign).equals(Buffer.from(b.sign));

/**
 * Makes `name` the vault's first user, an administrator: new key pairs, a
 * record signed by the organisation key, and a grant of every key of
 * `keyring` (epoch 1) sealed to the new public key. Returns what the user's
 * keyslot must hold. Call inside a write transaction.
 */
export function establishFirstAdmin(store: Store, vaultId: string, name: string, keyring: Keyring, now: string, random: RandomSource): UserSecrets {
  const users = new UserStore(store);
  const org = keyring.get('org');
  if (!org) throw new Error('the first administrator needs the organisation key');
  const keys = generateUserKeys(random);
  const record: UserRecord = { name, role: 'admin', worker: null, keys: keys.public, status: 'active', changedAt: now };
  users.putUser({ name, role: 'admin', worker_id: null, status: 'active', box_pk: keys.public.box, sign_pk: keys.public.sign, changed_at: now, signed_by: 'org', sig: signUserRecord(vaultId, record, org), enrolled_by: null, enrol_pk: null, enrol_sig: null });
  for (const c of ROLE_COMPARTMENTS.admin) {
    const key = keyring.get(c);
    if (!key) throw new Error(`the first administrator needs the ${c} key`);
    users.insertEpoch({ compartment: COMPARTMENTS[c], epoch: 1, state: 'current', created_at: now });
    const g = makeGrant(vaultId, { user: name, compartment: c, epoch: 1, grantedBy: name }, keys.public, key, keys.secret.sign);
    users.insertGrant({ user: name, compartment: COMPARTMENTS[c], epoch: 1, sealed: g.sealed, granted_by: name, granted_at: now, sig: g.sig });
  }
  return { keys: keys.secret, orgSign: signPublicKey(org) };
}

/** A user record from the table, checked against the organisation key. */
export function checkedUser(store: Store, vaultId: string, name: string, orgSign: Uint8Array): UserRecord {
  const row = new UserStore(store).user(name);
  if (!row) throw new IntegrityError(`user "${name}" has a keyslot but no user record`, RESTORE);
  const record = recordOf(row);
  if (row.signed_by === 'org') {
    checkUserRecord(vaultId, record, row.sig, orgSign);
    return record;
  }
  // Signed at enrolment by a one-use key that an administrator's signed
  // statement names for exactly this user, role and worker.
  const admin = row.enrolled_by && row.enrolled_by !== name ? checkedUser(store, vaultId, row.enrolled_by, orgSign) : undefined;
  const enrolPk = row.enrol_pk ? new Uint8Array(row.enrol_pk) : undefined;
  if (
    !admin ||
    admin.role !== 'admin' ||
    !enrolPk ||
    !row.enrol_sig ||
    !verifyDetached(admin.keys.sign, enrolmentStatement(vaultId, name, record.role, record.worker, enrolPk, row.enrolled_by!), new Uint8Array(row.enrol_sig))
  ) {
    throw new IntegrityError(`the record of user "${name}" is not signed by an administrator's enrolment`, RESTORE);
  }
  checkUserRecord(vaultId, record, row.sig, enrolPk);
  return record;
}

/** The key that signed a user's own grants at enrolment, if the record was signed that way by `granter`. */
function enrolmentKeyFor(store: Store, name: string, granter: string): Uint8Array | undefined {
  const row = new UserStore(store).user(name);
  return row && row.signed_by === 'enrolment' && row.enrolled_by === granter && row.enrol_pk ? new Uint8Array(row.enrol_pk) : undefined;
}

/**
 * The keyring a user's grants of the current key epochs give, after checking
 * the user's own record (it must hold exactly the keys of this keyslot) and
 * each grant's administrator.
 */
export function openUserKeyring(store: Store, vaultId: string, name: string, secrets: UserSecrets): { keyring: Keyring; record: UserRecord; orgSign: Uint8Array } {
  // Today's organisation key, reached from the one this keyslot was sealed with.
  const orgSign = currentOrgKey(store, vaultId, secrets.orgSign).pk;
  const record = checkedUser(store, vaultId, name, orgSign);
  if (!sameKeys(record.keys, publicKeysOf(secrets.keys))) throw new IntegrityError(`the record of user "${name}" does not hold this user's public keys`, RESTORE);
  if (record.status === 'removed') throw new AccessError(`user "${name}" was removed from this vault`, 'ask an administrator');
  const users = new UserStore(store);
  const epochs = users.epochs();
  const current = new Map(epochs.filter((e) => e.state === 'current').map((e) => [e.compartment, e.epoch]));
  const retired = new Set(epochs.filter((e) => e.state === 'retired').map((e) => `${e.compartment}:${e.epoch}`));
  const granters = new Map<string, UserRecord>();
  const keys: [Compartment, Uint8Array][] = [];
  const older: [Compartment, number, Uint8Array][] = [];
  try {
    for (const g of users.grantsOf(name)) {
      const isCurrent = current.get(g.compartment) === g.epoch;
      if (!isCurrent && !retired.has(`${g.compartment}:${g.epoch}`)) continue;
      const c = COMPARTMENT_BY_ID.get(g.compartment);
      if (!c) throw new IntegrityError(`user "${name}" holds a grant of an unknown key (${g.compartment})`, RESTORE);
      if (!(ROLE_COMPARTMENTS[record.role] as readonly Compartment[]).includes(c)) {
        throw new IntegrityError(`user "${name}" holds a grant of the ${c} key, which the ${record.role} role does not have`, RESTORE);
      }
      let granter = granters.get(g.granted_by);
      if (!granter) {
        granter = checkedUser(store, vaultId, g.granted_by, orgSign);
        granters.set(g.granted_by, granter);
      }
      // A removed administrator still holds her signing key: what she signs now is not a grant.
      if (granter.status === 'removed') throw new IntegrityError(`the ${c} key granted to user "${name}" was granted by "${g.granted_by}", who was removed`, RESTORE);
      if (granter.role !== 'admin') throw new IntegrityError(`the ${c} key granted to user "${name}" was granted by "${g.granted_by}", who is not an administrator`, RESTORE);
      const header = { user: name, compartment: c, epoch: g.epoch, grantedBy: g.granted_by };
      const me = { public: record.keys, secret: secrets.keys };
      let key: Uint8Array;
      try {
        key = openGrant(vaultId, header, g.sealed, g.sig, me, granter.keys.sign);
      } catch (e) {
        // A grant the user made to herself at enrolment is signed by the enrolment key the administrator named.
        const enrolPk = enrolmentKeyFor(store, name, g.granted_by);
        if (!enrolPk || !(e instanceof IntegrityError)) throw e;
        key = openGrant(vaultId, header, g.sealed, g.sig, me, enrolPk);
      }
      if (isCurrent) keys.push([c, key]);
      else older.push([c, g.epoch, key]);
    }
    const keyring = Keyring.of(keys);
    for (const [c] of keys) keyring.setEpoch(c, current.get(COMPARTMENTS[c])!);
    for (const [c, e, k] of older) keyring.addRetired(c, e, k);
    return { keyring, record, orgSign };
  } finally {
    for (const [, k] of keys) wipe(k);
    for (const [, , k] of older) wipe(k);
  }
}

const SIGNED_FROM = 'audit_signed_from';
const SIGNED_FROM_SIG = 'audit_signed_from_sig';
const signedFromBytes = (vaultId: string, seq: number) => associatedData('schuilnaam', 1, 'audit-signed-from', vaultId, seq);

/** Records, signed by the organisation key, that audit entries from `seq` on are signed by their actors. */
export function recordSignedFrom(store: Store, vaultId: string, seq: number, orgSeed: Uint8Array): void {
  store.setMeta(SIGNED_FROM, String(seq));
  store.setMeta(SIGNED_FROM_SIG, Buffer.from(signDetached(orgSeed, signedFromBytes(vaultId, seq))).toString('base64'));
}

/** Signs the same start of signed entries again, with a new organisation key. */
export function resignSignedFrom(store: Store, vaultId: string, orgSeed: Uint8Array): void {
  const from = store.getMeta(SIGNED_FROM);
  if (from !== undefined) recordSignedFrom(store, vaultId, Number(from), orgSeed);
}

/**
 * Who may have written each audit entry: from where signed entries begin (as
 * the organisation key said), each actor's public key from their checked
 * record. Undefined for a vault from before users and roles.
 */
export function auditSigners(store: Store, vaultId: string, orgSign: Uint8Array | undefined): AuditSigners | undefined {
  const users = new UserStore(store);
  const from = store.getMeta(SIGNED_FROM);
  const sig = store.getMeta(SIGNED_FROM_SIG);
  if (from === undefined && sig === undefined && !users.hasUsers()) return undefined;
  if (!orgSign) return undefined;
  const seq = Number(from);
  if (from === undefined || sig === undefined || !/^[1-9]\d*$/u.test(from) || !verifyDetached(orgSign, signedFromBytes(vaultId, seq), Buffer.from(sig, 'base64'))) {
    throw new IntegrityError('the record of where signed audit entries begin is missing or not signed by the organisation key', RESTORE);
  }
  const keys = new Map<string, Uint8Array | undefined>();
  return {
    signedFrom: seq,
    signKeyOf: (actor) => {
      if (!keys.has(actor)) {
        let pk: Uint8Array | undefined;
        try {
          pk = users.user(actor) ? checkedUser(store, vaultId, actor, orgSign).keys.sign : undefined;
        } catch (e) {
          if (!(e instanceof IntegrityError)) throw e;
          pk = undefined;
        }
        keys.set(actor, pk);
      }
      return keys.get(actor);
    },
  };
}

export type { Role };
