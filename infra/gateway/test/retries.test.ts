import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EtcdRegistry } from '@strata/rpc';
import { Gateway, MemoryRateLimiter } from '../src/index.ts';
import {
  etcdHosts,
  quietLogger,
  routesDir,
  send,
  startUpstream,
  uniquePrefix,
  waitFor,
  type RoutesDir,
  type Upstream,
} from './fixtures/harness.ts';

const prefix = uniquePrefix();
const adminToken = 'admin-token-for-retry-tests-0123456789';
const upstreams: Upstream[] = [];
let registry: EtcdRegistry;
let routes: RoutesDir;
let gateway: Gateway;
let url: string;
let adminUrl: string;

/** Timed-out attempts so far, summed over instances, from the gateway's own metrics. */
async function timedOutAttempts(): Promise<number> {
  const text = (await send(adminUrl, '/metrics', { headers: { authorization: `Bearer ${adminToken}` } }))
    .text;
  return [
    ...text.matchAll(
      /strata_gateway_upstream_attempts_total\{service="slow-api",instance="[^"]+",outcome="timeout"\} (\d+)/g,
    ),
  ].reduce((sum, match) => sum + Number(match[1]), 0);
}

beforeAll(async () => {
  upstreams.push(
    await startUpstream(prefix, 'slow-api', 's1'),
    await startUpstream(prefix, 'slow-api', 's2'),
  );
  routes = await routesDir();
  await routes.write({
    version: 1,
    routes: [{ name: 'slow', prefix: '/slow', service: 'slow-api', timeoutMs: 150, retries: 1 }],
  });
  registry = new EtcdRegistry({ hosts: etcdHosts, prefix, leaseTtlSeconds: 2 });
  // Failure threshold high enough that these timeouts do not eject anyone mid-test.
  gateway = new Gateway({
    registry,
    routesPath: routes.path,
    rateLimiter: new MemoryRateLimiter(),
    adminToken,
    health: { failureThreshold: 100 },
    watchRoutes: false,
    logger: quietLogger,
  });
  ({ url, adminUrl } = await gateway.start());
  await waitFor(async () => (await send(url, '/slow/x')).status === 200, 'the slow service to be routable');
});

afterAll(async () => {
  await gateway.stop();
  await Promise.all(upstreams.map((upstream) => upstream.kill()));
  await registry.close();
  await routes.remove();
});

describe('upstream timeouts and retries', () => {
  it('retries an idempotent request on another instance, then answers 504 problem+json', async () => {
    for (const method of ['GET', 'DELETE']) {
      const before = await timedOutAttempts();
      const reply = await send(url, '/slow/x?delayMs=1000', { method });
      expect(reply.status).toBe(504);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json<{ detail: string }>().detail).toMatch(/did not answer in time/);
      expect((await timedOutAttempts()) - before).toBe(2);
    }
  });

  it('never retries a non-idempotent request that reached an instance', async () => {
    for (const method of ['POST']) {
      const before = await timedOutAttempts();
      const reply = await send(url, '/slow/x?delayMs=1000', { method, body: '{}' });
      expect(reply.status).toBe(504);
      expect((await timedOutAttempts()) - before).toBe(1);
    }
  });
});
