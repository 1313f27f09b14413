// The service layer the CLI calls. Opens the store, unlocks a keyslot or a
// session, and exposes the operations; owns transactions.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { isBelowFloor, decodeKdfParams, type KdfProfile } from '../crypto/kdf.js';
import { compartmentOf, Keyring, type Compartment } from '../crypto/keyring.js';
import { loadSodium, wipe } from '../crypto/sodium.js';
import { ID_RANDOM_BYTES, randomId } from '../core/ids.js';
import { AccessError, IntegrityError, UsageError } from '../errors.js';
import { Store } from '../store/store.js';
import { VaultContext } from './context.js';
import type { VaultDeps } from './deps.js';
import { openKeyslot, sealKeyslot } from './keyslots.js';
import { currentOrgKey } from './org-key.js';
import { checkedUser, establishFirstAdmin, openUserKeyring, recordSignedFrom } from './users.js';
import type { UserRecord } from './user-records.js';
import { UserStore } from '../store/users.js';
import type { KeyslotRow } from '../store/store.js';
import { isValidUserName, ROLE_COMPARTMENTS, type Role } from './roles.js';
import { createSession, endSessions, endUserSessions, openSession } from './session.js';
import { verifyVault, type VerifyReport } from './verify.js';
import { Workers } from './workers.js';
import { AuditLog } from './audit.js';
import { Cases } from './cases.js';
import { Documents } from './documents.js';
import { Pseudonyms, type PseudonymView } from './pseudonyms.js';
import { Rotation } from './rotation.js';
import { checkPolicyPatch, Teams, type TeamSettings, type TeamView } from './teams.js';
import { ScanIndex } from './scan-index.js';
import { Redactor } from './redactor.js';
import { loadNamePools } from '../formats/name-lists.js';
import { armIntegrity, Integrity } from './integrity.js';
import { joinUser } from './enrolment.js';
import { UserAdmin } from './user-admin.js';
import { markLeakForms, rebuildIfOutdated } from './reindex.js';
import { pendingNotice, pendingRotation } from './user-removal.js';

const FORMAT_MARKER = 'schuilnaam-vault';

export interface CreatedVault {
  path: string;
  vaultId: string;
  user: string;
  kdf: { opslimit: number; memlimit: number };
}

function checkUserName(user: string): void {
  if (!isValidUserName(user)) {
    throw new UsageError(`invalid user name "${user}"`, 'use 1-32 letters, digits, dots, dashes or underscores');
  }
}

export async function createVault(file: string, passphrase: Uint8Array, user: string, deps: VaultDeps): Promise<CreatedVault> {
  checkUserName(user);
  await loadSodium();
  const vaultId = randomBytes(16).toString('hex');
  const now = deps.clock().toISOString();
  const keyring = Keyring.generate(deps.random);
  let kdf = '';
  try {
    Store.create(
      file,
      (store) => {
        store.setMeta('format', FORMAT_MARKER);
        store.setMeta('vault_id', vaultId);
        store.setMeta('created_at', now);
        const slot = { id: randomId('K', deps.random(ID_RANDOM_BYTES)), user, role: 'admin' as Role };
        const ctx = new VaultContext(store, keyring, vaultId, user, 'admin', deps.clock, deps.random);
        armIntegrity(ctx);
        markLeakForms(ctx);
        // The first user: their own key pairs, a record signed by the
        // organisation key, every key granted to them; every audit entry signed.
        const secrets = establishFirstAdmin(store, vaultId, user, keyring, now, deps.random);
        recordSignedFrom(store, vaultId, 1, keyring.get('org')!);
        ctx.signSeed = secrets.keys.sign;
        ctx.orgSign = secrets.orgSign;
        const sealed = sealKeyslot(vaultId, slot, { secrets }, passphrase, deps.kdfProfile, deps.random);
        kdf = sealed.kdf;
        store.insertKeyslot({ ...slot, ...sealed, created_at: now, updated_at: now });
        // Sealed from the first moment: the seal entry in the audit log marks
        // this vault as one whose seal may never go missing.
        new Integrity(ctx, new AuditLog(ctx)).sealNow();
      },
      { busyTimeoutMs: deps.busyTimeoutMs },
    );
  } finally {
    keyring.destroy();
  }
  const params = decodeKdfParams(kdf, 'new keyslot');
  return { path: file, vaultId, user, kdf: { opslimit: params.opslimit, memlimit: params.memlimit } };
}

