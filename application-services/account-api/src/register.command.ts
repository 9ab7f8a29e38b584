import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { pointAtBodyField } from '@strata/runtime';
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
      // The domain names the refused field (a password without the required mix); the input is the body.
      throw pointAtBodyField(error);
    }
  }
}
