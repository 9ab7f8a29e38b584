import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RpcError } from '@strata/shared-kernel';
import type { Logger } from '@strata/runtime';
import {
  ACCOUNT_API_SERVICE,
  ACCOUNT_LOGGER,
  IDENTITY_CLIENT,
  type IdentityClient,
} from './injection-tokens.ts';
import { SessionTokens, type TokenPair } from './session-tokens.ts';

export class RefreshCommand extends Command<TokenPair> {
  readonly refreshToken: string;
  /** The request id, sent as the calls' correlation id so one request can be followed across services. */
  readonly correlationId: string;

  constructor(refreshToken: string, correlationId: string) {
    super();
    this.refreshToken = refreshToken;
    this.correlationId = correlationId;
  }
}

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

  async execute({ refreshToken, correlationId }: RefreshCommand): Promise<TokenPair> {
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
    const user = await this.#identity.User.get(rotated.userId, {
      caller: { service: ACCOUNT_API_SERVICE, userId: rotated.userId },
      correlationId,
    });
    if (user.status !== 'active') {
      await this.#tokens.revokeFamily(rotated.familyId);
      throw new RpcError('UNAUTHENTICATED', 'this account is suspended; its logins are ended', {
        reason: 'suspended-user-cannot-log-in',
      });
    }
    return this.#tokens.pair({ id: user.id, roles: user.roles }, rotated.refreshToken);
  }
}
