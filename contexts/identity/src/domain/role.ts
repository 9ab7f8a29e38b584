import { DomainError, type Actor } from '@strata/shared-kernel';

/**
 * What a user may do on the platform. A learner takes courses, an instructor drafts and sells
 * them, an admin governs users and may take courses down. A user may hold several at once.
 */
export const ROLES = ['learner', 'instructor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** The roles a person may choose for themselves when registering; admin is only ever granted. */
export const SELF_SERVICE_ROLES = ['learner', 'instructor'] as const satisfies readonly Role[];

export type SelfServiceRole = (typeof SELF_SERVICE_ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Refuses, with `code`, anyone but an admin doing `what`. */
export function requireAdmin(actor: Actor, code: string, what: string): void {
  if (!actor.roles.includes('admin')) {
    throw DomainError.permissionDenied(code, `only an admin may ${what}`, { actorId: actor.userId });
  }
}

export function requireKnownRole(role: string): void {
  if (!isRole(role)) {
    throw DomainError.invalid(
      'role-must-be-known',
      `"${role}" is not a role; roles are learner, instructor and admin`,
      { field: 'role' },
    );
  }
}
