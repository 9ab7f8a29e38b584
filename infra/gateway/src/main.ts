// The gateway as a deployable (distributed mode): configuration from the environment, etcd as
// the registry, Redis (or memory) for rate limits, SIGTERM/SIGINT drain then exit.
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BullMqJobs, jobQueuePrefix } from '@strata/jobs/bullmq';
import { EtcdRegistry, KubernetesRegistry, type ServiceRegistry } from '@strata/rpc';
import {
  deploymentName,
  kubernetesDiscoveryEnvShape,
  kubernetesRegistryOptions,
  list,
  listOf,
  loadProcessConfig,
  logLevel,
  port,
} from '@strata/runtime/env';
import { logDestination, registerScrapeTarget } from '@strata/runtime/plain-process';
import { stopWhenSupervisorLeaves, supervisedEnvShape } from '@strata/runtime/supervised';
import { pino } from 'pino';
import { z } from '@strata/shared-kernel';
import { Gateway } from './gateway.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';
import { createStaticSiteHandler } from './static-site.ts';

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    // ENOENT, ENOTDIR, EACCES: for a start-up check all mean this is no directory we can serve.
    return false;
  }
}

const envSchema = z.object({
  STRATA_GATEWAY_HOST: z.string().default('127.0.0.1'),
  STRATA_GATEWAY_PORT: port.default(8080),
  STRATA_GATEWAY_ADMIN_HOST: z.string().default('127.0.0.1'),
  STRATA_GATEWAY_ADMIN_PORT: port.default(8081),
  STRATA_GATEWAY_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters (a generated secret)'),
  STRATA_GATEWAY_ETCD_PREFIX: z
    .string()
    .regex(/^\/.*[^/]$/, 'must start with "/" and not end with one')
    .default('/strata/services'),
  STRATA_GATEWAY_ROUTES: z.string().default(fileURLToPath(new URL('../routes.json', import.meta.url))),
  STRATA_GATEWAY_RATE_LIMIT_STORE: z.enum(['redis', 'memory']).default('redis'),
  STRATA_GATEWAY_RATE_LIMIT_ON_STORE_ERROR: z.enum(['open', 'closed']).default('open'),
  // Prepended as is to every rate-limit key, so deployments (or test runs) sharing a Redis keep apart.
  STRATA_GATEWAY_RATE_LIMIT_PREFIX: z.string().min(1).optional(),
  // Checked here, not at the first request, so a typo in a deploy fails the start like the other settings.
  STRATA_GATEWAY_DOCS_DIR: z
    .string()
    .min(1)
    .transform((dir) => path.resolve(dir))
    .refine(isDirectory, {
      error: (issue) => `no directory at ${String(issue.input)}`,
    })
    .optional(),
  STRATA_GATEWAY_JWKS_URL: z.url().optional(),
  STRATA_GATEWAY_JWT_ISSUER: z.string().min(1).default('strata-account-api'),
  STRATA_GATEWAY_JWT_AUDIENCE: z.string().min(1).default('strata'),
  STRATA_GATEWAY_JWT_ALGORITHMS: listOf(z.enum(['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'])).default([
    'ES256',
    'EdDSA',
  ]),
  STRATA_GATEWAY_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  STRATA_GATEWAY_VERIFIED_TOKEN_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  STRATA_GATEWAY_MAX_HEADER_BYTES: z.coerce.number().int().min(1024).default(16_384),
  STRATA_GATEWAY_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  STRATA_GATEWAY_LOG_LEVEL: logLevel.default('info'),
  /** The data services whose job queues `GET /jobs` on the admin API shows (their queues on Redis). */
  STRATA_GATEWAY_JOB_QUEUES: list.optional(),
  /** The deployment the queues belong to: their Redis keys are under `strata-<deployment>`. */
  STRATA_DEPLOYMENT: deploymentName.optional(),
  // The registry and the rate-limit store, under the names every other process reads them by.
  /** etcd on bare machines; kubernetes: the application services' Services (EndpointSlices or DNS). */
  STRATA_REGISTRY: z.enum(['etcd', 'kubernetes']).default('etcd'),
  ...kubernetesDiscoveryEnvShape,
  STRATA_ETCD_HOSTS: list.default(['http://127.0.0.1:2379']),
  STRATA_REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  ...supervisedEnvShape,
});

const env = loadProcessConfig('gateway', envSchema, process.env);
if (env === undefined) process.exit();
const logger = pino({ name: 'gateway', level: env.STRATA_GATEWAY_LOG_LEVEL }, logDestination());

