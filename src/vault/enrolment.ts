// Adding a user (issue #9). `user add` (an administrator) seals the new
// user's starting keys under a one-time code; `user join` (the new user)
// opens them, makes the user's own key pairs, and seals those under a
// passphrase only the new user knows. The administrator never sees it.
import { pendingRotation } from './user-removal.js';
import { associatedData, AuthenticationFailure, open, seal } from '../crypto/aead.js';
import { equalBytes } from '../crypto/chain.js';
import { enrolmentKeys, newEnrolmentCode, parseEnrolmentCode } from '../crypto/enrolment-code.js';
import { COMPARTMENT_BY_ID, COMPARTMENTS, Keyring, type Compartment } from '../crypto/keyring.js';
import { wipe } from '../crypto/sodium.js';
import { generateUserKeys, signDetached, signPublicKey, verifyDetached } from '../crypto/user-keys.js';
import { ID_RANDOM_BYTES, randomId } from '../core/ids.js';
import { AccessError, IntegrityError, UsageError } from '../errors.js';
import type { Store } from '../store/store.js';
import { UserStore } from '../store/users.js';
import { AuditLog } from './audit.js';
import { VaultContext } from './context.js';
import type { VaultDeps } from './deps.js';
import { CRYPTO_FORMAT } from './deps.js';
import { armIntegrity } from './integrity.js';
import { sealKeyslot } from './keyslots.js';
import { isRole, isValidUserName, ROLE_COMPARTMENTS, type Role } from './roles.js';
import { checkedUser } from './users.js';
import { enrolmentStatement, makeGrant, signUserRecord, type UserRecord } from './user-records.js';

/** How long an enrolment code can be used. */
export const ENROLMENT_HOURS = 72;
const BOX_VERSION = 1;
const KEY = 32;

function boxAd(vaultId: string, e: { user: string; role: string; worker_id: string | null; expires_at: string }): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, 'enrolments', 'box', vaultId, e.user, e.role, e.worker_id ?? '', e.expires_at);
}

interface BoxContent {
  enrolSeed: Uint8Array;
  orgSign: Uint8Array;
  keys: { compartment: Compartment; epoch: number; key: Uint8Array }[];
}

function encodeBox(b: BoxContent): Uint8Array {
  const out = new Uint8Array(2 + 2 * KEY + b.keys.length * (1 + 4 + KEY));
  out[0] = BOX_VERSION;
  out.set(b.enrolSeed, 1);
  out.set(b.orgSign, 1 + KEY);
  out[1 + 2 * KEY] = b.keys.length;
  let at = 2 + 2 * KEY;
  for (const k of b.keys) {
    out[at] = COMPARTMENTS[k.compartment];
    new DataView(out.buffer).setUint32(at + 1, k.epoch);
    out.set(k.key, at + 5);
    at += 1 + 4 + KEY;
  }
  return out;
}

function decodeBox(bytes: Uint8Array): BoxContent {
  const bad = () => new IntegrityError('an enrolment has an unknown layout');
  if (bytes.length < 2 + 2 * KEY || bytes[0] !== BOX_VERSION) throw bad();
  const n = bytes[1 + 2 * KEY]!;
  if (bytes.length !== 2 + 2 * KEY + n * (1 + 4 + KEY)) throw bad();
  const keys: BoxContent['keys'] = [];
  for (let i = 0, at = 2 + 2 * KEY; i < n; i++, at += 1 + 4 + KEY) {
    const c = COMPARTMENT_BY_ID.get(bytes[at]!);
    if (!c) throw bad();
    keys.push({ compartment: c, epoch: new DataView(bytes.buffer, bytes.byteOffset).getUint32(at + 1), key: bytes.slice(at + 5, at + 5 + KEY) });
  }
  return { enrolSeed: bytes.slice(1, 1 + KEY), orgSign: bytes.slice(1 + KEY, 1 + 2 * KEY), keys };
}

export interface NewEnrolment {
  user: string;
  role: Role;
  worker: string | null;
  enrolment_code: string;
  expires: string;
}