export function vaultExists(file: string): boolean {
  return fs.existsSync(file);
}

/** Refuses (exit 3) a keyring holding a key of an older generation than the vault's current one. */
function refuseStaleKeys(store: Store, keyring: Keyring, message: string, hint: string): void {
  const stale = new UserStore(store).epochs().some((e) => e.state === 'current' && keyring.has(compartmentOf(e.compartment)) && keyring.epochOf(compartmentOf(e.compartment)) !== e.epoch);
  if (stale) throw new AccessError(message, hint);
}

/** A vault file that has been opened and recognised, but not unlocked. */
export class VaultFile {
  private constructor(
    readonly store: Store,
    readonly vaultId: string,
    private readonly deps: VaultDeps,
  ) {}

  static async open(file: string, deps: VaultDeps): Promise<VaultFile> {
    const store = Store.open(file, { busyTimeoutMs: deps.busyTimeoutMs });
    try {
      const marker = store.getMeta('format');
      const vaultId = store.getMeta('vault_id');
      if (marker !== FORMAT_MARKER || !vaultId) throw new IntegrityError(`${file} is not a schuilnaam vault or is damaged`);
      await loadSodium();
      return new VaultFile(store, vaultId, deps);
    } catch (e) {
      store.close();
      throw e;
    }
  }

  get path(): string {
    return this.store.path;
  }

  /** Which user a passphrase would open: the given one, else the first admin. */
  userFor(user: string | undefined): string {
    return this.slotFor(user).user;
  }

  private slotFor(user: string | undefined) {
    const slot = user ? this.store.keyslotByUser(user) : this.store.firstAdminKeyslot();
    if (!slot) {
      if (user) throw new AccessError(`no user "${user}" in this vault`, 'check --user and SCHUILNAAM_USER');
      throw new IntegrityError('the vault has no administrator keyslot');
    }
    return slot;
  }

  unlockWithPassphrase(passphrase: Uint8Array, user?: string): Vault {
    const slot = this.slotFor(user);
    const { payload, legacy } = openKeyslot(this.vaultId, slot, passphrase);
    let vault: Vault;
    if ('secrets' in payload) {
      const { keyring, record, orgSign } = openUserKeyring(this.store, this.vaultId, slot.user, payload.secrets);
      if (record.role !== slot.role) {
        keyring.destroy();
        throw new IntegrityError(`the keyslot of user "${slot.user}" says ${slot.role}, the user record ${record.role}`, 'the keyslots or users table was changed outside schuilnaam: restore the vault from a backup you trust');
      }
      const ctx = new VaultContext(this.store, keyring, this.vaultId, slot.user, record.role, this.deps.clock, this.deps.random);
      ctx.signSeed = payload.secrets.keys.sign;
      ctx.orgSign = orgSign;
      // passwd seals the keyslot again with today's organisation key as its anchor.
      ctx.secrets = { ...payload.secrets, orgSign };
      ctx.worker = record.worker;
      vault = new Vault(this, ctx, this.deps);
    } else {
      // A keyslot from before users and roles: its administrator becomes the
      // first user, keeping the same passphrase.
      if (new UserStore(this.store).hasUsers() || slot.role !== 'admin') {
        payload.keyring.destroy();
        throw new IntegrityError(`the keyslot of user "${slot.user}" is from before users and roles, but this vault has users`, 'the keyslots table was changed outside schuilnaam: restore the vault from a backup you trust');
      }
      const old = payload.keyring;
      const keyring = old.has('org') ? old : Keyring.of([...old.compartments().map((c): [Compartment, Uint8Array] => [c, old.get(c)!]), ['org', this.deps.random(32)]]);
      if (keyring !== payload.keyring) payload.keyring.destroy();
      vault = new Vault(this, new VaultContext(this.store, keyring, this.vaultId, slot.user, 'admin', this.deps.clock, this.deps.random), this.deps);
      vault.becomeFirstUser(slot, passphrase);
    }
    if (legacy) {
      vault.ctx.notices.push(
        `the keyslot of user "${slot.user}" was sealed under this passphrase's exact bytes, which are not in Unicode NFC form; run "schuilnaam passwd" (the same passphrase may be chosen again) so that it opens however its accents are typed`,
      );
    }
    return vault;
  }

