import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InProcessRegistry } from '@strata/rpc';
import { Gateway, MemoryRateLimiter, validateRouteFile } from '../src/index.ts';
import { quietLogger, routesDir, send, type RoutesDir } from './fixtures/harness.ts';

// A public sub-route (browsing the catalog) under a prefix whose other paths need a login.
const registry = new InProcessRegistry();
let upstream: Server;
let routes: RoutesDir;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  await registry.register({
    id: 'learner-1',
    service: 'learner-api',
    host: '127.0.0.1',
    port: (upstream.address() as AddressInfo).port,
  });
  routes = await routesDir();
  await routes.write({
    version: 1,
    routes: [
      {
        name: 'catalog',
        prefix: '/api/learner/courses',
        service: 'learner-api',
        stripPrefix: '/api/learner',
      },
      { name: 'learner', prefix: '/api/learner', service: 'learner-api', stripPrefix: true },
      { name: 'raw', prefix: '/raw', service: 'learner-api' },
    ],
  });
  gateway = new Gateway({
    registry,
    routesPath: routes.path,
    rateLimiter: new MemoryRateLimiter(),
    adminToken: 'admin-token-for-strip-prefix-tests-0123456789',
    watchRoutes: false,
    logger: quietLogger,
  });
  ({ url } = await gateway.start());
});

afterAll(async () => {
  await gateway.stop();
  await registry.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  await routes.remove();
});

describe('stripPrefix', () => {
  it('removes the named leading part, the whole prefix, or nothing', async () => {
    expect((await send(url, '/api/learner/courses?text=ddd')).json()).toEqual({ url: '/courses?text=ddd' });
    expect((await send(url, '/api/learner/courses/42')).json()).toEqual({ url: '/courses/42' });
    expect((await send(url, '/api/learner/me')).json()).toEqual({ url: '/me' });
    expect((await send(url, '/raw/x')).json()).toEqual({ url: '/raw/x' });
  });

  it('refuses a stripPrefix that is not a leading part of the route prefix, naming the field', () => {
    const result = validateRouteFile({
      version: 1,
      routes: [{ name: 'bad', prefix: '/api/learner', service: 'learner-api', stripPrefix: '/api/studio' }],
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      "routes.0.stripPrefix: must be a leading part of the route's prefix /api/learner",
    ]);
  });
});