/**
 * `user add`: only an administrator holds the organisation key, and only a
 * holder of it can enrol anyone, so the check is the key, not the role name.
 * A pending enrolment of the same name is replaced (its code stops working).
 */
export function addUser(ctx: VaultContext, audit: AuditLog, req: { name: string; role: string; worker?: string }): NewEnrolment {
  ctx.require('users.manage');
  if (!isValidUserName(req.name)) throw new UsageError(`invalid user name "${req.name}"`, 'use 1-32 letters, digits, dots, dashes or underscores');
  if (!isRole(req.role)) throw new UsageError(`unknown role "${req.role}"`, 'use admin, security or caseworker');
  const role = req.role;
  const store = ctx.store;
  const users = new UserStore(store);
  const pending = pendingRotation(ctx);
  if (pending) throw new UsageError(`the removal of "${pending.users[0]}" is not finished: the keys a new user would get are about to be replaced`, `run "schuilnaam user remove ${pending.users[0]}" first`);
  return store.transaction(() => {
    if (users.user(req.name) || store.keyslotByUser(req.name)) throw new UsageError(`user "${req.name}" already exists`, 'choose another name; a removed user\'s name is not given out again');
    const worker = req.worker ?? null;
    if (worker !== null && !store.workerExists(worker)) throw new UsageError(`no worker ${worker}`, 'run "schuilnaam worker list" for the ids');
    // One account per worker record: a second one would see her cases and act as her.
    const holder =
      worker === null
        ? undefined
        : (users.users().find((u) => u.status === 'active' && u.worker_id === worker)?.name ?? users.enrolments().find((e) => e.user !== req.name && e.worker_id === worker)?.user);
    if (holder) throw new UsageError(`worker ${worker} is already linked to user "${holder}"`, 'each worker record belongs to one user');
    const now = new Date(ctx.now());
    const expires = new Date(now.getTime() + ENROLMENT_HOURS * 3600_000).toISOString();
    const code = newEnrolmentCode(ctx.random);
    const codeBytes = parseEnrolmentCode(code)!;
    const derived = enrolmentKeys(codeBytes);
    const enrolSeed = ctx.random(KEY);
    const current = new Map(users.epochs().filter((e) => e.state === 'current').map((e) => [e.compartment, e.epoch]));
    const keys = ROLE_COMPARTMENTS[role].map((c) => {
      const epoch = current.get(COMPARTMENTS[c]);
      if (epoch === undefined) throw new IntegrityError(`the ${c} key has no current epoch`, 'the key_epochs table was changed outside schuilnaam: restore the vault from a backup you trust');
      return { compartment: c, epoch, key: ctx.key(c) };
    });
    const row = { user: req.name, role, worker_id: worker, expires_at: expires };
    const plain = encodeBox({ enrolSeed, orgSign: signPublicKey(ctx.key('org')), keys });
    try {
      users.deleteEnrolment(req.name);
      users.insertEnrolment({
        ...row,
        check_hash: derived.check,
        box: seal(derived.box, plain, boxAd(ctx.vaultId, row), ctx.random),
        created_by: ctx.user,
        created_at: now.toISOString(),
        sig: signDetached(ctx.signSeed!, enrolmentStatement(ctx.vaultId, req.name, role, worker, signPublicKey(enrolSeed), ctx.user)),
      });
    } finally {
      wipe(plain, enrolSeed, derived.box, codeBytes);
    }
    audit.append('user.add', req.name, { role, worker, expires });
    return { user: req.name, role, worker, enrolment_code: code, expires };
  });
}

/**
 * `user join`: the new user's side. Needs no one else's passphrase: the code
 * opens the starting keys, the new user's passphrase seals their own.
 */
