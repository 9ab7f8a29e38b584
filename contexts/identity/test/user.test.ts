import { describe, expect, it } from '@jest/globals';
import { FixedClock, newId } from '@strata/shared-kernel';
import { PASSWORD_MAX_LENGTH, User } from '@strata/identity';
import { expectedEvent, expectRefusal, expectRejection } from '@strata/shared-kernel/test-support';
import { FakePasswordHasher } from './fake-password-hasher.ts';
import { InMemoryEmailUniqueness } from './in-memory-email-uniqueness.ts';
import {
  aLearner,
  actingAs,
  anAdmin,
  anInstructor,
  aRegistration,
  REGISTERED_AT,
  services,
  someoneElse,
  STRONG_PASSWORD,
} from './user.mother.ts';

const LATER = '2026-03-05T14:30:00.000Z';
const hasher = new FakePasswordHasher();

function event(user: User, type: string, payload: unknown, occurredAt = LATER) {
  return expectedEvent(user, type, payload, occurredAt);
}

describe('registering a user', () => {
  it('opens an active learner account with a normalised email, a hash and no password anywhere in the event', async () => {
    const id = newId<'User'>();
    const user = await User.register(
      aRegistration({ email: '  Ada@Example.ORG ', displayName: '  Ada Lovelace ' }),
      services(),
      id,
    );

    expect({ ...user.toSnapshot(), email: user.email }).toMatchObject({
      id,
      email: 'ada@example.org',
      displayName: 'Ada Lovelace',
      roles: ['learner'],
      status: 'active',
      emailVerifiedAt: null,
      registeredAt: new Date(REGISTERED_AT),
      passwordHash: `fake-hash(${STRONG_PASSWORD})`,
    });
    expect(user.emailVerified).toBe(false);
    expect(user.pendingEvents).toEqual([
      event(
        user,
        'UserRegistered',
        { userId: id, email: 'ada@example.org', displayName: 'Ada Lovelace', roles: ['learner'] },
        REGISTERED_AT,
      ),
    ]);
    expect(JSON.stringify(user.pendingEvents)).not.toContain(STRONG_PASSWORD);
    expect(JSON.stringify(user.pendingEvents)).not.toContain('fake-hash');
  });

  it('makes someone who registers to teach both an instructor and a learner', async () => {
    const user = await User.register(aRegistration({ registerAs: 'instructor' }), services());
    expect(user.roles).toEqual(['learner', 'instructor']);
    expect(user.pendingEvents[0]?.payload).toMatchObject({ roles: ['learner', 'instructor'] });
  });

  it('asks whether the email is taken with the normalised spelling', async () => {
    const deps = services();
    await User.register(aRegistration({ email: 'GRACE@Example.org' }), deps);
    expect(deps.emailUniqueness.asked).toEqual(['grace@example.org']);
  });

  it('refuses an email that already has an account, whatever its spelling', async () => {
    const deps = { ...services(), emailUniqueness: new InMemoryEmailUniqueness(['ada@example.org']) };
    await expectRejection(
      () => User.register(aRegistration({ email: 'ADA@example.org' }), deps),
      'email-already-registered',
      'CONFLICT',
    );
  });

  it.each([
    ['without an @', 'not-an-email'],
    ['without a dot in the domain', 'ada@localhost'],
    ['with a space', 'ada @example.org'],
    ['without a local part', '@example.org'],
    ['longer than 254 characters', `${'a'.repeat(250)}@example.org`],
  ])('refuses an email %s', async (_label, email) => {
    await expectRejection(
      () => User.register(aRegistration({ email }), services()),
      'email-must-be-a-valid-address',
      'INVALID_ARGUMENT',
    );
  });

  it.each([
    ['   ', 'display-name-must-be-1-to-80-characters'],
    ['x'.repeat(81), 'display-name-must-be-1-to-80-characters'],
    ['Ada\u202Eecalevol', 'display-name-must-not-contain-control-characters'],
    ['Ada\nAdmin', 'display-name-must-not-contain-control-characters'],
  ])('refuses the display name %j', async (displayName, code) => {
    await expectRejection(
      () => User.register(aRegistration({ displayName }), services()),
      code,
      'INVALID_ARGUMENT',
    );
  });

  it.each([
    ['of 11 characters', 'Short-pass1', 'password-too-short'],
    ['of 257 characters', 'a1'.repeat(PASSWORD_MAX_LENGTH / 2) + 'x', 'password-too-long'],
    ['of lower-case letters only', 'alllowercaseletters', 'password-must-mix-character-classes'],
    ['of digits only', '123456789012345', 'password-must-mix-character-classes'],
    ['equal to the email', 'ada@example.org', 'password-must-not-match-email'],
    ['equal to the email in capitals', 'ADA@EXAMPLE.ORG', 'password-must-not-match-email'],
  ])('refuses a password %s, before any lookup', async (_label, password, code) => {
    const deps = services();
    await expectRejection(
      () => User.register(aRegistration({ email: 'ada@example.org', password }), deps),
      code,
      'INVALID_ARGUMENT',
    );
    expect(deps.emailUniqueness.asked).toEqual([]);
  });

  it('refuses a password equal to the part of the email before the @', async () => {
    await expectRejection(
      () =>
        User.register(
          aRegistration({ email: 'Lovelace1815@example.org', password: 'lovelace1815' }),
          services(),
        ),
      'password-must-not-match-email',
      'INVALID_ARGUMENT',
    );
  });

  it('accepts a long passphrase of two character classes', async () => {
    const user = await User.register(aRegistration({ password: 'four words all lower' }), services());
    expect(user.toSnapshot().passwordHash).toBe('fake-hash(four words all lower)');
  });

  it('refuses anyone registering themselves as an admin', async () => {
    const registration = { ...aRegistration(), registerAs: 'admin' as 'learner' };
    await expectRejection(
      () => User.register(registration, services()),
      'admin-role-cannot-be-self-assigned',
      'PERMISSION_DENIED',
    );
  });
});

