import { defineGlossary } from '@strata/shared-kernel';

/** The identity context's ubiquitous language, as the people who run the platform speak it. */
export const identityGlossary = defineGlossary({
  context: 'identity',
  terms: [
    {
      term: 'User',
      definition:
        'A person with an account on the platform. Each user has a permanent identifier that never changes, even if their email or name does.',
      avoid: ['member', 'customer', 'account holder'],
      refs: [
        'User',
        'User.id',
        'UserRegistered.userId',
        'EmailVerified.userId',
        'PasswordChanged.userId',
        'RoleGranted.userId',
        'RoleRevoked.userId',
        'UserSuspended.userId',
        'UserReinstated.userId',
      ],
    },
    {
      term: 'Registration',
      definition:
        'How a person becomes a user: they give their email address, a password and a display name, and say whether they come to learn or to teach. The platform records when they registered.',
      avoid: ['sign-up', 'account creation'],
      refs: ['User.register', 'UserRegistered', 'User.registeredAt', 'User.register.registerAs'],
    },
    {
      term: 'Email address',
      definition:
        'The address the platform writes to and the name a user logs in with. It is stored in one spelling (no surrounding spaces, lower case), and no two users share one.',
      avoid: ['login', 'username'],
      refs: [
        'User.email',
        'User.register.email',
        'UserRegistered.email',
        'EmailVerified.email',
        'User.findByEmail',
        'User.findByEmail.email',
      ],
    },
    {
      term: 'Email verification',
      definition:
        'The proof that a user can read mail sent to their address, given once by following the link the platform mails them. It cannot be given twice.',
      avoid: ['email confirmation', 'activation'],
      refs: ['User.verifyEmail', 'EmailVerified', 'User.emailVerified'],
    },
    {
      term: 'Password',
      definition:
        'The secret a user proves who they are with. The platform never keeps it as typed, only a one-way fingerprint of it, and never shows it or passes it on.',
      avoid: ['PIN', 'passcode'],
      refs: [
        'User.register.password',
        'User.changePassword.currentPassword',
        'User.changePassword.newPassword',
        'User.authenticate.password',
      ],
    },
    {
      term: 'Password policy',
      definition:
        'What a new password must be: at least 12 characters, a mix of at least two kinds of character (lower case, upper case, digits, others), and not the email address or the part of it before the @.',
      refs: ['User.register.password', 'User.changePassword.newPassword'],
    },
    {
      term: 'Password change',
      definition:
        'A user replacing their password with a new one, which needs the current password. Only the user themselves can do it, and not while suspended.',
      avoid: ['password reset'],
      refs: ['User.changePassword', 'PasswordChanged'],
    },
    {
      term: 'Logging in',
      definition:
        'A user proving who they are with their email address and password. A wrong password is refused without saying whether the account exists or is suspended; a suspended user cannot log in.',
      avoid: ['sign-on', 'authorisation'],
      refs: ['User.authenticate'],
    },
    {
      term: 'Display name',
      definition:
        'The name other people see for a user, next to their courses and reviews: 1 to 80 characters.',
      avoid: ['username', 'nickname'],
      refs: ['User.displayName', 'User.register.displayName', 'UserRegistered.displayName'],
    },
    {
      term: 'Role',
      definition:
        'What a user may do on the platform: learner, instructor or admin. A user may hold several roles at once.',
      avoid: ['permission', 'group'],
      refs: [
        'User.roles',
        'UserRegistered.roles',
        'User.grantRole.role',
        'User.revokeRole.role',
        'RoleGranted.role',
        'RoleRevoked.role',
      ],
    },
    {
      term: 'Learner',
      definition: 'The role of someone who takes courses. Every user is a learner from registration on.',
      avoid: ['student', 'customer'],
      refs: ['User.roles', 'User.register.registerAs'],
    },
    {
      term: 'Instructor',
      definition:
        'The role of someone who writes, prices and publishes courses. Anyone may register as an instructor; an admin may also grant or revoke the role.',
      avoid: ['teacher', 'author', 'creator'],
      refs: ['User.roles', 'User.register.registerAs'],
    },
    {
      term: 'Admin',
      definition:
        'The role of someone who looks after the platform: grants and revokes roles, suspends and reinstates users. Nobody can register as an admin, and an admin cannot remove their own admin role, so there is always at least one.',
      avoid: ['superuser', 'root', 'moderator'],
      refs: ['User.roles'],
    },
    {
      term: 'Granting a role',
      definition:
        'An admin giving a user a role. Giving a role the user already has changes nothing. The platform records which admin did it.',
      refs: ['User.grantRole', 'RoleGranted', 'RoleGranted.grantedBy'],
    },
    {
      term: 'Revoking a role',
      definition:
        'An admin taking a role away from a user. Taking away a role the user does not have changes nothing. The platform records which admin did it.',
      avoid: ['removing a role'],
      refs: ['User.revokeRole', 'RoleRevoked', 'RoleRevoked.revokedBy'],
    },
    {
      term: 'Standing',
      definition: 'Whether a user is active (may log in and use the platform) or suspended.',
      avoid: ['state'],
      refs: ['User.status'],
    },
    {
      term: 'Suspension',
      definition:
        'An admin barring a user from logging in or changing their password, for a stated reason, without deleting anything. An admin cannot suspend themselves. The platform records the reason and which admin did it.',
      avoid: ['ban', 'block', 'deactivation'],
      refs: ['User.suspend', 'UserSuspended', 'UserSuspended.suspendedBy'],
    },
    {
      term: 'Suspension reason',
      definition:
        'Why a user was suspended, in 1 to 500 characters, kept for the next admin and shown to the user.',
      refs: ['User.suspensionReason', 'User.suspend.reason', 'UserSuspended.reason'],
    },
    {
      term: 'Reinstatement',
      definition:
        'An admin lifting a suspension: the user is active again. The platform records which admin did it.',
      avoid: ['unban', 'reactivation'],
      refs: ['User.reinstate', 'UserReinstated', 'UserReinstated.reinstatedBy'],
    },
  ],
});