export function joinUser(store: Store, vaultId: string, name: string, codeText: string, passphrase: Uint8Array, deps: VaultDeps): { user: string; role: Role } {
  const code = parseEnrolmentCode(codeText);
  if (!code) throw new UsageError('that is not an enrolment code', 'it has 32 letters and digits, as "schuilnaam user add" printed it');
  const derived = enrolmentKeys(code);
  wipe(code);
  const users = new UserStore(store);
  const e = users.enrolment(name);
  const retry = `ask an administrator to run "schuilnaam user add ${name}" again`;
  if (!e) throw new AccessError(`no enrolment is waiting for user "${name}"`, `the code was used already, or never made; ${retry}`);
  if (!equalBytes(new Uint8Array(e.check_hash), derived.check)) throw new AccessError(`wrong enrolment code for user "${name}"`, 'check the code; each code works for one user name');
  const now = deps.clock();
  if (!(new Date(e.expires_at).getTime() > now.getTime())) throw new AccessError(`the enrolment code of user "${name}" expired at ${e.expires_at}`, retry);
  let content: BoxContent;
  try {
    content = decodeBox(open(derived.box, new Uint8Array(e.box), boxAd(vaultId, e)));
  } catch (err) {
    if (err instanceof AuthenticationFailure) throw new IntegrityError(`the enrolment of user "${name}" was changed outside schuilnaam`, retry);
    throw err;
  } finally {
    wipe(derived.box);
  }
  if (!isRole(e.role)) throw new IntegrityError(`the enrolment of user "${name}" has an unknown role`, retry);
  const role = e.role;
  // The statement must come from an administrator whose own record the organisation key signed.
  const admin = checkedUser(store, vaultId, e.created_by, content.orgSign);
  const enrolPk = signPublicKey(content.enrolSeed);
  if (admin.role !== 'admin' || !verifyDetached(admin.keys.sign, enrolmentStatement(vaultId, name, role, e.worker_id, enrolPk, e.created_by), new Uint8Array(e.sig))) {
    throw new IntegrityError(`the enrolment of user "${name}" is not signed by an administrator`, retry);
  }
  const keyring = Keyring.of(content.keys.map((k): [Compartment, Uint8Array] => [k.compartment, k.key]));
  const ctx = new VaultContext(store, keyring, vaultId, name, role, deps.clock, deps.random);
  try {
    armIntegrity(ctx);
    const mine = generateUserKeys(deps.random);
    ctx.signSeed = mine.secret.sign;
    ctx.orgSign = content.orgSign;
    const audit = new AuditLog(ctx);
    store.transaction(() => {
      if (!users.deleteEnrolment(name)) throw new AccessError(`no enrolment is waiting for user "${name}"`, 'the code was used at this very moment by someone else');
      const at = now.toISOString();
      const record: UserRecord = { name, role, worker: e.worker_id, keys: mine.public, status: 'active', changedAt: at };
      users.putUser({
        name,
        role,
        worker_id: e.worker_id,
        status: 'active',
        box_pk: mine.public.box,
        sign_pk: mine.public.sign,
        changed_at: at,
        signed_by: 'enrolment',
        sig: signUserRecord(vaultId, record, content.enrolSeed),
        enrolled_by: e.created_by,
        enrol_pk: enrolPk,
        enrol_sig: new Uint8Array(e.sig),
      });
      for (const k of content.keys) {
        const g = makeGrant(vaultId, { user: name, compartment: k.compartment, epoch: k.epoch, grantedBy: e.created_by }, mine.public, k.key, content.enrolSeed);
        users.insertGrant({ user: name, compartment: COMPARTMENTS[k.compartment], epoch: k.epoch, sealed: g.sealed, granted_by: e.created_by, granted_at: at, sig: g.sig });
      }
      const slot = { id: randomId('K', deps.random(ID_RANDOM_BYTES)), user: name, role };
      const sealed = sealKeyslot(vaultId, slot, { secrets: { keys: mine.secret, orgSign: content.orgSign } }, passphrase, deps.kdfProfile, deps.random);
      store.insertKeyslot({ ...slot, ...sealed, created_at: at, updated_at: at });
      audit.append('user.join', name, { role, worker: e.worker_id });
    });
    return { user: name, role };
  } finally {
    wipe(content.enrolSeed);
    keyring.destroy();
  }
}
