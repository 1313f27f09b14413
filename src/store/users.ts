// SQL for users and roles (issue #9): user records, grants, key epochs and
// pending enrolments. Public keys and signatures are stored as they are;
// grants and enrolment boxes arrive sealed. Nothing here decides whom to
// trust: the vault service checks every signature before using a row.
import type { Store } from './store.js';

export interface UserRow {
  name: string;
  role: string;
  worker_id: string | null;
  status: 'active' | 'removed';
  box_pk: Uint8Array;
  sign_pk: Uint8Array;
  changed_at: string;
  signed_by: 'org' | 'enrolment';
  sig: Uint8Array;
  enrolled_by: string | null;
  enrol_pk: Uint8Array | null;
  enrol_sig: Uint8Array | null;
}

export interface GrantRow {
  user: string;
  compartment: number;
  epoch: number;
  sealed: Uint8Array;
  granted_by: string;
  granted_at: string;
  sig: Uint8Array;
}

export interface EpochRow {
  compartment: number;
  epoch: number;
  state: 'current' | 'rotating' | 'retired';
  created_at: string;
}

export interface EnrolmentRow {
  user: string;
  role: string;
  worker_id: string | null;
  check_hash: Uint8Array;
  box: Uint8Array;
  created_by: string;
  created_at: string;
  expires_at: string;
  sig: Uint8Array;
}

const USER_COLS = 'name, role, worker_id, status, box_pk, sign_pk, changed_at, signed_by, sig, enrolled_by, enrol_pk, enrol_sig';
const GRANT_COLS = 'user, compartment, epoch, sealed, granted_by, granted_at, sig';
const ENROLMENT_COLS = 'user, role, worker_id, check_hash, box, created_by, created_at, expires_at, sig';

export class UserStore {
  constructor(private readonly s: Store) {}

  // --- users ---------------------------------------------------------------

  putUser(r: UserRow): void {
    this.s.run(
      `INSERT INTO users (${USER_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, worker_id = excluded.worker_id, status = excluded.status,
         box_pk = excluded.box_pk, sign_pk = excluded.sign_pk, changed_at = excluded.changed_at, signed_by = excluded.signed_by, sig = excluded.sig,
         enrolled_by = excluded.enrolled_by, enrol_pk = excluded.enrol_pk, enrol_sig = excluded.enrol_sig`,
      r.name,
      r.role,
      r.worker_id,
      r.status,
      r.box_pk,
      r.sign_pk,
      r.changed_at,
      r.signed_by,
      r.sig,
      r.enrolled_by,
      r.enrol_pk,
      r.enrol_sig,
    );
  }

  user(name: string): UserRow | undefined {
    return this.s.get<UserRow>(`SELECT ${USER_COLS} FROM users WHERE name = ?`, name);
  }

  /** Every user, removed ones too (their keys still check their old audit entries). */
  users(): UserRow[] {
    return this.s.all<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY name`);
  }

  hasUsers(): boolean {
    return this.s.get('SELECT 1 FROM users LIMIT 1') !== undefined;
  }

  // --- grants --------------------------------------------------------------

  insertGrant(g: GrantRow): void {
    this.s.run(`INSERT INTO grants (${GRANT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, g.user, g.compartment, g.epoch, g.sealed, g.granted_by, g.granted_at, g.sig);
  }

  /** A user's grants of the given epochs (compartment -> epoch). */
  grantsOf(user: string): GrantRow[] {
    return this.s.all<GrantRow>(`SELECT ${GRANT_COLS} FROM grants WHERE user = ? ORDER BY compartment, epoch`, user);
  }

  /** Takes every grant of a user away; returns how many there were. */
  deleteGrantsOf(user: string): number {
    return this.s.run('DELETE FROM grants WHERE user = ?', user).changes;
  }

  // --- key epochs ----------------------------------------------------------

  insertEpoch(e: EpochRow): void {
    this.s.run('INSERT INTO key_epochs (compartment, epoch, state, created_at) VALUES (?, ?, ?, ?)', e.compartment, e.epoch, e.state, e.created_at);
  }

  setEpochState(compartment: number, epoch: number, state: EpochRow['state']): void {
    this.s.run('UPDATE key_epochs SET state = ? WHERE compartment = ? AND epoch = ?', state, compartment, epoch);
  }

  epochs(): EpochRow[] {
    return this.s.all<EpochRow>('SELECT compartment, epoch, state, created_at FROM key_epochs ORDER BY compartment, epoch');
  }

  // --- enrolments ----------------------------------------------------------

  insertEnrolment(e: EnrolmentRow): void {
    this.s.run(
      `INSERT INTO enrolments (${ENROLMENT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.user,
      e.role,
      e.worker_id,
      e.check_hash,
      e.box,
      e.created_by,
      e.created_at,
      e.expires_at,
      e.sig,
    );
  }

  enrolment(user: string): EnrolmentRow | undefined {
    return this.s.get<EnrolmentRow>(`SELECT ${ENROLMENT_COLS} FROM enrolments WHERE user = ?`, user);
  }

  enrolments(): EnrolmentRow[] {
    return this.s.all<EnrolmentRow>(`SELECT ${ENROLMENT_COLS} FROM enrolments ORDER BY created_at, user`);
  }

  /** An enrolment is used once: deleted when its user joins, or withdrawn. */
  deleteEnrolment(user: string): boolean {
    return this.s.run('DELETE FROM enrolments WHERE user = ?', user).changes > 0;
  }
}
