// `user remove` (issue #9), in two steps. First the user is shut out: her
// record marked removed (signed), her grants and keyslot deleted, in one
// transaction. Then every key she held is replaced (key-rotation.ts), in a
// second one. If the second is interrupted, the vault records that it is
// still to do; running `user remove` again (or for another user) finishes it.
import type { Compartment } from '../crypto/keyring.js';
import { AccessError, UsageError } from '../errors.js';
import { faultPoint } from '../fault.js';
import { RekeyStore } from '../store/rekey.js';
import { UserStore } from '../store/users.js';
import type { AuditLog } from './audit.js';
import type { VaultContext } from './context.js';
import { rotateKeys, type Progress, type RotationResult } from './key-rotation.js';
import { ROLE_COMPARTMENTS } from './roles.js';
import { checkedUser } from './users.js';
import { signUserRecord } from './user-records.js';

const PENDING = 'pending_rotation';

interface Pending {
  users: string[];
  compartments: Compartment[];
}

export interface Removal {
  user: string;
  role: string;
  /** pending: an enrolment that was never used, withdrawn (no keys to replace). */
  was: 'active' | 'pending' | 'removed';
  rotated: RotationResult | null;
}

/** What an administrator is told at unlock while a removal is unfinished. */
export function pendingNotice(p: Pending): string {
  return `the keys of ${p.users.map((u) => `"${u}"`).join(', ')} were not all replaced yet (the removal was interrupted); until they are, she can still read what is written: run "schuilnaam user remove ${p.users[0]}" to finish`;
}

export function pendingRotation(ctx: VaultContext): Pending | undefined {
  const text = ctx.store.getMeta(PENDING);
  return text === undefined ? undefined : (JSON.parse(text) as Pending);
}

/** Shuts `name` out and replaces every key she held. */
export function removeUser(ctx: VaultContext, audit: AuditLog, name: string, progress?: Progress): Removal {
  ctx.require('users.manage');
  const users = new UserStore(ctx.store);
  const row = users.user(name);
  if (!row) {
    // Never joined: the enrolment is withdrawn; its code opens nothing from now on.
    const e = users.enrolment(name);
    if (!e) throw new UsageError(`no user "${name}" in this vault`, 'run "schuilnaam user list" to see the users');
    ctx.store.transaction(() => {
      users.deleteEnrolment(name);
      audit.append('user.withdraw', name, { role: e.role });
    });
    return { user: name, role: e.role, was: 'pending', rotated: null };
  }
  const record = checkedUser(ctx.store, ctx.vaultId, name, ctx.orgSign!);
  if (record.status === 'removed') {
    // Removed before, but the keys were not replaced yet (the run was interrupted): finish that.
    const pending = pendingRotation(ctx);
    if (!pending?.users.includes(name)) throw new UsageError(`user "${name}" was already removed`);
    return { user: name, role: record.role, was: 'removed', rotated: finishRotation(ctx, progress) };
  }
  if (name === ctx.user) throw new UsageError('you cannot remove yourself', 'ask another administrator');
  ctx.store.transaction(() => {
    const now = ctx.now();
    const removed = { ...record, status: 'removed' as const, changedAt: now };
    users.putUser({ ...row, status: 'removed', changed_at: now, signed_by: 'org', sig: signUserRecord(ctx.vaultId, removed, ctx.key('org')) });
    const grants = users.deleteGrantsOf(name);
    new RekeyStore(ctx.store).deleteKeyslotOf(name);
    const before = pendingRotation(ctx);
    const pending: Pending = {
      users: [...(before?.users ?? []), name],
      compartments: [...new Set([...(before?.compartments ?? []), ...ROLE_COMPARTMENTS[record.role]])],
    };
    ctx.store.setMeta(PENDING, JSON.stringify(pending));
    audit.append('user.remove', name, { role: record.role, grants_revoked: grants });
  });
  faultPoint('revoked');
  return { user: name, role: record.role, was: 'active', rotated: finishRotation(ctx, progress) };
}

/** Replaces the keys a removal left to replace, if any. */
export function finishRotation(ctx: VaultContext, progress?: Progress): RotationResult | null {
  const pending = pendingRotation(ctx);
  if (!pending) return null;
  if (!ctx.keyring.has('org')) throw new AccessError('only an administrator can replace the keys');
  return ctx.store.transaction(() => {
    const now = pendingRotation(ctx);
    if (!now) return null;
    const result = rotateKeys(ctx, now.compartments, now.users, progress);
    new RekeyStore(ctx.store).deleteMeta(PENDING);
    // Told at unlock that this was left to do: it is done now.
    const told = ctx.notices.indexOf(pendingNotice(now));
    if (told !== -1) ctx.notices.splice(told, 1);
    return result;
  });
}
