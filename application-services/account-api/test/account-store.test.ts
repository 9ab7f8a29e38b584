import { afterAll, describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { MemoryAccountStore, RedisAccountStore, type AccountStore } from '../src/index.ts';

const redis = new Redis(stackEndpoints().redisUrl);
const prefix = `t:account-store:${newId()}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

// The embedded and the distributed store answer the same way: the API's behaviour must not depend on the mode.
describe.each([
  ['memory', () => new MemoryAccountStore()],
  ['redis', () => new RedisAccountStore(redis, `${prefix}${newId()}:`)],
] as const)('%s AccountStore', (_name, makeStore: () => AccountStore) => {
  it('rotates a refresh family once per token and revokes it on the reuse of a spent one', async () => {
    const store = makeStore();
    await store.startFamily('f1', { userId: 'u1', tokenHash: 'h1' }, 60_000);
    expect(await store.rotateRefreshToken('f1', 'h1', 'h2')).toEqual({ outcome: 'rotated', userId: 'u1' });
    expect(await store.rotateRefreshToken('f1', 'h1', 'h3')).toEqual({ outcome: 'reused', userId: 'u1' });
    expect(await store.rotateRefreshToken('f1', 'h2', 'h4')).toEqual({ outcome: 'unknown' });
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const store = makeStore();
    await store.startFamily('f2', { userId: 'u2', tokenHash: 'h1' }, 60_000);
    const outcomes = await Promise.all([
      store.rotateRefreshToken('f2', 'h1', 'a'),
      store.rotateRefreshToken('f2', 'h1', 'b'),
    ]);
    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['reused', 'rotated']);
  });

  it('forgets a revoked family', async () => {
    const store = makeStore();
    await store.startFamily('f3', { userId: 'u3', tokenHash: 'h1' }, 60_000);
    await store.revokeFamily('f3');
    expect(await store.rotateRefreshToken('f3', 'h1', 'h2')).toEqual({ outcome: 'unknown' });
  });

  it('counts login failures in a window opened by the first and clears them', async () => {
    const store = makeStore();
    expect(await store.loginFailures('a')).toEqual({ failures: 0, windowEndsInMs: 0 });
    await store.recordLoginFailure('a', 60_000);
    const second = await store.recordLoginFailure('a', 60_000);
    expect(second.failures).toBe(2);
    expect(second.windowEndsInMs).toBeGreaterThan(0);
    expect(second.windowEndsInMs).toBeLessThanOrEqual(60_000);
    expect((await store.loginFailures('a')).failures).toBe(2);
    expect((await store.loginFailures('b')).failures).toBe(0);
    await store.clearLoginFailures('a');
    expect((await store.loginFailures('a')).failures).toBe(0);
  });

  it('keeps signing keys until removed', async () => {
    const store = makeStore();
    const key = { kid: 'k1', createdAt: 1, privateJwk: { d: 'secret' }, publicJwk: { x: 'public' } };
    await store.saveSigningKey(key);
    await store.saveSigningKey({ ...key, kid: 'k2', createdAt: 2 });
    expect((await store.signingKeys()).map((stored) => stored.kid).sort()).toEqual(['k1', 'k2']);
    await store.removeSigningKey('k1');
    expect(await store.signingKeys()).toEqual([{ ...key, kid: 'k2', createdAt: 2 }]);
  });
});
