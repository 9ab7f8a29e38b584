import type { UserView } from './contract.ts';
import type { User } from './domain/user.ts';

/**
 * What the contract shows of a user. Built field by field, never by spreading the aggregate, so
 * the password hash cannot slip into a view when a field is added to User.
 */
export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    emailVerified: user.emailVerified,
    roles: [...user.roles],
    status: user.status,
    suspensionReason: user.suspensionReason,
    registeredAt: user.registeredAt.toISOString(),
  };
}
