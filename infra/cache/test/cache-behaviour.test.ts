import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { newId, z } from '@strata/shared-kernel';
import {
  consumeInProcess,
  envelopeToMessage,
  EventProcessor,
  InProcessEventBroker,
  topicFor,
  type EventEnvelope,
  type Inbox,
} from '@strata/events';
import {
  CacheArgumentError,
  invalidationHandlers,
  MemoryCache,
  RedisCache,
  type Cache,
  type InvalidationMap,
} from '../src/index.ts';
import {
  CapturingLogger,
  deferred,
  dropPrefix,
  eventually,
  redisClient,
  uniquePrefix,
  whenCalled,
} from './cache-test-kit.ts';

interface Adapter {
  create(): Cache;
  cleanUp(): Promise<void>;
}

const redisClients: Redis[] = [];

const adapters: [string, () => Adapter][] = [
  [
    'memory',
    () => ({
      create: () => new MemoryCache({ maxEntries: 1_000 }),
      cleanUp: async () => {},
    }),
  ],
  [
    'redis',
    () => {
      const client = redisClient();
      redisClients.push(client);
      const prefix = uniquePrefix();
      return {
        create: () => new RedisCache({ client, prefix, logger: new CapturingLogger() }),
        cleanUp: () => dropPrefix(client, prefix),
      };
    },
  ],
];

afterAll(async () => {
  await Promise.all(redisClients.map((client) => client.quit()));
});

const course = { id: 'course-1', title: 'Domain-Driven Design', priceCents: 4_900 };

