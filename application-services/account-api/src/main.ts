import 'reflect-metadata';
import { identityContract } from '@strata/identity/contract';
import { runApplicationService } from '@strata/runtime';
import { Redis } from 'ioredis';
import { accountApiConfig } from './account-api-config.ts';
import { createAccountApi } from './create-account-api.ts';
import { RedisAccountStore } from './redis-account-store.ts';

const MINUTE = 60_000;

// `node --import @strata/runtime/typescript application-services/account-api/src/main.ts`:
// account-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001), with
// Redis for tokens, lockouts and signing keys, and identity-service behind it.
await runApplicationService(
  {
    name: 'account-api',
    config: accountApiConfig,
    dataServices: {
      identity: {
        service: 'identity-service',
        contracts: [identityContract],
        staticAddress: 'STRATA_IDENTITY_ADDRESS',
      },
    },
    create({ config, logger, shutdown, dataServices, healthChecks }) {
      const redis = new Redis(config.STRATA_REDIS_URL, { maxRetriesPerRequest: 2 });
      redis.on('error', (error) =>
        logger.warn({ err: error }, `Redis at ${config.STRATA_REDIS_URL}: ${error.message}`),
      );
      shutdown.add('Redis', async () => void (await redis.quit()));
      return createAccountApi({
        identity: dataServices.identity,
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
        healthChecks: [{ name: 'redis', check: async () => void (await redis.ping()) }, ...healthChecks],
      });
    },
  },
  process.env,
);
