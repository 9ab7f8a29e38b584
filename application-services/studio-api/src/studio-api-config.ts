import {
  checkDataServiceEnv,
  dataServiceEnvShape,
  hostPort,
  httpBodyLimitBytes,
  httpServiceEnvShape,
  port,
} from '@strata/runtime';
import { z } from '@strata/shared-kernel';

/**
 * studio-api's distributed configuration. Defaults match the development stack; what an operator
 * must decide on purpose (mutual TLS or plaintext to commerce-service) has none.
 */
export const studioApiConfig = z
  .object({
    ...httpServiceEnvShape,
    STRATA_HTTP_PORT: port.default(3002),
    STRATA_HTTP_BODY_LIMIT_BYTES: httpBodyLimitBytes.default(64 * 1024),
    /** account-api's published signing keys; tokens are verified here, never trusted from headers. */
    STRATA_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
    STRATA_TOKEN_ISSUER: z.string().min(1).default('strata-account-api'),
    STRATA_TOKEN_AUDIENCE: z.string().min(1).default('strata'),
    ...dataServiceEnvShape,
    STRATA_COMMERCE_ADDRESS: hostPort.optional(),
  })
  .superRefine((env, context) => checkDataServiceEnv(env, context, 'STRATA_COMMERCE_ADDRESS'));

export type StudioApiConfig = z.output<typeof studioApiConfig>;
