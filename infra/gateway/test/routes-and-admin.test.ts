import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisRateLimiter, validateRouteFile, type RateLimiter, type RouteFile } from '../src/index.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import {
  quietLogger,
  send,
  setupBoundMs,
  startUpstream,
  uniquePrefix,
  type Reply,
  type RoutesDir,
  type Upstream,
} from './fixtures/harness.ts';
import { testAdminToken as adminToken, TestGateway } from './fixtures/test-gateway.ts';

const prefix = uniquePrefix();
const admin = { authorization: `Bearer ${adminToken}` };
let upstream: Upstream;
let edge: TestGateway;
let routes: RoutesDir;
let url: string;
let adminUrl: string;

const firstFile = {
  version: 1,
  routes: [
    {
      name: 'alpha',
      prefix: '/api/alpha',
      service: 'alpha-api',
      stripPrefix: true,
      bodyLimitBytes: 1024,
      plugins: { cors: { origins: ['https://app.example'], credentials: true } },
    },
  ],
};

interface RoutesView {
  revision: number;
  lastRefused: { errors: string[] } | null;
  file: RouteFile;
}

async function routesView(): Promise<RoutesView> {
  return (await send(adminUrl, '/routes', { headers: admin })).json<RoutesView>();
}

function expectRefusedByGateway(reply: Reply, status: number, detail: RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  const body = reply.json<{
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
  }>();
  expect(body).toMatchObject({ status });
  expect(body.type).toMatch(/^https:\/\/strata\.dev\/problems\/[a-z0-9-]+$/);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.instance).toMatch(/^urn:strata:request:/);
  expect(body.detail).toMatch(detail);
  expect(reply.headers['x-upstream-instance']).toBeUndefined();
}

beforeAll(async () => {
  upstream = await startUpstream(prefix, 'alpha-api', 'alpha-1');
  edge = await TestGateway.start({
    etcdPrefix: prefix,
    routes: firstFile,
    maxHeaderBytes: 8192,
    watchRoutes: true,
  });
  ({ url, adminUrl } = edge);
  routes = edge.routes!;
}, setupBoundMs);

afterAll(async () => {
  await edge.stop();
  await upstream.kill();
}, setupBoundMs);

describe('route file', () => {
  it('names the field path and reason of every error', () => {
    const result = validateRouteFile({
      version: 2,
      routes: [
        {
          name: 'Bad Name',
          prefix: 'no-slash',
          service: 'x',
          plugins: { rateLimit: { limit: 0, periodSeconds: 1 } },
        },
        { name: 'dup', prefix: '/a/../b', service: 'x', retries: 9 },
        { name: 'dup', prefix: '/c', service: 'x', extra: true },
      ],
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^routes\.0\.name: must be lower-case/),
        expect.stringMatching(/^routes\.0\.prefix: must start with "\/"/),
        expect.stringMatching(/^routes\.0\.plugins\.rateLimit\.limit: /),
        expect.stringMatching(/^routes\.1\.prefix: must not contain "\." or "\.\." segments/),
        expect.stringMatching(/^routes\.1\.retries: /),
        expect.stringMatching(/^routes\.2: .*extra/),
      ]),
    );
  });
});

describe('hot reload', () => {
  it('serves a route added to the file without a restart and without dropping an in-flight request', async () => {
    expect((await send(url, '/api/beta/x')).status).toBe(404);
    const slow = send(url, '/api/alpha/slow?delayMs=400');
    const before = (await routesView()).revision;
    await routes.write({
      ...firstFile,
      routes: [...firstFile.routes, { name: 'beta', prefix: '/api/beta', service: 'alpha-api' }],
    });
    await waitFor('the new route file to be loaded', async () => (await routesView()).revision > before, {
      timeoutMs: 15_000,
    });
    const beta = await send(url, '/api/beta/x');
    expect(beta.status).toBe(200);
    expect(beta.json<{ url: string }>().url).toBe('/api/beta/x');
    const slowReply = await slow;
    expect(slowReply.status).toBe(200);
    expect(slowReply.json<{ url: string }>().url).toBe('/slow?delayMs=400');
  });

  it('refuses a bad file, logs why, and keeps serving the previous routes', async () => {
    const before = await routesView();
    await routes.writeText(JSON.stringify({ version: 1, routes: [{ name: 'gamma', prefix: '/api/gamma' }] }));
    await waitFor('the bad route file to be refused', async () => (await routesView()).lastRefused !== null, {
      timeoutMs: 15_000,
    });
    const after = await routesView();
    expect(after.revision).toBe(before.revision);
    expect(after.lastRefused!.errors).toContain(
      'routes.0.service: Invalid input: expected string, received undefined',
    );
    expect((await send(url, '/api/beta/x')).status).toBe(200);
    expect((await send(url, '/api/gamma/x')).status).toBe(404);

    await routes.writeText('{ "version": 1, "routes": [');
    await waitFor(
      'the truncated file to be refused',
      async () => (await routesView()).lastRefused!.errors[0]!.includes('not valid JSON'),
      { timeoutMs: 15_000 },
    );
    expect((await routesView()).revision).toBe(before.revision);
    expect((await send(url, '/api/alpha/x')).status).toBe(200);
  });
});

