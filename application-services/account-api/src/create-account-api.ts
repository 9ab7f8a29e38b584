import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@strata/runtime';
import { systemClock } from '@strata/shared-kernel';
import { AccountApiModule, DEFAULT_POLICY, type AccountApiDependencies } from './account-api.module.ts';

export interface AccountApiOptions extends Omit<AccountApiDependencies, 'policy' | 'clock'> {
  /** `iss` of the tokens; verifiers (gateway, other apps) must expect the same. */
  issuer: string;
  /** `aud` of the tokens. */
  audience: string;
  clock?: AccountApiDependencies['clock'];
  accessTokenTtlMs?: number;
  refreshFamilyTtlMs?: number;
  keyRotationIntervalMs?: number;
  lockout?: AccountApiDependencies['policy']['lockout'];
  bodyLimitBytes?: number;
}

/**
 * account-api as an app not yet listening: `await app.listen({ port, host })` to serve it on its
 * own (main.ts), or host it in the embedded runner's process with an in-process identity invoke.
 */
export function createAccountApi(options: AccountApiOptions): Promise<NestFastifyApplication> {
  const module = AccountApiModule.forRoot({
    identity: options.identity,
    store: options.store,
    logger: options.logger,
    clock: options.clock ?? systemClock,
    healthChecks: options.healthChecks,
    policy: {
      tokens: {
        issuer: options.issuer,
        audience: options.audience,
        accessTokenTtlMs: options.accessTokenTtlMs ?? DEFAULT_POLICY.accessTokenTtlMs,
        refreshFamilyTtlMs: options.refreshFamilyTtlMs ?? DEFAULT_POLICY.refreshFamilyTtlMs,
      },
      lockout: options.lockout ?? DEFAULT_POLICY.lockout,
      keyRotationIntervalMs: options.keyRotationIntervalMs ?? DEFAULT_POLICY.keyRotationIntervalMs,
    },
  });
  return createHttpApp(module, { logger: options.logger, bodyLimitBytes: options.bodyLimitBytes });
}
