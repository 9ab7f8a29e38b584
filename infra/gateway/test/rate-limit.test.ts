import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EtcdRegistry } from '@strata/rpc';
import {
  MemoryRateLimiter,
  RateLimitStoreUnavailable,
  RedisRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitPolicy,
} from '../src/index.ts';
import {
  etcdHosts,
  Issuer,
  redisUrl,
  send,
  setupBoundMs,
  startUpstream,
  uniquePrefix,
  type Upstream,
} from './fixtures/harness.ts';
import { TestGateway } from './fixtures/test-gateway.ts';

const errors: string[] = [];
const recordingLogger = {
  error: (_details: Record<string, unknown>, message: string) => void errors.push(message),
};

const limiters: [string, () => RateLimiter | Promise<RateLimiter>][] = [
  ['memory', () => new MemoryRateLimiter()],
  ['redis', () => RedisRateLimiter.open({ url: redisUrl, onStoreError: 'closed', logger: recordingLogger })],
];

describe.each(limiters)('%s limiter (same GCRA semantics)', (_name, create) => {
  let limiter: RateLimiter;
  beforeAll(async () => {
    limiter = await create();
  });
  afterAll(() => limiter.close());

  it('lets exactly `limit` through in a burst, counting remaining down, then refuses with a retry-after', async () => {
    const key = `test:${randomUUID()}`;
    const policy = { limit: 5, periodMs: 60_000 };
    const decisions = [];
    for (let i = 0; i < 8; i += 1) decisions.push(await limiter.consume(key, policy));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(decisions.slice(0, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    for (const refused of decisions.slice(5)) {
      expect(refused.remaining).toBe(0);
      // One emission interval (60 s / 5) minus the little time the burst took.
      expect(refused.retryAfterMs).toBeGreaterThan(11_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(12_000);
      expect(refused.resetMs).toBeGreaterThan(59_000);
    }
  });

  it('decides a burst that arrives at once as it would one request after the other', async () => {
    const key = `test:${randomUUID()}`;
    const policy = { limit: 5, periodMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.consume(key, policy)));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(decisions.slice(0, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    // Each allowed one moved TAT on by one interval (12 s): the resets climb by it. They are
    // relative to each decision's clock reading, which may tick between two decisions made one at a time.
    const resets = decisions.slice(0, 5).map((d) => d.resetMs);
    for (let i = 1; i < 5; i += 1) {
      expect(Math.abs(resets[i]! - resets[i - 1]! - 12_000)).toBeLessThanOrEqual(50);
    }
    for (const refused of decisions.slice(5)) {
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterMs).toBeGreaterThan(11_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(12_000);
    }
  });

  it('keeps keys apart', async () => {
    const policy = { limit: 1, periodMs: 60_000 };
    const a = `test:${randomUUID()}`;
    const b = `test:${randomUUID()}`;
    expect((await limiter.consume(a, policy)).allowed).toBe(true);
    expect((await limiter.consume(a, policy)).allowed).toBe(false);
    expect((await limiter.consume(b, policy)).allowed).toBe(true);
  });

  it('lets one more through once an emission interval has passed', async () => {
    const key = `test:${randomUUID()}`;
    // A one-second emission interval: the burst below must not outlast it even on a loaded machine
    // (a 100 ms one did, and let the fifth through), and the wait stays about a second.
    const policy = { limit: 4, periodMs: 4_000 };
    for (let i = 0; i < 4; i += 1) expect((await limiter.consume(key, policy)).allowed).toBe(true);
    const refused = await limiter.consume(key, policy);
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 20));
    expect((await limiter.consume(key, policy)).allowed).toBe(true);
  });
});

/** A Redis limiter (closed when Redis fails) for `work`, closed afterwards; a fresh key each time. */
async function withRedisLimiter(
  work: (limiter: RedisRateLimiter, key: string, policy: RateLimitPolicy) => Promise<void>,
): Promise<void> {
  const limiter = await RedisRateLimiter.open({
    url: redisUrl,
    onStoreError: 'closed',
    logger: recordingLogger,
  });
  try {
    await work(limiter, `test:${randomUUID()}`, { limit: 100, periodMs: 60_000 });
  } finally {
    await limiter.close();
  }
}

describe('Redis limiter batching', () => {
  it('decides the requests of one key that arrive in one turn with one script call', async () => {
    await withRedisLimiter(async (limiter, key, policy) => {
      const other = `test:${randomUUID()}`;
      const before = limiter.scriptCalls;
      const decisions = await Promise.all([
        ...Array.from({ length: 20 }, () => limiter.consume(key, policy)),
        limiter.consume(other, policy),
      ]);
      expect(decisions.every((d) => d.allowed)).toBe(true);
      // One call for the key's twenty, one for the other key.
      expect(limiter.scriptCalls - before).toBe(2);
      expect(decisions.slice(0, 20).map((d) => d.remaining)).toEqual(
        Array.from({ length: 20 }, (_, i) => 99 - i),
      );
    });
  });
});

describe('Redis limiter with a call in flight', () => {
  // Whether the later turns' requests find the first call still in flight depends on Redis's
  // speed, so the test holds the limiter to what is certain: arrival order, and never more calls
  // than turns (bench:gateway counts the calls saved).
  it('decides requests spread over turns in arrival order, in no more calls than turns', async () => {
    await withRedisLimiter(async (limiter, key, policy) => {
      const before = limiter.scriptCalls;
      const turn = () => new Promise((resolve) => setImmediate(resolve));
      const decided: (RateLimitDecision | Promise<RateLimitDecision>)[] = [];
      // Three turns in a row: the first one's call is sent at its end; the next two's requests
      // arrive while it is (most likely) still in flight and wait for it.
      for (let round = 0; round < 3; round += 1) {
        for (let index = 0; index < 5; index += 1) decided.push(limiter.consume(key, policy));
        await turn();
      }
      const decisions = await Promise.all(decided);
      expect(decisions.map((d) => d.remaining)).toEqual(Array.from({ length: 15 }, (_, i) => 99 - i));
      expect(limiter.scriptCalls - before).toBeLessThanOrEqual(3);
    });
  });
});

describe('Redis limiter when Redis is unreachable', () => {
  it('fails open when configured so, and logs it', async () => {
    errors.length = 0;
    const limiter = await RedisRateLimiter.open({
      url: 'redis://127.0.0.1:1',
      onStoreError: 'open',
      logger: recordingLogger,
    });
    const decision = await limiter.consume('k', { limit: 1, periodMs: 1000 });
    expect(decision.allowed).toBe(true);
    expect(errors[0]).toMatch(/unreachable: requests pass unlimited/);
    await limiter.close();
  });

  it('fails closed when configured so, and logs it', async () => {
    errors.length = 0;
    const limiter = await RedisRateLimiter.open({
      url: 'redis://127.0.0.1:1',
      onStoreError: 'closed',
      logger: recordingLogger,
    });
    await expect(limiter.consume('k', { limit: 1, periodMs: 1000 })).rejects.toBeInstanceOf(
      RateLimitStoreUnavailable,
    );
    expect(errors[0]).toMatch(/unreachable: rate-limited routes answer 503/);
    await limiter.close();
  });
});

describe('two gateway instances sharing Redis', () => {
  const prefix = uniquePrefix();
  const issuer = new Issuer();
  const limit = 10;
  let upstream: Upstream;
  let registry: EtcdRegistry;
  const edges: TestGateway[] = [];
  const limitersInUse: RateLimiter[] = [];
  const urls: string[] = [];
  const routeName = `burst-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const jwksUrl = await issuer.start();
    upstream = await startUpstream(prefix, 'learner-api', 'rl-1');
    registry = new EtcdRegistry({ hosts: etcdHosts, prefix, leaseTtlSeconds: 2 });
    const file = {
      version: 1,
      routes: [
        {
          name: routeName,
          prefix: '/api/learner',
          service: 'learner-api',
          plugins: { auth: { roles: [] }, rateLimit: { limit, periodSeconds: 3600 } },
        },
        {
          name: `${routeName}-anon`,
          prefix: '/api/public',
          service: 'learner-api',
          plugins: { rateLimit: { limit: 2, periodSeconds: 3600 } },
        },
      ],
    };
    for (let i = 0; i < 2; i += 1) {
      // Each gateway has its own Redis connection, as two gateway processes would.
      const limiter = await RedisRateLimiter.open({
        url: redisUrl,
        onStoreError: 'closed',
        logger: recordingLogger,
      });
      limitersInUse.push(limiter);
      const edge = await TestGateway.start({
        registry,
        // The second gateway reads the first one's route file.
        ...(edges[0] === undefined ? { routes: file } : { routesPath: edges[0].routes!.path }),
        rateLimiter: limiter,
        auth: {
          jwksUrl,
          issuer: issuer.issuer,
          audience: issuer.audience,
          algorithms: ['ES256'],
          jwksCooldownMs: 30_000,
          clockToleranceSeconds: 0,
        },
      });
      edges.push(edge);
      urls.push(edge.url);
    }
  }, setupBoundMs);

  afterAll(async () => {
    await Promise.all(edges.map((edge) => edge.stop()));
    await Promise.all(limitersInUse.map((limiter) => limiter.close()));
    await upstream.kill();
    await registry.close();
    await issuer.stop();
  }, setupBoundMs);

  it(`a burst of 25 from one user, alternating between gateways, yields exactly ${limit} 2xx and 15 429 with Retry-After`, async () => {
    const token = await issuer.sign({ sub: `user-${randomUUID()}`, roles: [] });
    const replies = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        send(urls[i % 2]!, '/api/learner/x', { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    const ok = replies.filter((reply) => reply.status === 200);
    const limited = replies.filter((reply) => reply.status === 429);
    expect(ok).toHaveLength(limit);
    expect(limited).toHaveLength(15);
    for (const reply of limited) {
      expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(reply.headers['ratelimit-limit']).toBe(String(limit));
      expect(reply.headers['ratelimit-remaining']).toBe('0');
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json<{ detail: string }>().detail).toMatch(/allows 10 requests per 3600 s/);
    }
    expect(ok.map((reply) => Number(reply.headers['ratelimit-remaining'])).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    // Another user on the same route has a quota of their own.
    const other = await issuer.sign({ sub: `user-${randomUUID()}`, roles: [] });
    expect(
      (await send(urls[1]!, '/api/learner/x', { headers: { authorization: `Bearer ${other}` } })).status,
    ).toBe(200);
  });

  it('limits anonymous consumers by client IP across both gateways', async () => {
    await send(urls[0]!, '/api/public/a');
    const replies = [
      await send(urls[1]!, '/api/public/a'),
      await send(urls[0]!, '/api/public/a'),
      await send(urls[1]!, '/api/public/a'),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([200, 429, 429]);
  });
});
