import {
  accessTokenEnvShape,
  checkDataServiceEnv,
  dataServiceEnvShape,
  hostPort,
  httpServiceEnv,
} from '@strata/runtime';
import { z } from '@strata/shared-kernel';

/**
 * studio-api's distributed configuration. Defaults match the development stack; what an operator
 * must decide on purpose (mutual TLS or plaintext to commerce-service) has none.
 */
export const studioApiConfig = z
  .object({
    ...httpServiceEnv({ port: 3002, bodyLimitBytes: 64 * 1024 }),
    /** account-api's published signing keys; tokens are verified here, never trusted from headers. */
    STRATA_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
    ...accessTokenEnvShape,
    ...dataServiceEnvShape,
    STRATA_COMMERCE_ADDRESS: hostPort.optional(),
  })
  .superRefine((env, context) => checkDataServiceEnv(env, context, 'STRATA_COMMERCE_ADDRESS'));

export type StudioApiConfig = z.output<typeof studioApiConfig>;
