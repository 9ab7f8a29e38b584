import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { RedisRateLimiter, type RateLimitDecision, type RateLimitPolicy } from '../src/index.ts';
import { Allowance, LEASE_TTL_MS, leaseCap } from '../src/leased-allowance.ts';
import { redisUrl } from './fixtures/harness.ts';

const turn = () => new Promise((resolve) => setImmediate(resolve));
const opened: RedisRateLimiter[] = [];
const open = async () => {
  const limiter = await RedisRateLimiter.open({
    url: redisUrl,
    onStoreError: 'closed',
    logger: { error: (_details, message) => void message },
  });
  opened.push(limiter);
  return limiter;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
});

/** `count` requests of one key, all in this turn, settled. */
const burst = (limiter: RedisRateLimiter, key: string, policy: RateLimitPolicy, count: number) =>
  Promise.all(Array.from({ length: count }, () => limiter.consume(key, policy)));

describe('leaseCap', () => {
  it('leases only policies that emit at least two cells in a lease time, and never more than the maximum', () => {
    expect(leaseCap({ limit: 30, periodMs: 60_000 })).toBe(0);
    expect(leaseCap({ limit: 100, periodMs: 60_000 })).toBe(0);
    expect(leaseCap({ limit: 600, periodMs: 60_000 })).toBe(10);
    expect(leaseCap({ limit: 1_000_000_000, periodMs: 60_000 })).toBe(1_000);
  });
});

describe('Allowance', () => {
  it('spends its cells until they lapse, counting the held ones as remaining', () => {
    const allowance = new Allowance(10);
    allowance.grant(2, 50, 5_000, 100, 0);
    expect(allowance.spend(10, 600)).toEqual({
      allowed: true,
      limit: 600,
      remaining: 51,
      resetMs: 5_000 - 10 - 100,
      retryAfterMs: 0,
    });
    expect(allowance.spend(20, 600)?.remaining).toBe(50);
    expect(allowance.spend(30, 600)).toBeUndefined();
  });

  it('gives back what lapsed unspent and halves its next lease; doubles it when a whole lease came for an empty one', () => {
    const allowance = new Allowance(10);
    allowance.grant(2, 0, 0, 100, 0);
    expect(allowance.size).toBe(4);
    allowance.grant(4, 0, 0, 100, 1);
    expect(allowance.size).toBe(4); // two cells were still held: the lease kept up
    expect(allowance.takeLapsed(1 + LEASE_TTL_MS - 1)).toBe(0);
    expect(allowance.spend(1 + LEASE_TTL_MS, 600)).toBeUndefined();
    expect(allowance.takeLapsed(1 + LEASE_TTL_MS)).toBe(6);
    expect(allowance.size).toBe(2);
  });
});

describe('Redis limiter leasing a busy key', () => {
  it('decides most of a busy key’s requests without a script call', async () => {
    const limiter = await open();
    const key = `test:${randomUUID()}`;
    const policy = { limit: 60_000, periodMs: 60_000 };
    const turns = 40;
    const decisions: RateLimitDecision[] = [];
    for (let index = 0; index < turns; index += 1) {
      decisions.push(...(await burst(limiter, key, policy, 50)));
      await turn();
    }
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    // Deciding every turn's requests in Redis takes one call a turn (40); leases double to
    // cover a turn, then renew ahead of need.
    expect(limiter.scriptCalls).toBeLessThan(turns / 2);
  });

  it('never lets two gateways together past what Redis granted, and holds back at most their leases', async () => {
    const [a, b] = [await open(), await open()];
    const key = `test:${randomUUID()}`;
    const policy = { limit: 3_000, periodMs: 60_000 };
    const interval = policy.periodMs / policy.limit;
    const started = performance.now();
    let allowed = 0;
    for (let index = 0; index < 40; index += 1) {
      const decisions = [...(await burst(a, key, policy, 50)), ...(await burst(b, key, policy, 50))];
      allowed += decisions.filter((decision) => decision.allowed).length;
    }
    const elapsed = performance.now() - started;
    // Redis grants at most the burst plus what was emitted meanwhile; every cell spent is one it
    // granted. Each gateway may still hold up to 1.25 leases of cells no one spent.
    expect(allowed).toBeLessThanOrEqual(policy.limit + Math.ceil(elapsed / interval) + 1);
    expect(allowed).toBeGreaterThanOrEqual(policy.limit - 2 * Math.ceil(1.25 * leaseCap(policy)));
  });

  it('gives back cells that lapsed unspent with the key’s next call', async () => {
    const limiter = await open();
    const key = `test:${randomUUID()}`;
    // Two cells a second: leased two at a time; a cell is 500 ms of the key's TAT.
    const policy = { limit: 120, periodMs: 60_000 };
    const started = performance.now();
    await burst(limiter, key, policy, 10); // met in one call: the key is busy
    const firstBack = performance.now();
    await limiter.consume(key, policy); // waits for a call that also leases two cells
    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 100));
    const lastSent = performance.now();
    const last = await limiter.consume(key, policy); // the two lapsed: given back, two more leased
    const lastBack = performance.now();
    // Spent: 10 + 1 + 1 cells; the two lapsed are Redis's again. Without giving them back, TAT
    // would sit a second (two cells) further out. The answer is TAT less the time of the last call,
    // TAT being 12 cells past the first call: each call's time at Redis is known only between the
    // clock reads around it (a stall after Redis answered delays the read, not Redis's clock).
    const expected = { atMost: 12 * 500 - (lastSent - firstBack), atLeast: 12 * 500 - (lastBack - started) };
    expect(last.allowed).toBe(true);
    expect(last.resetMs).toBeLessThan(expected.atMost + 250);
    expect(last.resetMs).toBeGreaterThan(expected.atLeast - 250);
  });
});