// Embedded mode builds a Gateway in-process with the shared InProcessRegistry instead of running this file.
const registry: ServiceRegistry =
  env.STRATA_REGISTRY === 'kubernetes'
    ? // Application services serve plain HTTP on the Service port named http.
      new KubernetesRegistry({ ...kubernetesRegistryOptions(env), portNames: ['http'], tls: false, logger })
    : new EtcdRegistry({ hosts: env.STRATA_ETCD_HOSTS, prefix: env.STRATA_GATEWAY_ETCD_PREFIX, logger });
const rateLimiter: RateLimiter =
  env.STRATA_GATEWAY_RATE_LIMIT_STORE === 'redis'
    ? await RedisRateLimiter.open({
        url: env.STRATA_REDIS_URL,
        onStoreError: env.STRATA_GATEWAY_RATE_LIMIT_ON_STORE_ERROR,
        logger,
        ...(env.STRATA_GATEWAY_RATE_LIMIT_PREFIX === undefined
          ? {}
          : { keyPrefix: env.STRATA_GATEWAY_RATE_LIMIT_PREFIX }),
      })
    : new MemoryRateLimiter();

// Only read here (counts and failures); the data services run the jobs.
const jobQueues = Object.fromEntries(
  (env.STRATA_GATEWAY_JOB_QUEUES ?? []).map((service) => [
    service,
    new BullMqJobs({
      redisUrl: env.STRATA_REDIS_URL,
      prefix: jobQueuePrefix(env.STRATA_DEPLOYMENT),
      queue: service,
      onError: (error) => logger.warn({ error: error.message }, `job queue ${service}`),
    }),
  ]),
);
const closeJobQueues = () => Promise.all(Object.values(jobQueues).map((queue) => queue.close()));

const gateway = new Gateway({
  registry,
  jobQueues,
  rateLimiter,
  routesPath: env.STRATA_GATEWAY_ROUTES,
  adminToken: env.STRATA_GATEWAY_ADMIN_TOKEN,
  host: env.STRATA_GATEWAY_HOST,
  port: env.STRATA_GATEWAY_PORT,
  adminHost: env.STRATA_GATEWAY_ADMIN_HOST,
  adminPort: env.STRATA_GATEWAY_ADMIN_PORT,
  maxHeaderBytes: env.STRATA_GATEWAY_MAX_HEADER_BYTES,
  health: { intervalMs: env.STRATA_GATEWAY_HEALTH_INTERVAL_MS },
  logger,
  ...(env.STRATA_GATEWAY_DOCS_DIR === undefined
    ? {}
    : {
        localMounts: [
          {
            prefix: '/docs',
            handler: createStaticSiteHandler({ dir: env.STRATA_GATEWAY_DOCS_DIR, basePath: '/docs' }),
          },
        ],
      }),
  ...(env.STRATA_GATEWAY_JWKS_URL === undefined
    ? {}
    : {
        auth: {
          jwksUrl: env.STRATA_GATEWAY_JWKS_URL,
          issuer: env.STRATA_GATEWAY_JWT_ISSUER,
          audience: env.STRATA_GATEWAY_JWT_AUDIENCE,
          algorithms: env.STRATA_GATEWAY_JWT_ALGORITHMS,
          jwksCooldownMs: env.STRATA_GATEWAY_JWKS_COOLDOWN_MS,
          clockToleranceSeconds: 5,
          verifiedCacheMs: env.STRATA_GATEWAY_VERIFIED_TOKEN_CACHE_MS,
        },
      }),
});

let scrapeTarget: { close(): Promise<void> } | undefined;
try {
  const { url, adminUrl } = await gateway.start();
  // Prometheus finds the admin port (its /metrics, behind the admin token) where it finds every process's.
  if (env.STRATA_REGISTRY !== 'kubernetes') {
    const admin = new URL(adminUrl);
    scrapeTarget = await registerScrapeTarget({
      service: 'gateway',
      host: admin.hostname,
      port: Number(admin.port),
      etcdHosts: env.STRATA_ETCD_HOSTS,
      servicesPrefix: env.STRATA_GATEWAY_ETCD_PREFIX,
      logger,
    });
  }
  console.log(JSON.stringify({ ready: true, url, adminUrl }));
} catch (error) {
  logger.fatal({ error: (error as Error).message }, 'gateway could not start');
  await Promise.allSettled([registry.close(), rateLimiter.close(), closeJobQueues(), scrapeTarget?.close()]);
  process.exit(1);
}

let stopping = false;
const stop = (reason: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'draining in-flight requests, then exiting');
  void gateway
    .stop()
    .then(() => Promise.all([registry.close(), rateLimiter.close(), closeJobQueues(), scrapeTarget?.close()]))
    .then(() => process.exit(0));
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(`${signal} received`));
stopWhenSupervisorLeaves(stop, env.STRATA_SUPERVISED);
