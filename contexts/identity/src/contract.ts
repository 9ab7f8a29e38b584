import {
  aggregate,
  command,
  creation,
  defineContract,
  firstVersionEvents,
  finder,
  plainText,
  query,
  z,
} from '@strata/shared-kernel';
import { displayName, email, role } from './identity-fields.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './domain/password-policy.ts';
import { SELF_SERVICE_ROLES } from './domain/role.ts';
import { suspensionReasonText } from './domain/suspension-reason.ts';
import { userEventPayloads } from './user-events.ts';
import { USER_STATUSES } from './domain/user-status.ts';

/*
 * The identity context's published language. Who is acting travels in RPC metadata, never in an
 * input: the domain reads it to decide, so no input can claim to be someone else.
 *
 * No schema here has a place for a password hash: the view and every event are built from the
 * fields below, and a password appears only in the inputs that must carry one.
 */

// The policy's finer rules (mixed character classes, not the email) are the domain's; the
// boundary only holds the lengths, so an oversized password is refused before it is hashed.
const newPassword = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
const givenPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);
const suspensionReason = plainText(suspensionReasonText);

export const UserView = z.object({
  id: z.uuid(),
  email,
  displayName,
  emailVerified: z.boolean(),
  roles: z.array(role),
  status: z.enum(USER_STATUSES),
  suspensionReason: z.string().max(suspensionReasonText.maxLength).nullable(),
  registeredAt: z.iso.datetime(),
});

export type UserView = z.infer<typeof UserView>;

export const identityContract = defineContract({
  context: 'identity',
  callPolicy: {
    // Password hashing makes call costs uneven: the instance with the fewest calls in flight is best.
    balancing: 'least-pending',
    timeoutMs: 5_000,
    // Each sign-in costs a deliberately slow hash; a runaway caller must not starve the others.
    rateLimit: { ratePerSecond: 200, burst: 50 },
    // A backup query would only double a slow hash's cost.
    hedgeQueries: false,
  },
  aggregates: {
    User: aggregate({
      id: z.uuid(),
      view: UserView,
      creations: {
        register: creation({
          input: z.object({
            email,
            password: newPassword,
            displayName,
            registerAs: z.enum(SELF_SERVICE_ROLES).default('learner'),
          }),
        }),
      },
      commands: {
        verifyEmail: command({ input: z.object({}), idempotent: false }),
        changePassword: command({
          input: z.object({ currentPassword: givenPassword, newPassword }),
          idempotent: false,
        }),
        grantRole: command({ input: z.object({ role }), idempotent: true }),
        revokeRole: command({ input: z.object({ role }), idempotent: true }),
        suspend: command({
          input: z.object({ reason: suspensionReason }),
          idempotent: true,
        }),
        reinstate: command({ input: z.object({}), idempotent: true }),
      },
      queries: {
        authenticate: query({ input: z.object({ password: givenPassword }) }),
        findByEmail: finder({ input: z.object({ email }) }),
      },
      // Every event is at its first schema version; a breaking change adds a version beside it.
      events: firstVersionEvents(userEventPayloads),
    }),
  },
});
