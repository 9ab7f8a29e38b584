import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import {
  redisUrl,
  routesDir,
  send,
  startUpstream,
  uniquePrefix,
  type RoutesDir,
  type Upstream,
} from './fixtures/harness.ts';

const main = new URL('../src/main.ts', import.meta.url).pathname;

function run(env: Record<string, string>): {
  ready: Promise<{ url: string; adminUrl: string }>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): void;
} {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  const ready = new Promise<{ url: string; adminUrl: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((candidate) => candidate.startsWith('{"ready":true'));
      if (line !== undefined) resolve(JSON.parse(line) as { url: string; adminUrl: string });
    });
    void exit.then(({ code }) =>
      reject(new Error(`gateway exited with ${code} before it was ready: ${stderr}`)),
    );
  });
  // Cases that expect a refusal never await readiness; its rejection is theirs to ignore.
  ready.catch(() => {});
  return { ready, exit, stop: () => child.kill('SIGTERM') };
}

describe('gateway main', () => {
  const prefix = uniquePrefix();
  let upstream: Upstream;
  let routes: RoutesDir;
  let docsDir: string;

  beforeAll(async () => {
    docsDir = await mkdtemp(join(tmpdir(), 'strata-gateway-docs-'));
    await writeFile(join(docsDir, 'index.html'), '<h1>Strata docs</h1>');
    upstream = await startUpstream(prefix, 'alpha-api', 'main-1');
    routes = await routesDir();
    await routes.write({
      version: 1,
      routes: [
        {
          name: 'alpha',
          prefix: '/api/alpha',
          service: 'alpha-api',
          plugins: { rateLimit: { limit: 100, periodSeconds: 60 } },
        },
      ],
    });
  });

  afterAll(async () => {
    await upstream.kill();
    await routes.remove();
    await rm(docsDir, { recursive: true, force: true });
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const { exit } = run({ STRATA_GATEWAY_ADMIN_TOKEN: 'short', STRATA_GATEWAY_PORT: 'eighty' });
    const { code, stderr } = await exit;
    expect(code).toBe(2);
    expect(stderr).toContain('gateway cannot start, its environment is invalid:\n');
    expect(stderr).toContain('  STRATA_GATEWAY_ADMIN_TOKEN: must be at least 24 characters');
    expect(stderr).toContain('  STRATA_GATEWAY_PORT:');
  });

  it('refuses to start on a route file that needs auth when no JWKS is configured', async () => {
    const authRoutes = await routesDir();
    await authRoutes.write({
      version: 1,
      routes: [
        { name: 'alpha', prefix: '/api/alpha', service: 'alpha-api', plugins: { auth: { roles: [] } } },
      ],
    });
    const { exit } = run({
      STRATA_GATEWAY_ADMIN_TOKEN: 'a'.repeat(32),
      STRATA_GATEWAY_PORT: '0',
      STRATA_GATEWAY_ADMIN_PORT: '0',
      STRATA_GATEWAY_ROUTES: authRoutes.path,
      STRATA_GATEWAY_ETCD_PREFIX: prefix,
    });
    const { code, stdout } = await exit;
    await authRoutes.remove();
    expect(code).toBe(1);
    expect(stdout).toContain(
      'routes.0.plugins.auth: this gateway has no JWKS configured (STRATA_GATEWAY_JWKS_URL)',
    );
    expect(stdout).toContain('gateway could not start');
  });

  it('serves through etcd and Redis, and drains and exits 0 on SIGTERM', async () => {
    const gateway = run({
      STRATA_GATEWAY_ADMIN_TOKEN: 'a'.repeat(32),
      STRATA_GATEWAY_PORT: '0',
      STRATA_GATEWAY_ADMIN_PORT: '0',
      STRATA_GATEWAY_ROUTES: routes.path,
      STRATA_GATEWAY_ETCD_PREFIX: prefix,
      STRATA_GATEWAY_LOG_LEVEL: 'warn',
    });
    const { url, adminUrl } = await gateway.ready;
    const reply = await send(url, '/api/alpha/x');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-upstream-instance']).toBe('main-1');
    expect(reply.headers['ratelimit-limit']).toBe('100');
    expect((await send(adminUrl, '/health')).json()).toEqual({ status: 'ok' });
    gateway.stop();
    expect((await gateway.exit).code).toBe(0);
  });

  it('refuses to start when STRATA_GATEWAY_DOCS_DIR names no directory', async () => {
    const missing = join(docsDir, 'not-generated');
    const { exit } = run({
      STRATA_GATEWAY_ADMIN_TOKEN: 'a'.repeat(32),
      STRATA_GATEWAY_DOCS_DIR: missing,
      STRATA_GATEWAY_RATE_LIMIT_STORE: 'memory',
    });
    const { code, stderr } = await exit;
    expect(code).toBe(2);
    expect(stderr).toContain(`  STRATA_GATEWAY_DOCS_DIR: no directory at ${missing}`);
  });

  it('serves STRATA_GATEWAY_DOCS_DIR at /docs beside the routes', async () => {
    const gateway = run({
      STRATA_GATEWAY_ADMIN_TOKEN: 'a'.repeat(32),
      STRATA_GATEWAY_PORT: '0',
      STRATA_GATEWAY_ADMIN_PORT: '0',
      STRATA_GATEWAY_ROUTES: routes.path,
      STRATA_GATEWAY_ETCD_PREFIX: prefix,
      STRATA_GATEWAY_RATE_LIMIT_STORE: 'memory',
      STRATA_GATEWAY_DOCS_DIR: docsDir,
      STRATA_GATEWAY_LOG_LEVEL: 'warn',
    });
    try {
      const { url } = await gateway.ready;
      const index = await fetch(new URL('/docs/', url));
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await index.text()).toBe('<h1>Strata docs</h1>');
      expect((await send(url, '/docs')).headers.location).toBe('/docs/');
      expect((await send(url, '/docs/missing.html')).status).toBe(404);
      // The gateway's own target check still comes first.
      expect((await send(url, '/docs/../package.json')).status).toBe(400);
      expect((await send(url, '/api/alpha/x')).status).toBe(200);
    } finally {
      gateway.stop();
    }
    expect((await gateway.exit).code).toBe(0);
  });

  it('keeps its Redis rate-limit counters under STRATA_GATEWAY_RATE_LIMIT_PREFIX', async () => {
    const keyPrefix = `strata-test:gateway-main:${randomUUID()}:`;
    const redis = new Redis(redisUrl);
    const gateway = run({
      STRATA_GATEWAY_ADMIN_TOKEN: 'a'.repeat(32),
      STRATA_GATEWAY_PORT: '0',
      STRATA_GATEWAY_ADMIN_PORT: '0',
      STRATA_GATEWAY_ROUTES: routes.path,
      STRATA_GATEWAY_ETCD_PREFIX: prefix,
      STRATA_GATEWAY_RATE_LIMIT_PREFIX: keyPrefix,
      STRATA_GATEWAY_LOG_LEVEL: 'warn',
    });
    try {
      const { url } = await gateway.ready;
      const reply = await send(url, '/api/alpha/x');
      expect(reply.status).toBe(200);
      expect(reply.headers['ratelimit-remaining']).toBe('99');
      const keys = await redis.keys(`${keyPrefix}*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^${keyPrefix}alpha:`));
      await redis.del(...keys);
    } finally {
      gateway.stop();
      redis.disconnect();
    }
    expect((await gateway.exit).code).toBe(0);
  });
});
