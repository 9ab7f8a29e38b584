import { AggregateRoot, DomainError, newId, normalisePlainText, type Clock } from '@strata/shared-kernel';
import type { Actor } from '@strata/shared-kernel';
import { displayNameText } from './display-name.ts';
import { EmailAddress } from './email-address.ts';
import type { EmailUniqueness } from './email-uniqueness.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import {
  requireAdmin,
  requireKnownRole,
  SELF_SERVICE_ROLES,
  type Role,
  type SelfServiceRole,
} from './role.ts';
import { suspensionReasonText } from './suspension-reason.ts';
import type { UserEventPayloads, UserEventType } from '../user-events.ts';
import type { UserId } from './user-id.ts';
import type { UserSnapshot } from './user-snapshot.ts';
import type { UserStatus } from './user-status.ts';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  /** Anyone may sign up to learn or to teach; admin is only ever granted by another admin. */
  readonly registerAs?: SelfServiceRole;
}

export interface RegistrationServices {
  readonly hasher: PasswordHasher;
  readonly emailUniqueness: EmailUniqueness;
  readonly clock: Clock;
}

export interface PasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

export interface PasswordServices {
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
}

/**
 * A person with an account: how they prove who they are, what they may do (roles) and whether
 * they are in good standing. The password itself never reaches this object's state, only its
 * hash, and the hash never leaves it through an event or a view (the snapshot a store keeps is
 * the one way out).
 *
 * Its state is private (`#`, ADR 0008); a store keeps it through `toSnapshot()` and brings it back
 * with `User.restore()`.
 */
export class User extends AggregateRoot<UserId> {
  declare readonly id: UserId;
  // Every field in one private record: the snapshot a store keeps, less the kernel's id and version.
  readonly #fields: { -readonly [K in Exclude<keyof UserSnapshot, 'id' | 'version'>]: UserSnapshot[K] };

