import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RpcError } from '@strata/shared-kernel';
import type { RegisterBody, UserView } from './account-api-schemas.ts';
import { identityCall, IdentityCommand } from './identity-call.ts';
import { IDENTITY_CLIENT, type IdentityClient } from './injection-tokens.ts';

export class RegisterCommand extends IdentityCommand<RegisterBody, UserView> {}

@CommandHandler(RegisterCommand)
export class RegisterHandler implements ICommandHandler<RegisterCommand> {
  readonly #identity: IdentityClient;

  constructor(@Inject(IDENTITY_CLIENT) identity: IdentityClient) {
    this.#identity = identity;
  }

  async execute(command: RegisterCommand): Promise<UserView> {
    try {
      return await this.#identity.User.register(command.input, identityCall(command.correlationId));
    } catch (error) {
      throw pointAtBodyField(error);
    }
  }
}

/**
 * The domain refuses a value (a password without the required mix) naming the field in its
 * details; the register input is the request body, so the caller is told which body field.
 */
function pointAtBodyField(error: unknown): unknown {
  const field = error instanceof RpcError ? error.details?.['field'] : undefined;
  if (
    !(error instanceof RpcError) ||
    error.code !== 'INVALID_ARGUMENT' ||
    error.issues.length > 0 ||
    typeof field !== 'string'
  ) {
    return error;
  }
  return new RpcError('INVALID_ARGUMENT', error.message, {
    reason: error.reason,
    details: error.details,
    issues: [
      {
        path: ['body', field],
        message: error.message,
        ...(error.reason === undefined ? {} : { code: error.reason }),
      },
    ],
    cause: error,
  });
}
