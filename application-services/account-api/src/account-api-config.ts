import {
  accessTokenEnvShape,
  checkDataServiceEnv,
  dataServiceEnvShape,
  hostPort,
  httpServiceEnv,
} from '@strata/runtime';
import { z } from '@strata/shared-kernel';

const minutes = z.coerce.number().positive();

/**
 * account-api's distributed configuration. Defaults match the development stack; what an
 * operator must decide on purpose (mutual TLS or plaintext to the data services) has none.
 */
export const accountApiConfig = z
  .object({
    ...httpServiceEnv({ port: 3001, bodyLimitBytes: 64 * 1024 }),
    STRATA_REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    /** Namespaces account-api's keys, so deployments (or test runs) can share one Redis. */
    STRATA_REDIS_KEY_PREFIX: z.string().min(1).default('strata:account-api:'),
    ...accessTokenEnvShape,
    STRATA_ACCESS_TOKEN_TTL_MINUTES: minutes.max(60).default(10),
    STRATA_REFRESH_FAMILY_TTL_MINUTES: minutes.default(14 * 24 * 60),
    STRATA_SIGNING_KEY_ROTATION_MINUTES: minutes.default(24 * 60),
    STRATA_LOCKOUT_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    STRATA_LOCKOUT_WINDOW_MINUTES: minutes.default(15),
    ...dataServiceEnvShape,
    STRATA_IDENTITY_ADDRESS: hostPort.optional(),
  })
  .superRefine((env, context) => checkDataServiceEnv(env, context, 'STRATA_IDENTITY_ADDRESS'));

export type AccountApiConfig = z.output<typeof accountApiConfig>;
