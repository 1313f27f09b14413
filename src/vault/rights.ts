// What each role may do (issue #9). Two kinds of limit, kept apart on
// purpose: a right tied to a key is cryptographic (without the key the data
// cannot be opened, whatever this file says); a right without one is the
// program's policy on a local vault file, and becomes the server's to
// enforce on a shared database. docs/vault-format.md lists which is which.
import type { Compartment } from '../crypto/keyring.js';
import type { Role } from './roles.js';

export interface Right {
  roles: readonly Role[];
  /** Completes "the caseworker role may not …". */
  what: string;
  /** The key the action cannot do without; absent when the limit is policy only. */
  key?: Compartment;
}

export const RIGHTS = {
  'workers.change': { roles: ['admin'], what: 'add, import, update or offboard workers', key: 'identity' },
  'identities.read': { roles: ['admin', 'security'], what: "read workers' real identities", key: 'identity' },
  'cases.change': { roles: ['admin'], what: 'add or change cases, teams or assignments' },
  'pseudonyms.resolve': { roles: ['admin', 'security'], what: 'resolve pseudonyms to workers', key: 'identity' },
  'pseudonyms.rotate': { roles: ['admin', 'security'], what: 'record compromises and rotate pseudonyms', key: 'identity' },
  'users.manage': { roles: ['admin'], what: 'add, list or remove users', key: 'org' },
  'audit.read': { roles: ['admin', 'security'], what: 'read the audit log' },
} as const satisfies Record<string, Right>;

export type Action = keyof typeof RIGHTS;

/** "admin", "admin or security": the roles that may, for a refusal's hint. */
export function whoMay(action: Action): string {
  const roles: readonly Role[] = RIGHTS[action].roles;
  return roles.length === 1 ? roles[0]! : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]!}`;
}
