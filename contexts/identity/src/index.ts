export type { Actor } from '@strata/shared-kernel';
export { displayNameText } from './domain/display-name.ts';
export { EmailAddress, EMAIL_MAX_LENGTH } from './domain/email-address.ts';
export type { EmailUniqueness } from './domain/email-uniqueness.ts';
export type { PasswordHasher } from './domain/password-hasher.ts';
export { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './domain/password-policy.ts';
export { isRole, ROLES, SELF_SERVICE_ROLES, type Role, type SelfServiceRole } from './domain/role.ts';
export { suspensionReasonText } from './domain/suspension-reason.ts';
export {
  User,
  type PasswordChange,
  type PasswordServices,
  type Registration,
  type RegistrationServices,
} from './domain/user.ts';
export type * from './user-events.ts';
export type { UserId } from './domain/user-id.ts';
export type { UserSnapshot } from './domain/user-snapshot.ts';
export { USER_STATUSES, type UserStatus } from './domain/user-status.ts';
export type { IdentityQueries } from './identity-queries.ts';
export { toUserView } from './user-view.ts';
export { identityGlossary } from './glossary.ts';
