/**
 * What a user may do on the platform. A learner takes courses, an instructor authors and sells
 * them, an admin governs users and moderates the catalog. A user may hold several at once.
 */
export const ROLES = ['learner', 'instructor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** The roles a person may choose for themselves when registering; admin is only ever granted. */
export const SELF_SERVICE_ROLES = ['learner', 'instructor'] as const satisfies readonly Role[];

export type SelfServiceRole = (typeof SELF_SERVICE_ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
