import { Body, Controller, Get, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { LoginBody, RefreshTokenBody, RegisterBody, type UserView } from './account-api-schemas.ts';
import { GetMeQuery } from './get-me.query.ts';
import { LoginCommand } from './login.command.ts';
import { LogoutCommand } from './logout.command.ts';
import { RefreshCommand } from './refresh.command.ts';
import { RegisterCommand } from './register.command.ts';
import type { TokenPair } from './session-tokens.ts';
import { SigningKeyRing } from './signing-key-ring.ts';

@Controller()
export class AccountController {
  readonly #commands: CommandBus;
  readonly #queries: QueryBus;
  readonly #keys: SigningKeyRing;

  constructor(
    @Inject(CommandBus) commands: CommandBus,
    @Inject(QueryBus) queries: QueryBus,
    @Inject(SigningKeyRing) keys: SigningKeyRing,
  ) {
    this.#commands = commands;
    this.#queries = queries;
    this.#keys = keys;
  }

  @Post('auth/register')
  @HttpCode(201)
  register(
    @Body(new ZodValidationPipe(RegisterBody, 'body')) body: RegisterBody,
    @RequestId() requestId: string,
  ): Promise<UserView> {
    return this.#commands.execute(new RegisterCommand(body, requestId));
  }

  @Post('auth/login')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  login(
    @Body(new ZodValidationPipe(LoginBody, 'body')) body: LoginBody,
    @RequestId() requestId: string,
  ): Promise<TokenPair> {
    return this.#commands.execute(new LoginCommand(body, requestId));
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  refresh(
    @Body(new ZodValidationPipe(RefreshTokenBody, 'body')) body: RefreshTokenBody,
    @RequestId() requestId: string,
  ): Promise<TokenPair> {
    return this.#commands.execute(new RefreshCommand(body, requestId));
  }

  @Post('auth/logout')
  @HttpCode(204)
  logout(@Body(new ZodValidationPipe(RefreshTokenBody, 'body')) body: RefreshTokenBody): Promise<void> {
    return this.#commands.execute(new LogoutCommand(body.refreshToken));
  }

  @Get('me')
  @UseGuards(BearerAuthGuard)
  me(@Caller() caller: VerifiedCaller, @RequestId() requestId: string): Promise<UserView> {
    return this.#queries.execute(new GetMeQuery({ caller, correlationId: requestId }));
  }

  // Short cache: verifiers refetch on an unknown kid anyway, and a new key signs only after it is published here.
  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=60')
  jwks(): Promise<{ keys: unknown[] }> {
    return this.#keys.jwks();
  }
}