describe('admin API', () => {
  it('refuses requests without the admin token, or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${adminToken}x` },
      { authorization: adminToken },
    ];
    for (const headers of attempts) {
      const reply = await send(adminUrl, '/routes', { headers });
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.text).not.toContain('alpha');
    }
  });

  it('lists routes with their plugins, and upstream instances with their health', async () => {
    const view = await routesView();
    expect(view.file.routes.find((route) => route.name === 'alpha')?.plugins.cors?.origins).toEqual([
      'https://app.example',
    ]);
    const upstreams = (await send(adminUrl, '/upstreams', { headers: admin })).json<
      Record<string, { id: string; healthy: boolean; origin: string }[]>
    >();
    expect(upstreams['alpha-api']).toEqual([
      expect.objectContaining({ id: 'alpha-1', healthy: true, origin: `http://127.0.0.1:${upstream.port}` }),
    ]);
  });

  it('dry-runs a route file: valid → 200, invalid → 422 with field paths, and nothing is applied', async () => {
    const revision = (await routesView()).revision;
    const valid = await send(adminUrl, '/routes/validate', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        version: 1,
        routes: [{ name: 'delta', prefix: '/api/delta', service: 'delta-api' }],
      }),
    });
    expect(valid.status).toBe(200);
    expect(valid.json()).toEqual({ valid: true, routes: ['delta'] });
    const invalid = await send(adminUrl, '/routes/validate', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        version: 1,
        routes: [
          { name: 'delta', prefix: '/api/delta', service: 'delta-api', plugins: { auth: { roles: ['x'] } } },
        ],
      }),
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json<{ errors: string[] }>().errors).toEqual([
      'routes.0.plugins.auth: this gateway has no JWKS configured (STRATA_GATEWAY_JWKS_URL)',
    ]);
    expect((await routesView()).revision).toBe(revision);
    expect((await send(url, '/api/delta/x')).status).toBe(404);
  });

  it('exposes Prometheus metrics per route and upstream', async () => {
    await send(url, '/api/alpha/metered');
    const text = (await send(adminUrl, '/metrics', { headers: admin })).text;
    expect(text).toMatch(/strata_gateway_requests_total\{route="alpha",method="GET",status="200"\} \d+/);
    expect(text).toMatch(
      /strata_gateway_upstream_attempts_total\{service="alpha-api",instance="alpha-1",outcome="ok"\} \d+/,
    );
  });
});

describe('bad input is refused with 4xx problem+json and never forwarded', () => {
  it.each([
    ['/api/alpha/../beta/x', /"\." or "\.\." segment/],
    ['/api/alpha/%2e%2e/beta', /"\." or "\.\." segment/],
    ['/api/alpha/%2E%2E/beta', /"\." or "\.\." segment/],
    ['/api/alpha/%252e%252e/beta', /"\." or "\.\." segment/],
    ['/api/alpha/./x', /"\." or "\.\." segment/],
    ['//api/alpha/x', /empty segment/],
    ['/api/alpha//x', /empty segment/],
    ['/api/alpha/%2fetc', /encoded/],
    ['/api/alpha/a\\..\\b', /backslash/],
    ['/api/alpha/%zz', /malformed percent-encoding/],
  ])('path %s → 400', async (path, detail) => {
    expectRefusedByGateway(await send(url, path), 400, detail);
  });

  it('an unknown route → 404', async () => {
    expectRefusedByGateway(await send(url, '/api/unknown/x'), 404, /no route serves \/api\/unknown\/x/);
    expectRefusedByGateway(await send(url, '/api/alphabet'), 404, /no route/);
  });

  it('oversized request headers → 431', async () => {
    const reply = await send(url, '/api/alpha/x', { headers: { 'x-padding': 'a'.repeat(10_000) } });
    expect(reply.status).toBe(431);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json<{ detail: string }>().detail).toMatch(/exceeds 8192 bytes/);
  });

  it('an oversized body → 413, declared or streamed', async () => {
    expectRefusedByGateway(
      await send(url, '/api/alpha/x', { method: 'POST', body: 'x'.repeat(2048) }),
      413,
      /at most 1024/,
    );
    expectRefusedByGateway(
      await send(url, '/api/alpha/x', {
        method: 'POST',
        headers: { 'transfer-encoding': 'chunked' },
        body: 'x'.repeat(2048),
      }),
      413,
      /at most 1024/,
    );
    const fits = await send(url, '/api/alpha/x', { method: 'POST', body: 'x'.repeat(1000) });
    expect(fits.json<{ bodyLength: number }>().bodyLength).toBe(1000);
  });
});

describe('CORS', () => {
  it('answers an allowed preflight itself and decorates the response', async () => {
    const preflight = await send(url, '/api/alpha/x', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(preflight.headers['access-control-allow-methods']).toContain('PUT');
    const actual = await send(url, '/api/alpha/x', { headers: { origin: 'https://app.example' } });
    expect(actual.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(actual.headers['x-upstream-instance']).toBe('alpha-1');
  });

  it('refuses a preflight from another origin and gives its requests no CORS headers', async () => {
    const preflight = await send(url, '/api/alpha/x', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expectRefusedByGateway(preflight, 403, /origin https:\/\/evil.example is not allowed/);
    const actual = await send(url, '/api/alpha/x', { headers: { origin: 'https://evil.example' } });
    expect(actual.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate-limit store down, fail-closed', () => {
  let closedEdge: TestGateway;
  let closedLimiter: RateLimiter;

  beforeAll(async () => {
    closedLimiter = await RedisRateLimiter.open({
      url: 'redis://127.0.0.1:1',
      onStoreError: 'closed',
      logger: quietLogger,
    });
    closedEdge = await TestGateway.start({
      etcdPrefix: prefix,
      rateLimiter: closedLimiter,
      routes: {
        version: 1,
        routes: [
          {
            name: 'limited',
            prefix: '/api/alpha',
            service: 'alpha-api',
            plugins: { rateLimit: { limit: 5, periodSeconds: 60 } },
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await closedEdge.stop();
    await closedLimiter.close();
  });

  it('answers 503 problem+json rather than letting traffic through unlimited', async () => {
    expectRefusedByGateway(
      await send(closedEdge.url, '/api/alpha/x'),
      503,
      /rate-limit store is unreachable/,
    );
  });
});
