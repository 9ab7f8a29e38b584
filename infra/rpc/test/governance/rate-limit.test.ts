import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterInvoker, InProcessRegistry, TokenBucket } from '../../src/governance/index.ts';
import { answer, fakeConnections, instance, request } from './fake-cluster.ts';

let invoker: ClusterInvoker | undefined;
afterEach(async () => {
  await invoker?.close();
  invoker = undefined;
});

describe('TokenBucket', () => {
  it('allows a burst, refuses beyond it, and refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, now: () => now });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 100; // one token at 10/s
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
    now += 10_000; // refill is capped at the burst
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow('ratePerSecond must be positive');
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow('burst must be at least 1');
  });
});

describe('client-side rate limit per target service', () => {
  it('refuses with RATE_LIMITED once the service’s budget is spent, without calling it', async () => {
    const registry = new InProcessRegistry();
    await registry.register(instance('r1'));
    await registry.register(instance('r1', 'identity-service'));
    const { connect, byId } = fakeConnections(() => answer('ok'));
    invoker = new ClusterInvoker({
      registry,
      connect,
      hedging: false,
      // One token per hour: the refill cannot happen during the test.
      rateLimit: { services: { 'catalog-service': { ratePerSecond: 1 / 3600, burst: 2 } } },
    });
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await invoker.invoke(request(), { kind: 'query' }));
    expect(responses.map((response) => (response.ok ? 'ok' : response.error.code))).toEqual([
      'ok',
      'ok',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    expect(responses[2]).toMatchObject({ error: { details: { service: 'catalog-service' } } });
    expect(byId.get('r1')!.calls).toBe(2);
    expect(invoker.stats().find((stats) => stats.service === 'catalog-service')).toMatchObject({
      rateLimited: 2,
    });

    // Another service has its own budget (here: none).
    const other = await invoker.invoke({ ...request(), service: 'identity-service' }, { kind: 'query' });
    expect(other.ok).toBe(true);
  });

  it('refuses invalid options with the field path', () => {
    expect(
      () =>
        new ClusterInvoker({
          registry: new InProcessRegistry(),
          connect: fakeConnections(() => answer(1)).connect,
          rateLimit: { services: { 'catalog-service': { ratePerSecond: -1, burst: 2 } } },
        }),
    ).toThrow('rateLimit.services.catalog-service.ratePerSecond');
  });
});
