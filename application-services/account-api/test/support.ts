import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { stackEndpoints } from '@strata/dev-stack';
import { createIdentityService } from '@strata/identity-service';
import { inProcessInvoke, type RpcRequest } from '@strata/rpc';
import { createLogger } from '@strata/runtime';
import {
  sqliteDataService,
  call as callUrl,
  listenOnFreePort,
  type Answer,
  type CallOptions,
} from '@strata/runtime/test-support';
import { FixedClock, newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { createAccountApi, MemoryAccountStore, RedisAccountStore } from '../src/index.ts';

export const ISSUER = 'https://account-api.strata.test';
export const AUDIENCE = 'strata';

/** A clock that starts at the real now and moves only when told, so expiry is tested without sleeping. */
export class TestClock extends FixedClock {
  constructor() {
    super(new Date());
  }
}

export interface Harness {
  url: string;
  app: NestFastifyApplication;
  clock: TestClock;
  logLines: string[];
  /** Every request account-api sent to identity-service, as the real handler received it. */
  identityRequests: RpcRequest[];
  close(): Promise<void>;
}

/**
 * account-api over the real identity-service handler on a fresh SQLite file, its state on real
 * Redis (a prefix of its own; distributed) or in memory (embedded).
 */
export async function startAccountApi(store: 'redis' | 'memory' = 'redis'): Promise<Harness> {
  const logLines: string[] = [];
  const logger = createLogger({
    service: 'account-api',
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  const identity = await sqliteDataService(createIdentityService, { logger });
  const redis = new Redis(stackEndpoints().redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const prefix = `t:account-api:${newId()}:`;
  const clock = new TestClock();
  const identityRequests: RpcRequest[] = [];
  const toIdentity = inProcessInvoke(identity.service.handler);
  const app = await createAccountApi({
    identity: (request, options) => {
      identityRequests.push(structuredClone(request));
      return toIdentity(request, options);
    },
    store: store === 'redis' ? new RedisAccountStore(redis, prefix) : new MemoryAccountStore(),
    logger,
    clock,
    issuer: ISSUER,
    audience: AUDIENCE,
    lockout: { maxFailures: 5, windowMs: 15 * 60_000 },
    healthChecks: [{ name: 'redis', check: async () => void (await redis.ping()) }],
  });
  return {
    url: await listenOnFreePort(app, 'account-api'),
    app,
    clock,
    logLines,
    identityRequests,
    async close() {
      await app.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await identity.stop();
    },
  };
}

export type { Answer };

/** One request to the harness's app; see `call` in the runtime's test support. */
export function call(harness: Harness, method: string, path: string, options?: CallOptions): Promise<Answer> {
  return callUrl(harness.url, method, path, options);
}

let counter = 0;

/** A registration nobody else in the run uses. */
export function newAccount() {
  counter += 1;
  return {
    email: `user-${counter}-${newId().slice(-8)}@example.org`,
    password: 'Correct-Horse-42',
    displayName: `User ${counter}`,
  };
}
