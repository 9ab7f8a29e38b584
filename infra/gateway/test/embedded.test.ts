import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InProcessRegistry } from '@strata/rpc';
import { send } from './fixtures/harness.ts';
import { serveInProcess, TestGateway, type InProcessUpstream } from './fixtures/test-gateway.ts';

// Embedded mode (npm start): the application service, the registry and the limiter all live in
// the gateway's process.
const registry = new InProcessRegistry();
let upstream: InProcessUpstream;
let edge: TestGateway;
let url: string;

beforeAll(async () => {
  upstream = await serveInProcess(registry, 'account-api', 'account-embedded', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, user: req.headers['x-strata-user-id'] ?? null }));
  });
  edge = await TestGateway.start({
    registry,
    routes: {
      version: 1,
      routes: [
        {
          name: 'account',
          prefix: '/api/account',
          service: 'account-api',
          stripPrefix: true,
          plugins: { rateLimit: { limit: 3, periodSeconds: 3600 } },
        },
      ],
    },
    localMounts: [
      {
        prefix: '/docs',
        handler: (req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`docs page ${req.url}`);
        },
      },
    ],
  });
  url = edge.url;
});

afterAll(async () => {
  await edge.stop();
  await registry.close();
  await upstream.close();
});

describe('embedded mode', () => {
  it('routes through the in-process registry and limits with the in-memory limiter', async () => {
    const replies = [];
    for (let i = 0; i < 5; i += 1) replies.push(await send(url, '/api/account/sign-in'));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 429, 429]);
    expect(replies[0]!.json()).toEqual({ url: '/sign-in', user: null });
    expect(Number(replies[3]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('answers its local mounts itself, after the path check and without proxying', async () => {
    const page = await send(url, '/docs/events.html');
    expect(page.status).toBe(200);
    expect(page.text).toBe('docs page /docs/events.html');
    expect((await send(url, '/docs')).text).toBe('docs page /docs');
    expect((await send(url, '/docs/../api/account/x')).status).toBe(400);
    expect((await send(url, '/docsearch')).status).toBe(404);
  });

  it('stops routing to an instance as soon as it deregisters', async () => {
    await upstream.registration.deregister();
    const reply = await send(url, '/api/account/x', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    // Still limited per client IP (the socket's, not the forgeable header's), so 429 before 503 here.
    expect(reply.status).toBe(429);
    await edge.routes!.write({
      version: 1,
      routes: [{ name: 'account-open', prefix: '/api/account', service: 'account-api' }],
    });
    expect((await edge.gateway.reloadRoutes()).ok).toBe(true);
    const open = await send(url, '/api/account/x');
    expect(open.status).toBe(503);
    expect(open.json<{ detail: string }>().detail).toMatch(/no healthy instance of account-api/);
  });
});
