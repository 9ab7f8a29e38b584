import { identityContract } from '@strata/identity/contract';
import {
  ConfigError,
  connectDataService,
  createLogger,
  serveHttpService,
  ShutdownSequence,
} from '@strata/runtime';
import { Redis } from 'ioredis';
import { readAccountApiConfig, type AccountApiConfig } from './account-api-config.ts';
import { createAccountApi } from './create-account-api.ts';
import { RedisAccountStore } from './redis-account-store.ts';

const MINUTE = 60_000;
const IDENTITY_SERVICE = 'identity-service';

/**
 * account-api as its own process: Redis for tokens, lockouts and keys; identity-service found in
 * etcd (or at one static address) and called through governance's ClusterInvoker over TCP, mutual
 * TLS unless plaintext is asked for by name. Registers in etcd for the gateway; stops cleanly on
 * SIGINT/SIGTERM.
 */
export async function runAccountApi(env: Record<string, string | undefined>): Promise<void> {
  let config: AccountApiConfig;
  try {
    config = readAccountApiConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Plain lines on stderr: an operator reads these before any log pipeline is up.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ service: 'account-api', level: config.STRATA_LOG_LEVEL });
  const shutdown = new ShutdownSequence();
  const redis = new Redis(config.STRATA_REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) =>
    logger.warn({ err: error }, `Redis at ${config.STRATA_REDIS_URL}: ${error.message}`),
  );
  shutdown.add('Redis', async () => void (await redis.quit()));
  const identity = await connectDataService({
    service: IDENTITY_SERVICE,
    contracts: [identityContract],
    env: config,
    staticAddress: config.STRATA_IDENTITY_ADDRESS,
    logger,
  });
  shutdown.add('identity-service connections', () => identity.close());
  const app = await createAccountApi({
    identity: identity.invoke,
    store: new RedisAccountStore(redis, config.STRATA_REDIS_KEY_PREFIX),
    logger,
    issuer: config.STRATA_TOKEN_ISSUER,
    audience: config.STRATA_TOKEN_AUDIENCE,
    accessTokenTtlMs: config.STRATA_ACCESS_TOKEN_TTL_MINUTES * MINUTE,
    refreshFamilyTtlMs: config.STRATA_REFRESH_FAMILY_TTL_MINUTES * MINUTE,
    keyRotationIntervalMs: config.STRATA_SIGNING_KEY_ROTATION_MINUTES * MINUTE,
    lockout: {
      maxFailures: config.STRATA_LOCKOUT_MAX_FAILURES,
      windowMs: config.STRATA_LOCKOUT_WINDOW_MINUTES * MINUTE,
    },
    bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
    healthChecks: [{ name: 'redis', check: async () => void (await redis.ping()) }, identity.healthCheck],
  });
  await serveHttpService({ service: 'account-api', app, env: config, logger, shutdown });
}
