import type { Compartment } from '../crypto/keyring.js';

export const ROLES = ['admin', 'security', 'caseworker'] as const;
export type Role = (typeof ROLES)[number];

/** Which compartment keys each role's keyslot holds. */
export const ROLE_COMPARTMENTS: Record<Role, readonly Compartment[]> = {
  admin: ['identity', 'casefacing', 'blind', 'scan', 'audit', 'org'],
  security: ['identity', 'casefacing', 'blind', 'scan', 'audit'],
  caseworker: ['casefacing', 'scan', 'audit'],
};

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

export function isValidUserName(name: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,31}$/iu.test(name);
}
