import {
  EmailAddress,
  toUserView,
  User,
  type EmailUniqueness,
  type IdentityQueries,
  type PasswordHasher,
} from '@strata/identity';
import { type identityContract } from '@strata/identity/contract';
import { actorOf, type ContractImplementation } from '@strata/rpc';

export interface IdentityPorts {
  hasher: PasswordHasher;
  emailUniqueness: EmailUniqueness;
  queries: IdentityQueries;
}

/**
 * The identity contract served by the User aggregate: each handler turns the call into one
 * domain method; who may do what is decided there, from the actor.
 */
export function identityImplementation(
  ports: IdentityPorts,
): ContractImplementation<typeof identityContract, { User: User }> {
  const { hasher, emailUniqueness, queries } = ports;
  return {
    User: {
      aggregateType: 'User',
      toView: toUserView,
      creations: {
        register: (input, context) => User.register(input, { hasher, emailUniqueness, clock: context.clock }),
      },
      commands: {
        verifyEmail: (user, _input, context) => user.verifyEmail(context.clock),
        changePassword: (user, input, context) =>
          user.changePassword(input, actorOf(context), { hasher, clock: context.clock }),
        grantRole: (user, input, context) => user.grantRole(input.role, actorOf(context), context.clock),
        revokeRole: (user, input, context) => user.revokeRole(input.role, actorOf(context), context.clock),
        suspend: (user, input, context) => user.suspend(input.reason, actorOf(context), context.clock),
        reinstate: (user, _input, context) => user.reinstate(actorOf(context), context.clock),
      },
      queries: {
        authenticate: async (user, input) => {
          await user.authenticate(input.password, hasher);
          return toUserView(user);
        },
        // Emails are unique once normalised, so a page holds at most one user.
        findByEmail: async (input) => {
          const user = await queries.userWithEmail(EmailAddress.of(input.email));
          return { items: user === null ? [] : [user], nextCursor: null };
        },
      },
    },
  };
}