describe('logging in', () => {
  it('accepts the right password for an active user and records nothing', async () => {
    const user = await aLearner();
    await user.authenticate(STRONG_PASSWORD, hasher);
    expect(user.pendingEvents).toEqual([]);
  });

  it('refuses a wrong password', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () => user.authenticate('Wrong-password-1', hasher),
      'credentials-do-not-match',
      'PERMISSION_DENIED',
    );
  });

  it('refuses a suspended user with the right password', async () => {
    const user = await aLearner();
    user.suspend('spam', anAdmin(), new FixedClock(LATER));
    user.markSaved();
    await expectRefusal(
      user,
      () => user.authenticate(STRONG_PASSWORD, hasher),
      'suspended-user-cannot-log-in',
      'PERMISSION_DENIED',
    );
  });

  it('answers a suspended user’s wrong password as wrong credentials, revealing nothing about the suspension', async () => {
    const user = await aLearner();
    user.suspend('spam', anAdmin(), new FixedClock(LATER));
    user.markSaved();
    await expectRefusal(
      user,
      () => user.authenticate('Wrong-password-1', hasher),
      'credentials-do-not-match',
      'PERMISSION_DENIED',
    );
  });
});

describe('verifying an email', () => {
  it('marks the email verified once and records EmailVerified', async () => {
    const user = await aLearner();
    user.verifyEmail(new FixedClock(LATER));
    expect(user.emailVerified).toBe(true);
    expect(user.toSnapshot().emailVerifiedAt).toEqual(new Date(LATER));
    expect(user.pendingEvents).toEqual([
      event(user, 'EmailVerified', { userId: user.id, email: 'ada@example.org' }),
    ]);
  });

  it('refuses to verify twice', async () => {
    const user = await aLearner();
    user.verifyEmail(new FixedClock(LATER));
    user.markSaved();
    await expectRefusal(
      user,
      () => user.verifyEmail(new FixedClock(LATER)),
      'email-already-verified',
      'RULE_VIOLATION',
    );
  });
});

