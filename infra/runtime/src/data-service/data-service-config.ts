import { z } from '@strata/shared-kernel';
import { deploymentName, flag, list, logLevel, port, redisUrl } from '../env-fields.ts';
import { eventNamespace } from '../event-namespace.ts';
import { supervisedEnvShape } from '../topology-runner/supervised.ts';
import { housekeepingEnvShape } from './job-queues.ts';

/**
 * A data service's distributed-mode configuration, from the environment. Defaults match the
 * development stack (`npm run stack:up`); everything an operator must decide (TLS or plaintext)
 * has no default.
 */
const environmentSchema = z.object({
  STRATA_MYSQL_HOST: z.string().min(1).default('127.0.0.1'),
  STRATA_MYSQL_PORT: port.default(3306),
  STRATA_MYSQL_USER: z.string().min(1).default('root'),
  STRATA_MYSQL_PASSWORD: z.string().default(''),
  STRATA_MYSQL_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** The schema is `strata_<this>`; defaults to the service's own name. */
  STRATA_DATABASE_SERVICE: z.string().min(1).optional(),
  STRATA_MIGRATE: flag.default(false),
  STRATA_KAFKA_BROKERS: list.default(['127.0.0.1:9092']),
  /** Names the deployment in the event topics (`strata.<name>.<context>.events`); unset, the plain topics. */
  STRATA_EVENT_NAMESPACE: eventNamespace.optional(),
  /** The job queue's Redis: one queue per service, keys under `strata-<STRATA_DEPLOYMENT>`. */
  STRATA_REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  STRATA_DEPLOYMENT: deploymentName.optional(),
  ...housekeepingEnvShape,
  STRATA_RPC_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port; the registry announces the real one. */
  STRATA_RPC_PORT: port.default(0),
  /** The address callers dial, when it differs from the bind address (e.g. binding 0.0.0.0). */
  STRATA_RPC_ADVERTISE_HOST: z.string().min(1).optional(),
  STRATA_RPC_PLAINTEXT: flag.default(false),
  STRATA_TLS_CA_FILE: z.string().min(1).optional(),
  STRATA_TLS_CERT_FILE: z.string().min(1).optional(),
  STRATA_TLS_KEY_FILE: z.string().min(1).optional(),
  STRATA_TLS_ALLOWED_CALLERS: list.optional(),
  /**
   * etcd: registers under a lease; kubernetes: the cluster's Service and readiness probe make the
   * instance known (nothing to register); none: callers are given its address.
   */
  STRATA_REGISTRY: z.enum(['etcd', 'kubernetes', 'none']).default('etcd'),
  STRATA_ETCD_HOSTS: list.default(['http://127.0.0.1:2379']),
  STRATA_ETCD_PREFIX: z.string().min(2).optional(),
  STRATA_ETCD_LEASE_TTL_SECONDS: z.coerce.number().int().min(2).max(3600).default(10),
  /**
   * The admin port: `/health/live`, `/health/ready` and `/metrics` over plain HTTP, for probes and
   * Prometheus; unset, none.
   */
  STRATA_HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
  STRATA_HEALTH_PORT: port.optional(),
  /** How often readiness checks the database (and reports Kafka); unready, the instance leaves etcd. */
  STRATA_READINESS_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  STRATA_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  STRATA_LOG_LEVEL: logLevel.default('info'),
  ...supervisedEnvShape,
});

/** Serving needs an explicit choice between mutual TLS and plaintext; migrating opens no listener. */
function checkTlsChoice(env: z.output<typeof environmentSchema>, context: z.RefinementCtx): void {
  const tlsFiles = [env.STRATA_TLS_CA_FILE, env.STRATA_TLS_CERT_FILE, env.STRATA_TLS_KEY_FILE];
  const someTls = tlsFiles.some((file) => file !== undefined);
  if (env.STRATA_RPC_PLAINTEXT && someTls) {
    context.addIssue({
      code: 'custom',
      path: ['STRATA_RPC_PLAINTEXT'],
      message: 'is 1 while STRATA_TLS_* files are set; choose mutual TLS or plaintext, not both',
    });
  }
  if (!env.STRATA_RPC_PLAINTEXT) {
    const required = {
      STRATA_TLS_CA_FILE: env.STRATA_TLS_CA_FILE,
      STRATA_TLS_CERT_FILE: env.STRATA_TLS_CERT_FILE,
      STRATA_TLS_KEY_FILE: env.STRATA_TLS_KEY_FILE,
      STRATA_TLS_ALLOWED_CALLERS: env.STRATA_TLS_ALLOWED_CALLERS,
    };
    for (const [name, value] of Object.entries(required)) {
      if (value === undefined) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required for mutual TLS; or set STRATA_RPC_PLAINTEXT=1 to serve plaintext on purpose',
        });
      }
    }
  }
}

export type DataServiceConfig = z.output<typeof environmentSchema>;

/**
 * The schema to read the environment with: serving checks the TLS choice, migrating opens no
 * listener. `extra` is a service's own variables (commerce-service's payment provider), read and
 * refused in the same pass as the rest; what it parses to is `DataServiceConfig` and `extra`'s output.
 */
export function dataServiceConfigSchema(
  purpose: 'serve' | 'migrate',
  extra: z.ZodRawShape = {},
): z.ZodObject {
  const schema = environmentSchema.extend(extra);
  return purpose === 'serve'
    ? schema.superRefine((env, context) => checkTlsChoice(env as DataServiceConfig, context))
    : schema;
}
