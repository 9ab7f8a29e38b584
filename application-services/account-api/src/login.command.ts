import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RpcError } from '@strata/shared-kernel';
import type { LoginBody } from './account-api-schemas.ts';
import { identityCall, IdentityCommand } from './identity-call.ts';
import { IDENTITY_CLIENT, type IdentityClient } from './injection-tokens.ts';
import { LoginThrottle } from './login-throttle.ts';
import { SessionTokens, type TokenPair } from './session-tokens.ts';

export class LoginCommand extends IdentityCommand<LoginBody, TokenPair> {}

// One answer for "no such email" and "wrong password", so the API does not tell who has an account.
function credentialsDoNotMatch(): RpcError {
  return new RpcError('UNAUTHENTICATED', 'the email and password do not match', {
    reason: 'invalid-credentials',
  });
}

@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  readonly #identity: IdentityClient;
  readonly #throttle: LoginThrottle;
  readonly #tokens: SessionTokens;

  constructor(
    @Inject(IDENTITY_CLIENT) identity: IdentityClient,
    @Inject(LoginThrottle) throttle: LoginThrottle,
    @Inject(SessionTokens) tokens: SessionTokens,
  ) {
    this.#identity = identity;
    this.#throttle = throttle;
    this.#tokens = tokens;
  }

  async execute({ input, correlationId }: LoginCommand): Promise<TokenPair> {
    await this.#throttle.assertAllowed(input.email);
    const call = identityCall(correlationId);
    const found = await this.#identity.User.findByEmail({ email: input.email }, call);
    const user = found.items[0];
    if (user === undefined) {
      await this.#throttle.failed(input.email);
      throw credentialsDoNotMatch();
    }
    let authenticated;
    try {
      authenticated = await this.#identity.User.authenticate(user.id, { password: input.password }, call);
    } catch (error) {
      if (
        error instanceof RpcError &&
        error.code === 'PERMISSION_DENIED' &&
        error.reason === 'credentials-do-not-match'
      ) {
        await this.#throttle.failed(input.email);
        throw credentialsDoNotMatch();
      }
      throw error;
    }
    await this.#throttle.succeeded(input.email);
    return this.#tokens.startSession({ id: authenticated.id, roles: authenticated.roles });
  }
}
