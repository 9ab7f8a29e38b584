import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SessionTokens } from './session-tokens.ts';

export class LogoutCommand extends Command<void> {
  readonly refreshToken: string;

  constructor(refreshToken: string) {
    super();
    this.refreshToken = refreshToken;
  }
}

/** Ends the whole login (every refresh token of the family); access tokens already issued live out their few minutes. */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  readonly #tokens: SessionTokens;

  constructor(@Inject(SessionTokens) tokens: SessionTokens) {
    this.#tokens = tokens;
  }

  execute({ refreshToken }: LogoutCommand): Promise<void> {
    return this.#tokens.revoke(refreshToken);
  }
}
