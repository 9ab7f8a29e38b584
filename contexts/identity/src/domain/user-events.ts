import type { Role } from './role.ts';

// What a User announces. No payload ever carries a password or its hash: events are copied to
// Kafka, logs and read models that must never hold a credential.

export interface UserRegistered {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

export interface EmailVerified {
  readonly userId: string;
  readonly email: string;
}

export interface PasswordChanged {
  readonly userId: string;
}

export interface RoleGranted {
  readonly userId: string;
  readonly role: Role;
  readonly grantedBy: string;
}

export interface RoleRevoked {
  readonly userId: string;
  readonly role: Role;
  readonly revokedBy: string;
}

export interface UserSuspended {
  readonly userId: string;
  readonly reason: string;
  readonly suspendedBy: string;
}

export interface UserReinstated {
  readonly userId: string;
  readonly reinstatedBy: string;
}

export interface UserEventPayloads {
  UserRegistered: UserRegistered;
  EmailVerified: EmailVerified;
  PasswordChanged: PasswordChanged;
  RoleGranted: RoleGranted;
  RoleRevoked: RoleRevoked;
  UserSuspended: UserSuspended;
  UserReinstated: UserReinstated;
}

export type UserEventType = keyof UserEventPayloads;
