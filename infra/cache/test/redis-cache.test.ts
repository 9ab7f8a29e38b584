import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { stackEndpoints } from '@strata/dev-stack';
import { CacheArgumentError, CacheUnavailableError, invalidationHandlers, RedisCache } from '../src/index.ts';
import {
  CapturingLogger,
  closedPort,
  deferred,
  dropPrefix,
  eventually,
  redisClient,
  uniquePrefix,
  whenCalled,
} from './cache-test-kit.ts';

describe('the Redis cache across instances', () => {
  // Two clients, two caches on one prefix: what two learner-api processes look like to Redis.
  const clientA = redisClient();
  const clientB = redisClient();
  let prefix: string;
  let logger: CapturingLogger;
  const instance = (client: Redis, lockWaitMs: number) =>
    new RedisCache({ client, prefix, logger, lockWaitMs, lockTtlMs: 10_000 });

  beforeEach(() => {
    prefix = uniquePrefix();
    logger = new CapturingLogger();
  });

  afterEach(async () => {
    await dropPrefix(clientA, prefix);
  });

  afterAll(async () => {
    await Promise.all([clientA.quit(), clientB.quit()]);
  });

  it('lets one instance load while the other waits for its value', async () => {
    const a = instance(clientA, 10_000);
    const b = instance(clientB, 10_000);
    const gate = deferred<string>();
    let loadsA = 0;
    let loadsB = 0;
    const readingA = a.getOrLoad(
      'course:1',
      () => {
        loadsA += 1;
        return gate.promise;
      },
      { ttlMs: 60_000 },
    );
    await whenCalled(() => loadsA); // A holds the lock now
    const readingB = b.getOrLoad(
      'course:1',
      async () => {
        loadsB += 1;
        return 'loaded by B';
      },
      { ttlMs: 60_000 },
    );
    gate.resolve('loaded by A');
    expect(await readingA).toBe('loaded by A');
    expect(await readingB).toBe('loaded by A');
    expect(loadsB).toBe(0);
  });

  it('loads once for a burst of concurrent misses spread over two instances', async () => {
    const a = instance(clientA, 10_000);
    const b = instance(clientB, 10_000);
    let loads = 0;
    const loader = async () => {
      loads += 1;
      return { id: 'course-hot' };
    };
    const reads = Array.from({ length: 100 }, (_, index) =>
      (index % 2 === 0 ? a : b).getOrLoad('course:hot', loader, { ttlMs: 60_000 }),
    );
    const answers = await Promise.all(reads);
    expect(loads).toBe(1);
    for (const answer of answers) expect(answer).toEqual({ id: 'course-hot' });
  });

  it('stops waiting for a holder that does not finish and loads itself after the bounded wait', async () => {
    const a = instance(clientA, 10_000);
    const b = instance(clientB, 50);
    const stuck = deferred<string>();
    let loadsA = 0;
    const readingA = a.getOrLoad(
      'course:slow',
      () => {
        loadsA += 1;
        return stuck.promise;
      },
      { ttlMs: 60_000 },
    );
    await whenCalled(() => loadsA);
    expect(await b.getOrLoad('course:slow', async () => 'loaded by B', { ttlMs: 60_000 })).toBe(
      'loaded by B',
    );
    expect(await b.get('course:slow')).toBe('loaded by B');
    stuck.resolve('loaded by A');
    await readingA;
  });

  it('fences a load on one instance against an invalidation made by another', async () => {
    const a = instance(clientA, 10_000);
    const b = instance(clientB, 10_000);
    const stale = deferred<{ priceCents: number }>();
    let loadsA = 0;
    const readingA = a.getOrLoad(
      'course:1',
      () => {
        loadsA += 1;
        return stale.promise;
      },
      { ttlMs: 60_000 },
    );
    await whenCalled(() => loadsA);
    // B consumed CoursePriceChanged; A's own process knows nothing about it.
    await invalidationHandlers(b, { CoursePriceChanged: (event) => [`course:${event.aggregateId}`] })
      .CoursePriceChanged!({ type: 'CoursePriceChanged', aggregateId: '1', payload: { priceCents: 5_900 } });
    // With the lock released by the invalidation, B loads the new price without waiting for A.
    expect(await b.getOrLoad('course:1', async () => ({ priceCents: 5_900 }), { ttlMs: 60_000 })).toEqual({
      priceCents: 5_900,
    });
    stale.resolve({ priceCents: 4_900 });
    expect(await readingA).toEqual({ priceCents: 4_900 });
    expect(await a.get('course:1')).toEqual({ priceCents: 5_900 });
  });

  it('loads a miss in two round trips (read or lock, then write and unlock) and answers a hit in one', async () => {
    const cache = instance(clientA, 10_000);
    // Redis learns the scripts once; after that they go by their SHA.
    await cache.getOrLoad('course:warm-up', async () => 'warm', { ttlMs: 60_000 });
    const monitor = await clientB.duplicate().monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // What the scripts call inside Redis is listed too, from "lua": not a round trip.
      if (
        source !== 'lua' &&
        args.some((arg) => arg.startsWith(`${prefix}{course:2}`) || arg === `${prefix}done`)
      )
        seen.push(args);
    });
    try {
      expect(await cache.getOrLoad('course:2', async () => 'loaded', { ttlMs: 60_000 })).toBe('loaded');
      expect(await cache.getOrLoad('course:2', async () => 'not loaded', { ttlMs: 60_000 })).toBe('loaded');
      await clientA.get(`${prefix}done`);
      await eventually('the monitor saw the last command', async () =>
        seen.some((args) => args.includes(`${prefix}done`)),
      );
      expect(seen.map((args) => args[0]?.toLowerCase())).toEqual(['evalsha', 'evalsha', 'evalsha', 'get']);
      // The lock was released by the write: nothing of the load is left but its value and fence.
      expect(await clientA.exists(`${prefix}{course:2}:lock`)).toBe(0);
    } finally {
      monitor.disconnect();
    }
  });

  it('refuses options it cannot use, naming the field', () => {
    expect(() => new RedisCache({ client: clientA, prefix: '', logger })).toThrow(/prefix/);
    expect(() => new RedisCache({ client: {} as Redis, prefix: 'p:', logger })).toThrow(CacheArgumentError);
  });

  it('refuses connect options it cannot use before opening a connection', async () => {
    await expect(RedisCache.connect({ url: 'http://127.0.0.1:6379', prefix: 'p:', logger })).rejects.toThrow(
      /url/,
    );
    await expect(RedisCache.connect({ url: stackEndpoints().redisUrl, prefix: '', logger })).rejects.toThrow(
      /prefix/,
    );
  });

  it('connects its own client ready for use, and closes it', async () => {
    const cache = await RedisCache.connect({ url: stackEndpoints().redisUrl, prefix, logger });
    try {
      await cache.set('course:1', { id: 'course-1' }, { ttlMs: 60_000 });
      expect(await cache.get('course:1')).toEqual({ id: 'course-1' });
      expect(logger.warnings).toEqual([]);
    } finally {
      await cache.close();
    }
  });
});

