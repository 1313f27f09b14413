// Users as the `user` commands and `whoami` see them (issue #9). Every row
// shown is first checked against the organisation key, so a user put into
// the table by hand is reported as tampering, never listed as if real.
import { fingerprint } from '../crypto/user-keys.js';
import { UserStore } from '../store/users.js';
import type { AuditLog } from './audit.js';
import type { VaultContext } from './context.js';
import { addUser, type NewEnrolment } from './enrolment.js';
import { checkedUser } from './users.js';
import { removeUser, type Removal } from './user-removal.js';
import type { Progress } from './key-rotation.js';
import { UsageError } from '../errors.js';
import type { Role } from './roles.js';

export interface UserView {
  user: string;
  role: Role | string;
  worker: string | null;
  /** active: has joined; pending: an enrolment code waits; expired: its code ran out unused; removed: kept for the audit log's signatures. */
  status: 'active' | 'pending' | 'expired' | 'removed';
  /** The user's public keys in 16 characters, to compare by phone; null while pending. */
  fingerprint: string | null;
  since: string;
  /** When a pending enrolment code stops working. */
  expires: string | null;
}

export interface WhoAmI {
  user: string;
  role: Role;
  worker: string | null;
  fingerprint: string | null;
  /** When the session this command runs in ends; null when unlocked with the passphrase. */
  session_expires: string | null;
}

export class UserAdmin {
  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
  ) {}

  add(req: { name: string; role: string; worker?: string }): NewEnrolment {
    return addUser(this.ctx, this.audit, req);
  }

  /** Every user and pending enrolment; administrators only (they hold the organisation key). */
  list(): UserView[] {
    this.ctx.require('users.manage');
    const { store, vaultId } = this.ctx;
    const org = this.ctx.orgSign!;
    const users = new UserStore(store);
    const views: UserView[] = users.users().map((row) => {
      const r = checkedUser(store, vaultId, row.name, org);
      return { user: r.name, role: r.role, worker: r.worker, status: r.status, fingerprint: fingerprint(r.keys), since: r.changedAt, expires: null };
    });
    const now = new Date(this.ctx.now()).getTime();
    for (const e of users.enrolments()) {
      // An expired code opens nothing; it stays listed so that the administrator sees the person never joined.
      const status = new Date(e.expires_at).getTime() > now ? 'pending' : 'expired';
      views.push({ user: e.user, role: e.role, worker: e.worker_id, status, fingerprint: null, since: e.created_at, expires: e.expires_at });
    }
    return views.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }

  /** Shuts a user out and replaces every key she held (see user-removal.ts). */
  remove(name: string, progress?: Progress): Removal {
    return removeUser(this.ctx, this.audit, name, progress);
  }

  /** Refuses before a confirmation is asked: a role that may not, an unknown user, oneself. */
  checkRemovable(name: string): void {
    this.ctx.require('users.manage');
    const users = new UserStore(this.ctx.store);
    if (!users.user(name) && !users.enrolment(name)) throw new UsageError(`no user "${name}" in this vault`, 'run "schuilnaam user list" to see the users');
    if (name === this.ctx.user) throw new UsageError('you cannot remove yourself', 'ask another administrator');
  }

  whoami(): WhoAmI {
    const { store, vaultId, user, role } = this.ctx;
    const r = this.ctx.orgSign && new UserStore(store).user(user) ? checkedUser(store, vaultId, user, this.ctx.orgSign) : undefined;
    return {
      user,
      role,
      worker: r?.worker ?? null,
      fingerprint: r ? fingerprint(r.keys) : null,
      session_expires: this.ctx.sessionExpires?.toISOString() ?? null,
    };
  }
}