  private constructor(snapshot: UserSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** A user as a store kept them: no rule runs and no event is recorded, it already happened. */
  static restore(snapshot: UserSnapshot): User {
    return new User(snapshot);
  }

  toSnapshot(): UserSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'User' {
    return 'User';
  }

  get email(): string {
    return this.#fields.email.value;
  }

  get displayName(): string {
    return this.#fields.displayName;
  }

  get roles(): readonly Role[] {
    return this.#fields.roles;
  }

  get status(): UserStatus {
    return this.#fields.status;
  }

  get suspensionReason(): string | null {
    return this.#fields.suspensionReason;
  }

  get registeredAt(): Date {
    return new Date(this.#fields.registeredAt);
  }

  get emailVerified(): boolean {
    return this.#fields.emailVerifiedAt !== null;
  }

  hasRole(role: Role): boolean {
    return this.#fields.roles.includes(role);
  }

  /**
   * Opens an account. Cheap checks run first so that a malformed request never costs a lookup or
   * a hash; the uniqueness question is asked with the normalised email.
   */
  static async register(
    registration: Registration,
    services: RegistrationServices,
    id: UserId = newId<'User'>(),
  ): Promise<User> {
    const email = EmailAddress.of(registration.email);
    const displayName = normalisePlainText(registration.displayName, displayNameText);
    const registerAs = registration.registerAs ?? 'learner';
    if (!(SELF_SERVICE_ROLES as readonly string[]).includes(registerAs)) {
      throw DomainError.permissionDenied(
        'admin-role-cannot-be-self-assigned',
        `one cannot register as "${registerAs}"; only learner or instructor`,
        { field: 'registerAs' },
      );
    }
    checkPasswordPolicy(registration.password, email.value);
    if (await services.emailUniqueness.isTaken(email.value)) {
      throw DomainError.conflict(
        'email-already-registered',
        `an account with the email ${email.value} already exists`,
        { field: 'email' },
      );
    }
    const passwordHash = await services.hasher.hash(registration.password);
    // Every user may learn; an instructor teaches as well.
    const roles: Role[] = registerAs === 'instructor' ? ['learner', 'instructor'] : ['learner'];
    const registeredAt = services.clock.now();
    const user = new User({
      id,
      version: 0,
      email,
      displayName,
      passwordHash,
      roles,
      status: 'active',
      suspensionReason: null,
      emailVerifiedAt: null,
      registeredAt,
    });
    user.#emit(
      'UserRegistered',
      { userId: id, email: email.value, displayName, roles: [...roles] },
      registeredAt,
    );
    return user;
  }

  /**
   * Checks a login attempt. The password is checked before the standing, so that someone without
   * the password learns nothing about whether the account is suspended.
   */
  async authenticate(password: string, hasher: PasswordHasher): Promise<void> {
    if (!(await hasher.verify(password, this.#fields.passwordHash))) {
      throw DomainError.permissionDenied('credentials-do-not-match', 'the email and password do not match');
    }
    if (this.#fields.status === 'suspended') {
      throw DomainError.permissionDenied(
        'suspended-user-cannot-log-in',
        'this account is suspended; an admin can reinstate it',
        { userId: this.id },
      );
    }
  }

  /** Confirms that the user controls the mailbox. It happens once; a second attempt is refused. */
  verifyEmail(clock: Clock): void {
    if (this.#fields.emailVerifiedAt !== null) {
      throw new DomainError(
        'email-already-verified',
        `the email ${this.#fields.email.value} was already verified`,
        {
          details: { userId: this.id, verifiedAt: this.#fields.emailVerifiedAt.toISOString() },
        },
      );
    }
    const verifiedAt = clock.now();
    this.#fields.emailVerifiedAt = verifiedAt;
    this.#emit('EmailVerified', { userId: this.id, email: this.#fields.email.value }, verifiedAt);
  }

  async changePassword(change: PasswordChange, actor: Actor, services: PasswordServices): Promise<void> {
    if (actor.userId !== this.id) {
      throw DomainError.permissionDenied(
        'only-the-user-may-change-their-password',
        'a password can only be changed by its owner',
        { userId: this.id },
      );
    }
    if (this.#fields.status === 'suspended') {
      throw DomainError.permissionDenied(
        'suspended-user-cannot-change-password',
        'this account is suspended; an admin can reinstate it',
        { userId: this.id },
      );
    }
    checkPasswordPolicy(change.newPassword, this.#fields.email.value);
    if (change.newPassword === change.currentPassword) {
      throw DomainError.invalid(
        'new-password-must-differ-from-current',
        'the new password is the same as the current one',
        { field: 'newPassword' },
      );
    }
    if (!(await services.hasher.verify(change.currentPassword, this.#fields.passwordHash))) {
      throw DomainError.permissionDenied(
        'current-password-does-not-match',
        'the current password given is not this account’s password',
        { field: 'currentPassword' },
      );
    }
    this.#fields.passwordHash = await services.hasher.hash(change.newPassword);
    this.#emit('PasswordChanged', { userId: this.id }, services.clock.now());
  }

  /** Granting a role the user already holds changes nothing, so a retried grant is harmless. */
  grantRole(role: Role, actor: Actor, clock: Clock): void {
    requireAdmin(actor, 'only-an-admin-may-grant-roles', 'grant roles');
    requireKnownRole(role);
    if (this.hasRole(role)) return;
    this.#fields.roles = [...this.#fields.roles, role];
    this.#emit('RoleGranted', { userId: this.id, role, grantedBy: actor.userId }, clock.now());
  }

  /**
   * Revoking a role the user does not hold changes nothing. An admin cannot revoke their own admin
   * role: since only admins revoke it, this is what guarantees the platform keeps at least one.
   */
  revokeRole(role: Role, actor: Actor, clock: Clock): void {
    requireAdmin(actor, 'only-an-admin-may-revoke-roles', 'revoke roles');
    requireKnownRole(role);
    if (role === 'admin' && actor.userId === this.id) {
      throw new DomainError(
        'admins-cannot-revoke-their-own-admin-role',
        'an admin cannot revoke their own admin role; another admin must',
        { details: { userId: this.id } },
      );
    }
    if (!this.hasRole(role)) return;
    this.#fields.roles = this.#fields.roles.filter((held) => held !== role);
    this.#emit('RoleRevoked', { userId: this.id, role, revokedBy: actor.userId }, clock.now());
  }

  /** Suspending a suspended user changes nothing (the first reason stands). */
  suspend(reason: string, actor: Actor, clock: Clock): void {
    requireAdmin(actor, 'only-an-admin-may-suspend-users', 'suspend users');
    if (actor.userId === this.id) {
      throw new DomainError(
        'admins-cannot-suspend-themselves',
        'an admin cannot suspend their own account; another admin must',
        { details: { userId: this.id } },
      );
    }
    const stated = normalisePlainText(reason, suspensionReasonText);
    if (this.#fields.status === 'suspended') return;
    this.#fields.status = 'suspended';
    this.#fields.suspensionReason = stated;
    this.#emit('UserSuspended', { userId: this.id, reason: stated, suspendedBy: actor.userId }, clock.now());
  }

  /** Reinstating an active user changes nothing. */
  reinstate(actor: Actor, clock: Clock): void {
    requireAdmin(actor, 'only-an-admin-may-reinstate-users', 'reinstate users');
    if (this.#fields.status === 'active') return;
    this.#fields.status = 'active';
    this.#fields.suspensionReason = null;
    this.#emit('UserReinstated', { userId: this.id, reinstatedBy: actor.userId }, clock.now());
  }

  #emit<TType extends UserEventType>(type: TType, payload: UserEventPayloads[TType], occurredAt: Date): void {
    this.record(type, payload, occurredAt);
  }
}