  unlockWithSession(runtimeDir: string, token: string, user?: string): Vault {
    const s = openSession(runtimeDir, token, this.vaultId, this.deps.clock());
    if (user && user !== s.user) {
      s.keyring.destroy();
      throw new AccessError(`the session belongs to user "${s.user}", not "${user}"`, 'unlock as that user, or drop --user');
    }
    const ctx = new VaultContext(this.store, s.keyring, this.vaultId, s.user, s.role, this.deps.clock, this.deps.random);
    ctx.signSeed = s.signSeed;
    ctx.sessionExpires = s.expires;
    if (s.orgSign) {
      // The session holds keys, not rights: a user removed (or whose role
      // changed) since it began is refused, and her worker link comes from
      // the signed record as it is now.
      let record: UserRecord;
      try {
        ctx.orgSign = currentOrgKey(this.store, this.vaultId, s.orgSign).pk;
        record = checkedUser(this.store, this.vaultId, s.user, ctx.orgSign);
      } catch (e) {
        s.keyring.destroy();
        throw e;
      }
      if (record.status === 'removed' || record.role !== s.role) {
        s.keyring.destroy();
        throw new AccessError(record.status === 'removed' ? `user "${s.user}" was removed from this vault` : `the role of user "${s.user}" changed since this session began`, 'unlock again, or ask an administrator');
      }
      // Keys replaced since the session began (a user was removed): what it holds opens nothing written since.
      try {
        refuseStaleKeys(this.store, s.keyring, 'the vault\'s keys were replaced since this session began (a user was removed)', 'run "export SCHUILNAAM_SESSION=$(schuilnaam unlock)" for a new session');
      } catch (e) {
        s.keyring.destroy();
        throw e;
      }
      ctx.worker = record.worker;
    } else ctx.orgSign = s.orgSign;
    return new Vault(this, ctx, this.deps);
  }

  /**
   * `user join`: the new user opens the starting keys with the one-time code
   * and seals their own under `passphrase`. No one else's passphrase is used.
   */
  join(name: string, code: string, passphrase: Uint8Array): { user: string; role: Role } {
    return joinUser(this.store, this.vaultId, name, code, passphrase, this.deps);
  }

  endSessions(runtimeDir: string, token: string | undefined): number {
    return endSessions(runtimeDir, this.vaultId, token);
  }

  close(): void {
    this.store.close();
  }
}

export class Vault {
  readonly audit: AuditLog;
  readonly teams: Teams;
  readonly cases: Cases;
  readonly pseudonyms: Pseudonyms;
  readonly rotation: Rotation;
  readonly documents: Documents;
  readonly workers: Workers;
  readonly scanIndex: ScanIndex;
  readonly integrity: Integrity;
  readonly users: UserAdmin;

