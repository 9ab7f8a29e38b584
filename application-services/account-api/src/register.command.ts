import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegisterBody, UserView } from './account-api-schemas.ts';
import { ACCOUNT_API_SERVICE, IDENTITY_CLIENT, type IdentityClient } from './injection-tokens.ts';

export class RegisterCommand extends Command<UserView> {
  readonly input: RegisterBody;

  constructor(input: RegisterBody) {
    super();
    this.input = input;
  }
}

@CommandHandler(RegisterCommand)
export class RegisterHandler implements ICommandHandler<RegisterCommand> {
  readonly #identity: IdentityClient;

  constructor(@Inject(IDENTITY_CLIENT) identity: IdentityClient) {
    this.#identity = identity;
  }

  execute(command: RegisterCommand): Promise<UserView> {
    return this.#identity.User.register(command.input, { caller: { service: ACCOUNT_API_SERVICE } });
  }
}