describe.each(adapters)('the %s cache', (_name, makeAdapter) => {
  let adapter: Adapter;
  let cache: Cache;

  beforeEach(() => {
    adapter = makeAdapter();
    cache = adapter.create();
  });

  afterEach(async () => {
    await cache.close();
    await adapter.cleanUp();
  });

  it('misses an unknown key, then answers what was set, until it is deleted', async () => {
    expect(await cache.get('course:1')).toBeUndefined();
    await cache.set('course:1', course, { ttlMs: 60_000 });
    expect(await cache.get('course:1')).toEqual(course);
    await cache.delete('course:1');
    expect(await cache.get('course:1')).toBeUndefined();
  });

  it('deletes several keys at once', async () => {
    await cache.set('a', 1, { ttlMs: 60_000 });
    await cache.set('b', 2, { ttlMs: 60_000 });
    await cache.set('c', 3, { ttlMs: 60_000 });
    await cache.delete(['a', 'b']);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([
      undefined,
      undefined,
      3,
    ]);
  });

  it('loads on a miss and serves the stored value on the next call', async () => {
    let loads = 0;
    const loader = async () => {
      loads += 1;
      return { ...course, loads };
    };
    const first = await cache.getOrLoad('course:1', loader, { ttlMs: 60_000 });
    const second = await cache.getOrLoad('course:1', loader, { ttlMs: 60_000 });
    expect(first).toEqual({ ...course, loads: 1 });
    expect(second).toEqual(first);
    expect(loads).toBe(1);
    expect(await cache.get('course:1')).toEqual(first);
  });

  it('forgets a value once its TTL has passed, and loads it again', async () => {
    await cache.set('short', 'soon gone', { ttlMs: 30 });
    await eventually('the entry expired', async () => (await cache.get('short')) === undefined);

    let loads = 0;
    const loader = async () => ++loads;
    await cache.getOrLoad('short-loaded', loader, { ttlMs: 30 });
    await eventually('the loaded entry expired', async () => (await cache.get('short-loaded')) === undefined);
    expect(await cache.getOrLoad('short-loaded', loader, { ttlMs: 60_000 })).toBe(2);
  });

  it('answers values as JSON: a Date comes back as its ISO string, hit or miss', async () => {
    const publishedAt = new Date('2026-11-24T09:00:00.000Z');
    const loaded = await cache.getOrLoad('dated', async () => ({ publishedAt }), { ttlMs: 60_000 });
    const hit = await cache.getOrLoad('dated', async () => ({ publishedAt: new Date() }), { ttlMs: 60_000 });
    expect(loaded).toEqual({ publishedAt: '2026-11-24T09:00:00.000Z' });
    expect(hit).toEqual(loaded);
  });

  it('caches nothing when the loader answers undefined or throws', async () => {
    let loads = 0;
    expect(
      await cache.getOrLoad('nothing', async () => void (loads += 1), { ttlMs: 60_000 }),
    ).toBeUndefined();
    expect(
      await cache.getOrLoad('nothing', async () => void (loads += 1), { ttlMs: 60_000 }),
    ).toBeUndefined();
    expect(loads).toBe(2);

    await expect(
      cache.getOrLoad('failing', async () => Promise.reject(new Error('catalog unavailable')), {
        ttlMs: 60_000,
      }),
    ).rejects.toThrow('catalog unavailable');
    expect(await cache.getOrLoad('failing', async () => 'recovered', { ttlMs: 60_000 })).toBe('recovered');
  });

  it('shares one load among 100 concurrent misses of a key (single-flight)', async () => {
    const gate = deferred<typeof course>();
    let loads = 0;
    const loader = () => {
      loads += 1;
      return gate.promise;
    };
    const reads = Array.from({ length: 100 }, () => cache.getOrLoad('course:hot', loader, { ttlMs: 60_000 }));
    await whenCalled(() => loads);
    gate.resolve(course);
    const answers = await Promise.all(reads);
    expect(loads).toBe(1);
    expect(answers).toHaveLength(100);
    for (const answer of answers) expect(answer).toEqual(course);
  });

  it('hands a failed shared load to every waiter, then lets the next call load again', async () => {
    const gate = deferred<string>();
    let loads = 0;
    const loader = () => {
      loads += 1;
      return gate.promise;
    };
    const reads = Array.from({ length: 10 }, () => cache.getOrLoad('flaky', loader, { ttlMs: 60_000 }));
    await whenCalled(() => loads);
    gate.reject(new Error('data service timed out'));
    const outcomes = await Promise.allSettled(reads);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(loads).toBe(1);
    expect(await cache.getOrLoad('flaky', async () => 'second try', { ttlMs: 60_000 })).toBe('second try');
  });

  it('does not let a load that began before an invalidation write its stale value after it', async () => {
    const stale = deferred<{ priceCents: number }>();
    let loads = 0;
    const reading = cache.getOrLoad(
      'course:1',
      () => {
        loads += 1;
        return stale.promise;
      },
      { ttlMs: 60_000 },
    );
    await whenCalled(() => loads);

    await cache.delete('course:1'); // CoursePriceChanged arrives while the old price is being read
    stale.resolve({ priceCents: 4_900 });

    expect(await reading).toEqual({ priceCents: 4_900 }); // the caller that asked before the change
    expect(await cache.get('course:1')).toBeUndefined();
    expect(await cache.getOrLoad('course:1', async () => ({ priceCents: 5_900 }), { ttlMs: 60_000 })).toEqual(
      {
        priceCents: 5_900,
      },
    );
    expect(await cache.get('course:1')).toEqual({ priceCents: 5_900 });
  });

  it('starts a fresh load for a caller arriving after an invalidation instead of joining the old one', async () => {
    const old = deferred<string>();
    let oldLoads = 0;
    const before = cache.getOrLoad(
      'course:2',
      () => {
        oldLoads += 1;
        return old.promise;
      },
      { ttlMs: 60_000 },
    );
    await whenCalled(() => oldLoads);
    await cache.delete('course:2');
    const after = await cache.getOrLoad('course:2', async () => 'new price', { ttlMs: 60_000 });
    old.resolve('old price');
    expect(await before).toBe('old price');
    expect(after).toBe('new price');
    expect(await cache.get('course:2')).toBe('new price');
  });

  it('is invalidated by events through the infra/events processor (in-process broker, as embedded mode wires it)', async () => {
    const invalidations: InvalidationMap = {
      CoursePublished: (event) => [`course:${event.aggregateId}`],
      CoursePriceChanged: (event) => [`course:${event.aggregateId}`],
      CourseUnpublished: (event) => [`course:${event.aggregateId}`, 'courses:published:first-page'],
    };
    const handled = new Set<string>();
    const inbox: Inbox<null> = {
      async handleOnce(group, eventId, work) {
        if (handled.has(`${group}/${eventId}`)) return 'duplicate';
        await work(null);
        handled.add(`${group}/${eventId}`);
        return 'handled';
      },
    };
    const broker = new InProcessEventBroker();
    const topic = topicFor('catalog');
    const payloads: Record<string, z.ZodType> = {
      CoursePublished: z.object({ title: z.string() }),
      CoursePriceChanged: z.object({ priceCents: z.number().int() }),
      CourseUnpublished: z.object({}),
    };
    const processor = new EventProcessor<null>({
      consumerGroup: 'learner-api.course-cache',
      handlers: invalidationHandlers(cache, invalidations),
      inbox,
      schema: (type) => payloads[type],
      deadLetters: broker,
      maxAttempts: 1,
    });
    const stop = consumeInProcess(broker, [topic], processor);
    const courseId = newId<'Course'>();
    const publish = async (type: string, payload: unknown, version: number) => {
      const envelope: EventEnvelope = {
        id: newId<'Event'>(),
        type,
        schemaVersion: 1,
        aggregateType: 'Course',
        aggregateId: courseId,
        aggregateVersion: version,
        occurredAt: new Date().toISOString(),
        correlationId: newId<'Correlation'>(),
        causationId: null,
        traceparent: null,
        tracestate: null,
        payload,
      };
      await broker.publish([envelopeToMessage(topic, envelope)]);
    };
    try {
      await cache.set(`course:${courseId}`, { priceCents: 4_900 }, { ttlMs: 60_000 });
      await cache.set('courses:published:first-page', [courseId], { ttlMs: 60_000 });
      await cache.set('course:someone-else', { priceCents: 1_000 }, { ttlMs: 60_000 });

      await publish('CoursePriceChanged', { priceCents: 5_900 }, 2);
      expect(await cache.get(`course:${courseId}`)).toBeUndefined();
      expect(await cache.get('courses:published:first-page')).toEqual([courseId]);

      await cache.set(`course:${courseId}`, { priceCents: 5_900 }, { ttlMs: 60_000 });
      await publish('CourseUnpublished', {}, 3);
      expect(await cache.get(`course:${courseId}`)).toBeUndefined();
      expect(await cache.get('courses:published:first-page')).toBeUndefined();
      expect(await cache.get('course:someone-else')).toEqual({ priceCents: 1_000 });
    } finally {
      stop();
      await broker.close();
    }
  });

  it('is invalidated by a bare { type, aggregateId, payload } event, as the embedded dispatcher hands them', async () => {
    const handlers = invalidationHandlers(cache, {
      CoursePublished: (event) => [`course:${event.aggregateId}`],
    });
    await cache.set('course:42', { title: 'draft title' }, { ttlMs: 60_000 });
    await handlers.CoursePublished!({ type: 'CoursePublished', aggregateId: '42', payload: {} });
    expect(await cache.get('course:42')).toBeUndefined();
    expect(Object.keys(handlers)).toEqual(['CoursePublished']);
  });

  it('refuses an empty key or a non-positive TTL, naming the field', async () => {
    await expect(cache.get('')).rejects.toThrow(CacheArgumentError);
    const error = await cache.set('k', 1, { ttlMs: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CacheArgumentError);
    expect((error as CacheArgumentError).issues[0]?.path).toBe('ttlMs');
    await expect(cache.getOrLoad('k', async () => 1, { ttlMs: -5 })).rejects.toThrow(/ttlMs/);
    await expect(cache.delete(['ok', ''])).rejects.toThrow(/1: a cache key cannot be empty/);
  });
});
