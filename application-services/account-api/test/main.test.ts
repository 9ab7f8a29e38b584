import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { sqliteDataService, startApp, staticDataServices } from '@strata/runtime/test-support';
import { createIdentityService } from '@strata/identity-service';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('account-api main (distributed mode, as its own process)', () => {
  const dataServices = staticDataServices();
  const prefix = `t:account-main:${newId()}:`;

  beforeAll(async () => {
    await dataServices.serve('STRATA_IDENTITY_ADDRESS', await sqliteDataService(createIdentityService));
  });

  afterAll(() => dataServices.close());

  it('serves register and login against identity-service over TCP, then stops cleanly on SIGTERM', async () => {
    const started = startApp('account-api', main, {
      STRATA_HTTP_PORT: '0',
      STRATA_REDIS_URL: stackEndpoints().redisUrl,
      ...dataServices.env(),
      STRATA_REDIS_KEY_PREFIX: prefix,
      STRATA_LOG_LEVEL: 'info',
    });
    try {
      const url = await started.listening();
      const account = {
        email: `main-${newId().slice(-8)}@example.org`,
        password: 'Correct-Horse-42',
        displayName: 'Main',
      };
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post('/auth/register', account)).status).toBe(201);
      const login = await post('/auth/login', { email: account.email, password: account.password });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(((await me.json()) as { email: string }).email).toBe(account.email);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      // Readiness covers what account-api cannot answer without: Redis and identity-service.
      expect(await health.json()).toMatchObject({ checks: { redis: 'ok', 'identity-service': 'ok' } });

      started.child.kill('SIGTERM');
      expect(await started.exited).toBe(0);
      expect(started.output()).toContain('account-api stopped cleanly');
      expect(started.output()).not.toContain(account.password);
    } finally {
      if (started.child.exitCode === null) started.child.kill('SIGKILL');
      const redis = new Redis(stackEndpoints().redisUrl);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('refuses to start with exit code 2 naming each invalid variable', async () => {
    const badValues = startApp('account-api', main, {
      STRATA_HTTP_PORT: 'eighty',
      STRATA_REDIS_URL: 'http://redis',
      STRATA_RPC_PLAINTEXT: '1',
    });
    expect(await badValues.exited).toBe(2);
    expect(badValues.output()).toContain('account-api cannot start, its environment is invalid:\n');
    expect(badValues.output()).toMatch(/^ {2}STRATA_HTTP_PORT: .+$/m);
    expect(badValues.output()).toMatch(/^ {2}STRATA_REDIS_URL: .+$/m);

    const missing = startApp('account-api', main, { STRATA_REGISTRY: 'static' });
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('STRATA_IDENTITY_ADDRESS: is required when STRATA_REGISTRY=static');
    expect(missing.output()).toContain('STRATA_TLS_CA_FILE: is required for mutual TLS');
  });
});