describe('changing a password', () => {
  const deps = { hasher, clock: new FixedClock(LATER) };
  const NEW_PASSWORD = 'Another-long-secret-9';

  it('stores the new hash and records PasswordChanged without any secret', async () => {
    const user = await aLearner();
    await user.changePassword(
      { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
      actingAs(user),
      deps,
    );
    expect(user.toSnapshot().passwordHash).toBe(`fake-hash(${NEW_PASSWORD})`);
    expect(user.pendingEvents).toEqual([event(user, 'PasswordChanged', { userId: user.id })]);
    await user.authenticate(NEW_PASSWORD, hasher);
  });

  it('refuses when the current password does not match', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () =>
        user.changePassword(
          { currentPassword: 'Not-the-password-1', newPassword: NEW_PASSWORD },
          actingAs(user),
          deps,
        ),
      'current-password-does-not-match',
      'PERMISSION_DENIED',
    );
  });

  it('refuses anyone but the user, even an admin', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () =>
        user.changePassword({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }, anAdmin(), deps),
      'only-the-user-may-change-their-password',
      'PERMISSION_DENIED',
    );
  });

  it('refuses a suspended user', async () => {
    const user = await aLearner();
    user.suspend('chargebacks', anAdmin(), new FixedClock(LATER));
    user.markSaved();
    await expectRefusal(
      user,
      () =>
        user.changePassword(
          { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
          actingAs(user),
          deps,
        ),
      'suspended-user-cannot-change-password',
      'PERMISSION_DENIED',
    );
  });

  it('applies the password policy to the new password', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () =>
        user.changePassword(
          { currentPassword: STRONG_PASSWORD, newPassword: 'tooshort' },
          actingAs(user),
          deps,
        ),
      'password-too-short',
      'INVALID_ARGUMENT',
    );
    await expectRefusal(
      user,
      () =>
        user.changePassword(
          { currentPassword: STRONG_PASSWORD, newPassword: 'Ada@Example.org' },
          actingAs(user),
          deps,
        ),
      'password-must-not-match-email',
      'INVALID_ARGUMENT',
    );
  });

  it('refuses a new password equal to the current one', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () =>
        user.changePassword(
          { currentPassword: STRONG_PASSWORD, newPassword: STRONG_PASSWORD },
          actingAs(user),
          deps,
        ),
      'new-password-must-differ-from-current',
      'INVALID_ARGUMENT',
    );
  });
});

describe('granting and revoking roles', () => {
  const clock = new FixedClock(LATER);

  it('lets an admin grant a role and records RoleGranted naming the admin', async () => {
    const user = await aLearner();
    const admin = anAdmin();
    user.grantRole('instructor', admin, clock);
    expect(user.roles).toEqual(['learner', 'instructor']);
    expect(user.pendingEvents).toEqual([
      event(user, 'RoleGranted', { userId: user.id, role: 'instructor', grantedBy: admin.userId }),
    ]);
  });

  it('changes nothing when the role is already held, so a retried grant is harmless', async () => {
    const user = await anInstructor();
    user.grantRole('instructor', anAdmin(), clock);
    expect(user.roles).toEqual(['learner', 'instructor']);
    expect(user.pendingEvents).toEqual([]);
  });

  it('refuses a grant by anyone but an admin, including the user themselves', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () => user.grantRole('admin', actingAs(user), clock),
      'only-an-admin-may-grant-roles',
      'PERMISSION_DENIED',
    );
    await expectRefusal(
      user,
      () => user.grantRole('instructor', someoneElse(), clock),
      'only-an-admin-may-grant-roles',
      'PERMISSION_DENIED',
    );
  });

  it('refuses a role that does not exist', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () => user.grantRole('superuser' as 'admin', anAdmin(), clock),
      'role-must-be-known',
      'INVALID_ARGUMENT',
    );
  });

  it('lets an admin revoke a role and records RoleRevoked naming the admin', async () => {
    const user = await anInstructor();
    const admin = anAdmin();
    user.revokeRole('instructor', admin, clock);
    expect(user.roles).toEqual(['learner']);
    expect(user.pendingEvents).toEqual([
      event(user, 'RoleRevoked', { userId: user.id, role: 'instructor', revokedBy: admin.userId }),
    ]);
  });

  it('changes nothing when revoking a role the user does not hold', async () => {
    const user = await aLearner();
    user.revokeRole('admin', anAdmin(), clock);
    expect(user.roles).toEqual(['learner']);
    expect(user.pendingEvents).toEqual([]);
  });

  it('refuses a revocation by anyone but an admin', async () => {
    const user = await anInstructor();
    await expectRefusal(
      user,
      () => user.revokeRole('instructor', someoneElse(), clock),
      'only-an-admin-may-revoke-roles',
      'PERMISSION_DENIED',
    );
  });

  it('refuses an admin revoking their own admin role, so the last admin can never lose it', async () => {
    const user = await aLearner();
    user.grantRole('admin', anAdmin(), clock);
    user.markSaved();
    await expectRefusal(
      user,
      () => user.revokeRole('admin', actingAs(user), clock),
      'admins-cannot-revoke-their-own-admin-role',
      'RULE_VIOLATION',
    );
  });

  it('lets an admin drop their own other roles', async () => {
    const user = await anInstructor();
    user.grantRole('admin', anAdmin(), clock);
    user.markSaved();
    user.revokeRole('instructor', actingAs(user), clock);
    expect(user.roles).toEqual(['learner', 'admin']);
    expect(user.pendingEvents).toEqual([
      event(user, 'RoleRevoked', { userId: user.id, role: 'instructor', revokedBy: user.id }),
    ]);
  });
});

