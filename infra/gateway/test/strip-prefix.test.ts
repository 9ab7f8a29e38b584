import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InProcessRegistry } from '@strata/rpc';
import { validateRouteFile } from '../src/index.ts';
import { send } from './fixtures/harness.ts';
import { serveInProcess, TestGateway, type InProcessUpstream } from './fixtures/test-gateway.ts';

const registry = new InProcessRegistry();
let upstream: InProcessUpstream;
let edge: TestGateway;
let url: string;

beforeAll(async () => {
  upstream = await serveInProcess(registry, 'learner-api', 'learner-1', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url }));
  });
  edge = await TestGateway.start({
    registry,
    routes: {
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
    },
  });
  url = edge.url;
});

afterAll(async () => {
  await edge.stop();
  await registry.close();
  await upstream.close();
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
