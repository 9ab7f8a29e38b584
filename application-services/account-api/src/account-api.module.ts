import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { identityContract } from '@strata/identity/contract';
import { createContractClient, type Invoke } from '@strata/rpc';
import {
  ACCESS_TOKEN_VERIFIER,
  JwtAccessTokenVerifier,
  RuntimeModule,
  type HealthCheck,
  type Logger,
} from '@strata/runtime';
import type { Clock } from '@strata/shared-kernel';
import { accountApiOpenApi } from './account-api-openapi.ts';
import type { AccountStore } from './account-store.ts';
import { AccountController } from './account.controller.ts';
import { GetMeHandler } from './get-me.query.ts';
import { ACCOUNT_LOGGER, IDENTITY_CLIENT } from './injection-tokens.ts';
import { LoginHandler } from './login.command.ts';
import { LoginThrottle, type LockoutPolicy } from './login-throttle.ts';
import { LogoutHandler } from './logout.command.ts';
import { RefreshHandler } from './refresh.command.ts';
import { RegisterHandler } from './register.command.ts';
import { SessionTokens, type TokenPolicy } from './session-tokens.ts';
import { SigningKeyRing } from './signing-key-ring.ts';

export interface AccountApiPolicy {
  tokens: TokenPolicy;
  lockout: LockoutPolicy;
  keyRotationIntervalMs: number;
}

export const DEFAULT_POLICY = {
  accessTokenTtlMs: 10 * 60_000,
  refreshFamilyTtlMs: 14 * 24 * 60 * 60_000,
  keyRotationIntervalMs: 24 * 60 * 60_000,
  lockout: { maxFailures: 5, windowMs: 15 * 60_000 },
} as const;

// Tolerated clock skew between account-api and verifiers, also added to how long a replaced key stays published.
const CLOCK_TOLERANCE_SECONDS = 5;

export interface AccountApiDependencies {
  /** How identity-service is reached: governance's ClusterInvoker distributed, `inProcessInvoke` embedded. */
  identity: Invoke;
  store: AccountStore;
  logger: Logger;
  clock: Clock;
  policy: AccountApiPolicy;
  healthChecks?: HealthCheck[];
}

@Module({})
export class AccountApiModule {
  static forRoot(dependencies: AccountApiDependencies): DynamicModule {
    const { store, clock, policy } = dependencies;
    const keyRing = new SigningKeyRing({
      store,
      clock,
      rotationIntervalMs: policy.keyRotationIntervalMs,
      retentionMs: policy.tokens.accessTokenTtlMs + CLOCK_TOLERANCE_SECONDS * 1000,
    });
    return {
      module: AccountApiModule,
      imports: [
        CqrsModule.forRoot(),
        RuntimeModule.forRoot({
          openApi: accountApiOpenApi(),
          healthChecks: dependencies.healthChecks ?? [],
        }),
      ],
      controllers: [AccountController],
      providers: [
        {
          provide: IDENTITY_CLIENT,
          useValue: createContractClient(identityContract, {
            service: 'identity-service',
            invoke: dependencies.identity,
          }),
        },
        { provide: ACCOUNT_LOGGER, useValue: dependencies.logger },
        { provide: SigningKeyRing, useValue: keyRing },
        { provide: SessionTokens, useValue: new SessionTokens(keyRing, store, clock, policy.tokens) },
        { provide: LoginThrottle, useValue: new LoginThrottle(store, policy.lockout) },
        {
          provide: ACCESS_TOKEN_VERIFIER,
          useValue: new JwtAccessTokenVerifier({
            keys: keyRing.verificationKey,
            issuer: policy.tokens.issuer,
            audience: policy.tokens.audience,
            algorithms: ['EdDSA'],
            clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
            clock,
          }),
        },
        RegisterHandler,
        LoginHandler,
        RefreshHandler,
        LogoutHandler,
        GetMeHandler,
      ],
    };
  }
}
