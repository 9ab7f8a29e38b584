import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EtcdRegistry } from '@strata/rpc';
import { Gateway, MemoryRateLimiter, type UpstreamView } from '../src/index.ts';
import {
  etcdHosts,
  quietLogger,
  routesDir,
  send,
  startUpstream,
  uniquePrefix,
  waitFor,
  type Reply,
  type RoutesDir,
  type Upstream,
} from './fixtures/harness.ts';

const prefix = uniquePrefix();
const adminToken = 'admin-token-for-failover-tests-0123456789';
const upstreams: Upstream[] = [];
let registry: EtcdRegistry;
let routes: RoutesDir;
let gateway: Gateway;
let url: string;
let adminUrl: string;

async function views(): Promise<UpstreamView[]> {
  const reply = await send(adminUrl, '/upstreams', { headers: { authorization: `Bearer ${adminToken}` } });
  return reply.json<Record<string, UpstreamView[]>>()['learner-api'] ?? [];
}

function round(count: number, delayMs: number): Promise<{ method: string; reply: Reply }[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const method = i % 3 === 2 ? 'POST' : 'GET';
      const reply = await send(
        url,
        `/api/learner/work?delayMs=${delayMs}`,
        method === 'POST'
          ? { method, body: '{"n":1}', headers: { 'content-type': 'application/json' } }
          : { method },
      );
      return { method, reply };
    }),
  );
}

beforeAll(async () => {
  upstreams.push(
    await startUpstream(prefix, 'learner-api', 'u1'),
    await startUpstream(prefix, 'learner-api', 'u2'),
  );
  routes = await routesDir();
  await routes.write({
    version: 1,
    routes: [
      {
        name: 'learner',
        prefix: '/api/learner',
        service: 'learner-api',
        stripPrefix: true,
        retries: 2,
        timeoutMs: 3000,
      },
    ],
  });
  registry = new EtcdRegistry({ hosts: etcdHosts, prefix, leaseTtlSeconds: 2 });
  gateway = new Gateway({
    registry,
    routesPath: routes.path,
    rateLimiter: new MemoryRateLimiter(),
    adminToken,
    health: { intervalMs: 200, timeoutMs: 500 },
    watchRoutes: false,
    logger: quietLogger,
  });
  ({ url, adminUrl } = await gateway.start());
  await waitFor(async () => (await views()).length === 2, 'both upstream instances in the gateway view');
});

afterAll(async () => {
  await gateway.stop();
  await Promise.all(upstreams.map((upstream) => upstream.kill('SIGKILL')));
  await registry.close();
  await routes.remove();
});

describe('an upstream instance dies mid-load', () => {
  it('spreads load over both instances while both are up', async () => {
    const replies = await round(12, 0);
    expect(replies.every(({ reply }) => reply.status === 200)).toBe(true);
    expect(new Set(replies.map(({ reply }) => reply.headers['x-upstream-instance']))).toEqual(
      new Set(['u1', 'u2']),
    );
  });

  it('fails only in-flight non-idempotent requests, ejects the dead instance, and sends later traffic to the survivor', async () => {
    const inFlight = round(30, 300);
    // Kill once requests are held by both instances (each waits 300 ms before answering).
    await new Promise((resolve) => setTimeout(resolve, 100));
    await upstreams[0]!.kill('SIGKILL');
    const replies = await inFlight;
    for (const { method, reply } of replies) {
      if (method === 'GET') {
        expect(reply.status).toBe(200);
      } else if (reply.status !== 200) {
        expect([502, 503]).toContain(reply.status);
        expect(reply.headers['content-type']).toBe('application/problem+json');
      }
    }
    const dead = (await views()).find((view) => view.id === 'u1');
    // Ejected at once by the refused/reset connections, or already gone from etcd once its lease lapsed.
    if (dead !== undefined) {
      expect(dead.healthy).toBe(false);
      expect(dead.ejectedReason).toMatch(/ECONNRESET|ECONNREFUSED|UND_ERR_SOCKET|health check/);
    }
    const after = await round(15, 0);
    expect(after.map(({ reply }) => reply.status)).toEqual(Array(15).fill(200));
    expect(new Set(after.map(({ reply }) => reply.headers['x-upstream-instance']))).toEqual(new Set(['u2']));
  });

  it('routes to an instance started later, without a gateway restart', async () => {
    upstreams.push(await startUpstream(prefix, 'learner-api', 'u3'));
    await waitFor(
      async () => (await views()).some((view) => view.id === 'u3' && view.healthy),
      'u3 in the gateway view',
    );
    const replies = await round(12, 0);
    expect(replies.map(({ reply }) => reply.status)).toEqual(Array(12).fill(200));
    expect(new Set(replies.map(({ reply }) => reply.headers['x-upstream-instance']))).toEqual(
      new Set(['u2', 'u3']),
    );
  });

  it('answers 503 problem+json when every instance is down, and ejects them', async () => {
    await Promise.all(upstreams.slice(1).map((upstream) => upstream.kill('SIGKILL')));
    for (const reply of [
      await send(url, '/api/learner/x'),
      await send(url, '/api/learner/x', { method: 'POST', body: 'x' }),
    ]) {
      expect(reply.status).toBe(503);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json<{ detail: string }>().detail).toMatch(/ejected until healthy|no healthy instance/);
    }
    expect((await views()).every((view) => !view.healthy)).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests and stops accepting new ones', async () => {
    const survivor = await startUpstream(prefix, 'learner-api', 'u4');
    upstreams.push(survivor);
    const ownRegistry = new EtcdRegistry({ hosts: etcdHosts, prefix, leaseTtlSeconds: 2 });
    const draining = new Gateway({
      registry: ownRegistry,
      routesPath: routes.path,
      rateLimiter: new MemoryRateLimiter(),
      adminToken,
      watchRoutes: false,
      logger: quietLogger,
    });
    const { url: drainingUrl } = await draining.start();
    const slow = send(drainingUrl, '/api/learner/slow?delayMs=400');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = draining.stop();
    const reply = await slow;
    await stopped;
    expect(reply.status).toBe(200);
    expect(reply.headers['x-upstream-instance']).toBe('u4');
    await expect(send(drainingUrl, '/api/learner/x')).rejects.toThrow(/ECONNREFUSED/);
    await ownRegistry.close();
  });
});
