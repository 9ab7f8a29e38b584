import {
  checkDataServiceEnv,
  dataServiceEnvShape,
  hostPort,
  httpServiceEnvShape,
  loadEnvConfig,
} from '@strata/runtime';
import { z } from '@strata/shared-kernel';

/**
 * studio-api's distributed configuration. Defaults match the development stack; what an operator
 * must decide on purpose (mutual TLS or plaintext to commerce-service) has none.
 */
const schema = z
  .object({
    ...httpServiceEnvShape,
    STRATA_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(3002),
    STRATA_HTTP_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(64 * 1024),
    /** account-api's published signing keys; tokens are verified here, never trusted from headers. */
    STRATA_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
    STRATA_TOKEN_ISSUER: z.string().min(1).default('strata-account-api'),
    STRATA_TOKEN_AUDIENCE: z.string().min(1).default('strata'),
    ...dataServiceEnvShape,
    STRATA_COMMERCE_ADDRESS: hostPort.optional(),
  })
  .superRefine((env, context) => checkDataServiceEnv(env, context, 'STRATA_COMMERCE_ADDRESS'));

export type StudioApiConfig = z.output<typeof schema>;

export function readStudioApiConfig(env: Record<string, string | undefined>): StudioApiConfig {
  return loadEnvConfig('studio-api', schema, env);
}
