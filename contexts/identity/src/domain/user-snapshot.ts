import type { EmailAddress } from './email-address.ts';
import type { Role } from './role.ts';
import type { UserId } from './user-id.ts';
import type { UserStatus } from './user-status.ts';

/**
 * Everything a user is, as one immutable value: what a store writes (`User.toSnapshot()`) and
 * hands back to `User.restore()`. It carries the password hash, so it goes to storage only: views
 * and events are built field by field from the user's getters.
 */
export interface UserSnapshot {
  readonly id: UserId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly email: EmailAddress;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly status: UserStatus;
  readonly suspensionReason: string | null;
  readonly emailVerifiedAt: Date | null;
  readonly registeredAt: Date;
}
