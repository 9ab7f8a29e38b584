import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import type { CachedLink } from '../src/links/redirect/cached-link.ts';
import { LocalLinkCache, RedisLinkCache } from '../src/links/redirect/link-cache.ts';
import { redisProxy } from './redis-proxy.ts';

// A redirect instance's local copy in front of the shared cache on the real Redis (ADR 0018): an
// invalidation drops the copy on every instance at once, and no read that overlapped it may put
// the dropped link back. bench:redirect's invalidation phase found one that did: an instance's
// read of the shared cache, answered by Redis before the invalidation's DEL but handled after its
// pub/sub message (two connections, no order between them), was kept for the local copy's second.

jest.setTimeout(30_000);

const prefix = `strata-test:linkcache${randomBytes(4).toString('hex')}:`;
const opened: Redis[] = [];
const servers: Server[] = [];

function connection(url = stackEndpoints().redisUrl): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  opened.push(redis);
  return redis;
}

const linkOf = (slug: string, version: number, status: CachedLink['status']): CachedLink => ({
  linkId: newId(),
  slug,
  version,
  targetUrl: 'https://example.org/spring-sale',
  status,
  expiresAt: null,
  maxVisits: null,
});

/**
 * A TCP proxy to Redis that, once `hold()` was called, keeps back the next bytes Redis answers
 * (the next command's reply) until `release()`: `held` resolves when Redis has answered, so the
 * command has run on Redis while its client has not yet seen the reply.
 */
async function proxyHoldingOneAnswer(): Promise<{
  url: string;
  hold(): Promise<void>;
  release(): void;
}> {
  let holding: { chunks: Buffer[]; answered: () => void; client?: NodeJS.WritableStream } | undefined;
  const { url, server } = await redisProxy({
    fromRedis(chunk, { client }) {
      if (holding === undefined) return true;
      holding.chunks.push(chunk);
      holding.client = client;
      holding.answered();
      return false;
    },
  });
  servers.push(server);
  return {
    url,
    hold: () =>
      new Promise<void>((answered) => {
        holding = { chunks: [], answered };
      }),
    release() {
      const held = holding;
      holding = undefined;
      for (const chunk of held?.chunks ?? []) held?.client?.write(chunk);
    },
  };
}

afterAll(async () => {
  const redis = connection();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  for (const each of opened) each.disconnect();
  for (const server of servers) server.close();
});

describe('the redirect instance’s local copy of a link', () => {
  it('does not keep a link its read got from before an invalidation it heard while reading', async () => {
    const slug = `sale${randomBytes(3).toString('hex')}`;
    // The link events thread's cache: invalidates straight on Redis, listens to nothing.
    const events = await RedisLinkCache.open(connection(), undefined, prefix);
    await events.fill(slug, linkOf(slug, 1, 'active'));
    // The instance: its reads go through the proxy, its invalidations come on its own subscriber.
    const proxy = await proxyHoldingOneAnswer();
    const reads = connection(proxy.url);
    // Connected and past its ready check: the next answer through the proxy is the read's.
    await reads.ping();
    const shared = await RedisLinkCache.open(reads, connection(), prefix);
    const local = new LocalLinkCache(shared);
    const heard = new Promise<void>((resolve) => shared.onInvalidated(() => resolve()));

    // Redis answers the read with the active link; the answer is still on its way...
    const answered = proxy.hold();
    const reading = local.get(slug);
    await answered;
    // ...when the link is disabled: the shared entry dropped, every instance told, this one heard it.
    await events.invalidate(slug, 2);
    await heard;
    proxy.release();

    // The read itself may answer what Redis said when it ran (the request it serves began before
    // the disable); the copy must not outlive it.
    expect((await reading)?.status).toBe('active');
    expect(local.peek(slug)).toBeUndefined();
    expect(await local.get(slug)).toBeUndefined();
  });

  it('keeps what a read found when no invalidation came meanwhile, and drops it when one comes', async () => {
    const slug = `sale${randomBytes(3).toString('hex')}`;
    const events = await RedisLinkCache.open(connection(), undefined, prefix);
    await events.fill(slug, linkOf(slug, 1, 'active'));
    const shared = await RedisLinkCache.open(connection(), connection(), prefix);
    const local = new LocalLinkCache(shared);
    const heard = new Promise<void>((resolve) => shared.onInvalidated(() => resolve()));

    expect((await local.get(slug))?.status).toBe('active');
    expect(local.peek(slug)?.version).toBe(1);
    await events.invalidate(slug, 2);
    await heard;
    expect(local.peek(slug)).toBeUndefined();
  });
});