describe('suspending and reinstating', () => {
  const clock = new FixedClock(LATER);

  it('lets an admin suspend a user for a stated reason', async () => {
    const user = await aLearner();
    const admin = anAdmin();
    user.suspend('  repeated spam in course reviews ', admin, clock);
    expect(user.status).toBe('suspended');
    expect(user.suspensionReason).toBe('repeated spam in course reviews');
    expect(user.pendingEvents).toEqual([
      event(user, 'UserSuspended', {
        userId: user.id,
        reason: 'repeated spam in course reviews',
        suspendedBy: admin.userId,
      }),
    ]);
  });

  it('changes nothing when suspending a suspended user; the first reason stands', async () => {
    const user = await aLearner();
    user.suspend('spam', anAdmin(), clock);
    user.markSaved();
    user.suspend('something else', anAdmin(), clock);
    expect(user.suspensionReason).toBe('spam');
    expect(user.pendingEvents).toEqual([]);
  });

  it('refuses a suspension by anyone but an admin', async () => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () => user.suspend('spam', someoneElse(), clock),
      'only-an-admin-may-suspend-users',
      'PERMISSION_DENIED',
    );
  });

  it('refuses an admin suspending themselves', async () => {
    const user = await aLearner();
    user.grantRole('admin', anAdmin(), clock);
    user.markSaved();
    await expectRefusal(
      user,
      () => user.suspend('taking a break', actingAs(user), clock),
      'admins-cannot-suspend-themselves',
      'RULE_VIOLATION',
    );
  });

  it.each([
    ['a blank', '   '],
    ['a 501-character', 'x'.repeat(501)],
  ])('refuses %s suspension reason', async (_label, reason) => {
    const user = await aLearner();
    await expectRefusal(
      user,
      () => user.suspend(reason, anAdmin(), clock),
      'suspension-reason-must-be-1-to-500-characters',
      'INVALID_ARGUMENT',
    );
  });

  it('lets an admin reinstate a suspended user, who can then log in again', async () => {
    const user = await aLearner();
    user.suspend('spam', anAdmin(), clock);
    user.markSaved();
    const admin = anAdmin();
    user.reinstate(admin, clock);
    expect(user.status).toBe('active');
    expect(user.suspensionReason).toBeNull();
    expect(user.pendingEvents).toEqual([
      event(user, 'UserReinstated', { userId: user.id, reinstatedBy: admin.userId }),
    ]);
    await user.authenticate(STRONG_PASSWORD, hasher);
  });

  it('changes nothing when reinstating an active user', async () => {
    const user = await aLearner();
    user.reinstate(anAdmin(), clock);
    expect(user.pendingEvents).toEqual([]);
  });

  it('refuses a reinstatement by anyone but an admin, including the suspended user', async () => {
    const user = await aLearner();
    user.suspend('spam', anAdmin(), clock);
    user.markSaved();
    await expectRefusal(
      user,
      () => user.reinstate(actingAs(user), clock),
      'only-an-admin-may-reinstate-users',
      'PERMISSION_DENIED',
    );
  });
});

describe('a user restored from their snapshot', () => {
  it('behaves like the one that was saved, its state reachable only through the snapshot', async () => {
    const saved = await aLearner();
    const restored = User.restore(saved.toSnapshot());

    // Only the id is an own property; the state, the version and the events are all `#` fields.
    expect(Object.keys(restored)).toEqual(['id']);
    expect(restored.toSnapshot()).toEqual(saved.toSnapshot());
    await restored.authenticate(STRONG_PASSWORD, hasher);
    restored.verifyEmail(new FixedClock(LATER));
    expect(restored.pendingEvents).toEqual([
      event(restored, 'EmailVerified', { userId: saved.id, email: 'ada@example.org' }),
    ]);
  });
});
