import { loadEnvConfig } from '@strata/runtime';
import { z } from '@strata/shared-kernel';

const flag = z.enum(['0', '1']).transform((value) => value === '1');
const port = z.coerce.number().int().min(0).max(65_535);
const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()))
  .pipe(z.array(z.string().min(1)).min(1));
const minutes = z.coerce.number().positive();

/**
 * account-api's distributed configuration. Defaults match the development stack; what an
 * operator must decide on purpose (mutual TLS or plaintext to the data services) has none.
 */
const schema = z
  .object({
    STRATA_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    STRATA_HTTP_PORT: port.default(3001),
    STRATA_HTTP_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(64 * 1024),
    STRATA_REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    /** Namespaces account-api's keys, so deployments (or test runs) can share one Redis. */
    STRATA_REDIS_KEY_PREFIX: z.string().min(1).default('strata:account-api:'),
    STRATA_TOKEN_ISSUER: z.string().min(1).default('strata-account-api'),
    STRATA_TOKEN_AUDIENCE: z.string().min(1).default('strata'),
    STRATA_ACCESS_TOKEN_TTL_MINUTES: minutes.max(60).default(10),
    STRATA_REFRESH_FAMILY_TTL_MINUTES: minutes.default(14 * 24 * 60),
    STRATA_SIGNING_KEY_ROTATION_MINUTES: minutes.default(24 * 60),
    STRATA_LOCKOUT_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    STRATA_LOCKOUT_WINDOW_MINUTES: minutes.default(15),
    /** etcd: identity-service instances come from the registry; static: one address, STRATA_IDENTITY_ADDRESS. */
    STRATA_REGISTRY: z.enum(['etcd', 'static']).default('etcd'),
    STRATA_ETCD_HOSTS: list.default(['http://127.0.0.1:2379']),
    STRATA_ETCD_PREFIX: z.string().min(2).optional(),
    STRATA_IDENTITY_ADDRESS: z
      .string()
      .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port')
      .optional(),
    STRATA_RPC_PLAINTEXT: flag.default(false),
    STRATA_TLS_CA_FILE: z.string().min(1).optional(),
    STRATA_TLS_CERT_FILE: z.string().min(1).optional(),
    STRATA_TLS_KEY_FILE: z.string().min(1).optional(),
    STRATA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .superRefine((env, context) => {
    if (env.STRATA_REGISTRY === 'static' && env.STRATA_IDENTITY_ADDRESS === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['STRATA_IDENTITY_ADDRESS'],
        message: 'is required when STRATA_REGISTRY=static',
      });
    }
    const tlsFiles = {
      STRATA_TLS_CA_FILE: env.STRATA_TLS_CA_FILE,
      STRATA_TLS_CERT_FILE: env.STRATA_TLS_CERT_FILE,
      STRATA_TLS_KEY_FILE: env.STRATA_TLS_KEY_FILE,
    };
    if (env.STRATA_RPC_PLAINTEXT) {
      if (Object.values(tlsFiles).some((file) => file !== undefined)) {
        context.addIssue({
          code: 'custom',
          path: ['STRATA_RPC_PLAINTEXT'],
          message: 'is 1 while STRATA_TLS_* files are set; choose mutual TLS or plaintext, not both',
        });
      }
      return;
    }
    for (const [name, value] of Object.entries(tlsFiles)) {
      if (value === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message:
            'is required for mutual TLS to the data services; or set STRATA_RPC_PLAINTEXT=1 to call them in plaintext on purpose',
        });
      }
    }
  });

export type AccountApiConfig = z.output<typeof schema>;

export function readAccountApiConfig(env: Record<string, string | undefined>): AccountApiConfig {
  return loadEnvConfig('account-api', schema, env);
}
