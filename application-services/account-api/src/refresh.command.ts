import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RpcError } from '@strata/shared-kernel';
import type { Logger } from '@strata/runtime';
import type { RefreshTokenBody } from './account-api-schemas.ts';
import { identityCall, IdentityCommand } from './identity-call.ts';
import { ACCOUNT_LOGGER, IDENTITY_CLIENT, type IdentityClient } from './injection-tokens.ts';
import { SessionTokens, type TokenPair } from './session-tokens.ts';

export class RefreshCommand extends IdentityCommand<RefreshTokenBody, TokenPair> {}

@CommandHandler(RefreshCommand)
export class RefreshHandler implements ICommandHandler<RefreshCommand> {
  readonly #identity: IdentityClient;
  readonly #tokens: SessionTokens;
  readonly #logger: Logger;

  constructor(
    @Inject(IDENTITY_CLIENT) identity: IdentityClient,
    @Inject(SessionTokens) tokens: SessionTokens,
    @Inject(ACCOUNT_LOGGER) logger: Logger,
  ) {
    this.#identity = identity;
    this.#tokens = tokens;
    this.#logger = logger;
  }

  async execute({ input: { refreshToken }, correlationId }: RefreshCommand): Promise<TokenPair> {
    let rotated;
    try {
      rotated = await this.#tokens.rotate(refreshToken);
    } catch (error) {
      if (error instanceof RpcError && error.reason === 'refresh-token-reused') {
        this.#logger.warn(
          { userId: error.details?.['userId'] },
          'a spent refresh token was presented: its login is revoked (a stolen token, or a client that retried a refresh)',
        );
      }
      throw error;
    }
    // Roles and standing are read again, so a role granted or a suspension takes effect at the next refresh.
    const user = await this.#identity.User.get(
      rotated.userId,
      identityCall(correlationId, { userId: rotated.userId }),
    );
    if (user.status !== 'active') {
      await this.#tokens.revokeFamily(rotated.familyId);
      throw new RpcError('UNAUTHENTICATED', 'this account is suspended; its logins are ended', {
        reason: 'suspended-user-cannot-log-in',
      });
    }
    return this.#tokens.pair({ id: user.id, roles: user.roles }, rotated.refreshToken);
  }
}