  constructor(
    private readonly file: VaultFile,
    readonly ctx: VaultContext,
    private readonly deps: VaultDeps,
  ) {
    this.audit = new AuditLog(ctx);
    armIntegrity(ctx);
    this.integrity = new Integrity(ctx, this.audit);
    this.users = new UserAdmin(ctx, this.audit);
    this.integrity.ensureSealed();
    ctx.requireIntact = (tables) => this.integrity.require(tables);
    this.teams = new Teams(ctx, this.audit);
    this.cases = new Cases(ctx, this.audit);
    this.scanIndex = new ScanIndex(ctx);
    this.pseudonyms = new Pseudonyms(ctx, this.audit, this.cases, this.teams, loadNamePools, this.scanIndex);
    this.documents = new Documents(ctx, this.audit, this.cases);
    this.rotation = new Rotation(ctx, this.audit, this.cases, this.pseudonyms, this.documents);
    this.workers = new Workers(ctx, this.audit, (id, reason) => this.pseudonyms.retireAllOf(id, reason), this.scanIndex);
    // Another process may replace the keys while this one runs (user remove): never write under retired ones.
    if (ctx.orgSign) ctx.store.setWriteGuard(() => refuseStaleKeys(ctx.store, ctx.keyring, 'the vault\'s keys were replaced while this command ran (a user was removed)', 'run the command again'));
    rebuildIfOutdated(ctx, { workers: this.workers, pseudonyms: this.pseudonyms, scanIndex: this.scanIndex, audit: this.audit });
    const pending = ctx.role === 'admin' ? pendingRotation(ctx) : undefined;
    if (pending) ctx.notices.push(pendingNotice(pending));
  }

  /**
   * Changes a team's settings. Contact details are checked against the leak
   * index first: a worker's own phone or mailbox must never become the
   * "functional" one that every letter of the team carries.
   */
  async setTeam(name: string, patch: TeamSettings): Promise<TeamView> {
    this.ctx.require('cases.change');
    const checked = checkPolicyPatch(patch);
    const fields = (['phone', 'email', 'address'] as const).filter((k) => checked[k]);
    if (fields.length > 0) {
      const { Scanner } = await import('./scanner.js');
      const scanner = new Scanner(this.scanIndex);
      for (const k of fields) {
        const { findings } = await scanner.scan([{ location: `team:${k}`, text: checked[k]! }]);
        const hit = findings.find((f) => f.confidence === 'high');
        // The message names the kind only: the value is a real person's detail.
        if (hit) throw new UsageError(`the team ${k} given contains a worker's own ${hit.kind === 'email' ? 'e-mail address' : hit.kind === 'phone' ? 'phone number' : hit.kind === 'employee-no' ? 'personnel number' : 'name'}`, `use the team's functional ${k === 'email' ? 'mailbox' : k === 'phone' ? 'number' : 'address'}, never a person's`);
      }
    }
    return this.teams.set(name, checked);
  }

  /**
   * Who is behind a pseudonym, with the person's name for the roles that may
   * see it: one audited lookup, so answering the police needs no second,
   * unlogged command. The name is null for an offboarded (shredded) worker.
   */
  resolve(name: string, reason: string): PseudonymView & { person: { name: string; team: string | null } | null } {
    const p = this.pseudonyms.resolve(name, reason);
    return { ...p, person: this.workers.nameBehind(p.worker) };
  }

  redactor(): Redactor {
    return new Redactor(this.ctx, this.cases, this.pseudonyms, this.teams);
  }

  /** Warnings collected during the command, for the CLI to print. */
  get notices(): readonly string[] {
    return this.ctx.notices;
  }

  get user(): string {
    return this.ctx.user;
  }

  get role(): Role {
    return this.ctx.role;
  }

  get path(): string {
    return this.file.path;
  }

  createSession(runtimeDir: string, ttlMs: number): { token: string; expires: Date } {
    return createSession(runtimeDir, {
      vaultId: this.ctx.vaultId,
      user: this.ctx.user,
      role: this.ctx.role,
      keyring: this.ctx.keyring.subset(ROLE_COMPARTMENTS[this.ctx.role]),
      ...(this.ctx.signSeed && this.ctx.orgSign ? { signer: { seed: this.ctx.signSeed, orgSign: this.ctx.orgSign } } : {}),
      ttlMs,
      now: this.deps.clock(),
      random: this.deps.random,
    });
  }