describe('the Redis cache with Redis unreachable', () => {
  let cache: RedisCache;
  let logger: CapturingLogger;

  beforeEach(async () => {
    logger = new CapturingLogger();
    cache = await RedisCache.connect({
      url: `redis://127.0.0.1:${await closedPort()}`,
      prefix: uniquePrefix(),
      logger,
      commandTimeoutMs: 200,
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  it('still answers reads from the loader, and says so in the log once, not once per read', async () => {
    let loads = 0;
    const loader = async () => {
      loads += 1;
      return { id: 'course-1', title: 'Domain-Driven Design' };
    };
    for (let read = 0; read < 20; read += 1) {
      expect(await cache.getOrLoad('course:1', loader, { ttlMs: 60_000 })).toEqual({
        id: 'course-1',
        title: 'Domain-Driven Design',
      });
    }
    expect(loads).toBe(20);
    const readWarnings = logger.warnings.filter((warning) => warning.fields.kind === 'get');
    expect(readWarnings).toHaveLength(1);
    expect(readWarnings[0]?.message).toMatch(/serving from the loader/);
    expect(readWarnings[0]?.fields.key).toBe('course:1');
  });

  it('misses on get and drops a set without failing', async () => {
    expect(await cache.get('course:1')).toBeUndefined();
    await expect(cache.set('course:1', { id: 'course-1' }, { ttlMs: 60_000 })).resolves.toBeUndefined();
  });

  it('fails an invalidation, so the event consumer retries it rather than leaving stale data', async () => {
    await expect(cache.delete('course:1')).rejects.toThrow(CacheUnavailableError);
    const handlers = invalidationHandlers(cache, {
      CourseUnpublished: (event) => [`course:${event.aggregateId}`],
    });
    await expect(
      handlers.CourseUnpublished!({ type: 'CourseUnpublished', aggregateId: '1', payload: {} }),
    ).rejects.toThrow(/retry once it is back/);
  });
});