  /** Ends this user's sessions of this vault in the runtime folder; returns how many. */
  endOwnSessions(runtimeDir: string): number {
    return endUserSessions(runtimeDir, this.ctx.vaultId, this.ctx.user);
  }

  /** Reseals this user's keyslot under a new passphrase. No data is re-encrypted. */
  changePassphrase(newPassphrase: Uint8Array, profile: KdfProfile = this.deps.kdfProfile): { opslimit: number; memlimit: number } {
    const store = this.ctx.store;
    return store.transaction(() => {
      const slot = store.keyslotByUser(this.ctx.user);
      if (!slot) throw new IntegrityError(`the keyslot of user "${this.ctx.user}" disappeared`);
      const current = decodeKdfParams(slot.kdf, `keyslot of user "${slot.user}"`);
      if (!this.ctx.secrets) throw new AccessError('changing a passphrase needs that passphrase, not a session', 'run "schuilnaam passwd" without SCHUILNAAM_SESSION');
      const sealed = sealKeyslot(this.ctx.vaultId, slot, { secrets: this.ctx.secrets }, newPassphrase, profile, this.deps.random, current);
      store.updateKeyslotWrap(slot.id, sealed.kdf, sealed.wrapped, this.ctx.now());
      this.audit.append('keyslot.rewrap', slot.id, { user: this.ctx.user });
      const p = decodeKdfParams(sealed.kdf, 'new keyslot');
      return { opslimit: p.opslimit, memlimit: p.memlimit };
    });
  }

  /**
   * Makes the administrator of a vault from before users and roles its first
   * user: key pairs, a signed record, grants of every key, the keyslot sealed
   * again (same passphrase) over the user's own keys, and signed audit
   * entries from here on. One transaction: a crash leaves the old keyslot.
   */
  becomeFirstUser(slot: KeyslotRow, passphrase: Uint8Array): void {
    const ctx = this.ctx;
    ctx.store.transaction(() => {
      const now = ctx.now();
      const secrets = establishFirstAdmin(ctx.store, ctx.vaultId, slot.user, ctx.keyring, now, ctx.random);
      recordSignedFrom(ctx.store, ctx.vaultId, (ctx.cases.lastAudit()?.seq ?? 0) + 1, ctx.keyring.get('org')!);
      const current = decodeKdfParams(slot.kdf, `keyslot of user "${slot.user}"`);
      const sealed = sealKeyslot(ctx.vaultId, slot, { secrets }, passphrase, this.deps.kdfProfile, this.deps.random, current);
      ctx.store.updateKeyslotWrap(slot.id, sealed.kdf, sealed.wrapped, now);
      ctx.signSeed = secrets.keys.sign;
      ctx.orgSign = secrets.orgSign;
      ctx.secrets = secrets;
      this.audit.append('users.migrate', slot.user, { role: 'admin' });
    });
  }

  verify(): VerifyReport {
    return verifyVault(this.ctx, { integrity: this.integrity, workers: this.workers, cases: this.cases, pseudonyms: this.pseudonyms, audit: this.audit, documents: this.documents });
  }

  /** Users with their role and key-derivation cost (no secrets). */
  keyslots(): { user: string; role: string; opslimit: number; memlimit: number; weak: boolean }[] {
    return this.ctx.store.listKeyslots().map((s) => {
      const p = decodeKdfParams(s.kdf, `keyslot of user "${s.user}"`);
      return { user: s.user, role: s.role, opslimit: p.opslimit, memlimit: p.memlimit, weak: isBelowFloor(p) };
    });
  }

  close(): void {
    this.ctx.keyring.destroy();
    wipe(this.ctx.signSeed, this.ctx.secrets?.keys.box, this.ctx.secrets?.keys.sign);
    this.file.close();
  }
}
