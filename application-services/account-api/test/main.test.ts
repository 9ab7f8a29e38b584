import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { sqliteDataService, type SqliteDataService } from '@strata/runtime/test-support';
import { createIdentityService, type IdentityService } from '@strata/identity-service';
import { listenTcp, type RpcListener } from '@strata/rpc';
import { newId } from '@strata/shared-kernel';
import { Redis } from 'ioredis';

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', main], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function listening(started: Started): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /account-api listening on (http:\/\/[\d.]+:\d+)/.exec(started.output());
      if (match) {
        started.child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    started.child.stdout!.on('data', check);
    void started.exited.then((code) =>
      reject(new Error(`account-api exited (${code}) before listening:\n${started.output()}`)),
    );
  });
}

describe('account-api main (distributed mode, as its own process)', () => {
  let running: SqliteDataService<IdentityService>;
  let listener: RpcListener;
  const prefix = `t:account-main:${newId()}:`;

  beforeAll(async () => {
    running = await sqliteDataService(createIdentityService);
    listener = await listenTcp({ handler: running.service.handler, tls: false });
  });

  afterAll(async () => {
    await listener?.close();
    await running?.stop();
  });

  it('serves register and login against identity-service over TCP, then stops cleanly on SIGTERM', async () => {
    const started = start({
      STRATA_HTTP_PORT: '0',
      STRATA_REDIS_URL: stackEndpoints().redisUrl,
      STRATA_REGISTRY: 'static',
      STRATA_IDENTITY_ADDRESS: `${listener.address.host}:${listener.address.port}`,
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_REDIS_KEY_PREFIX: prefix,
      STRATA_LOG_LEVEL: 'info',
    });
    try {
      const url = await listening(started);
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
    const badValues = start({
      STRATA_HTTP_PORT: 'eighty',
      STRATA_REDIS_URL: 'http://redis',
      STRATA_RPC_PLAINTEXT: '1',
    });
    expect(await badValues.exited).toBe(2);
    expect(badValues.output()).toContain('account-api cannot start, its environment is invalid:\n');
    expect(badValues.output()).toMatch(/^ {2}STRATA_HTTP_PORT: .+$/m);
    expect(badValues.output()).toMatch(/^ {2}STRATA_REDIS_URL: .+$/m);

    const missing = start({ STRATA_REGISTRY: 'static' });
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('STRATA_IDENTITY_ADDRESS: is required when STRATA_REGISTRY=static');
    expect(missing.output()).toContain('STRATA_TLS_CA_FILE: is required for mutual TLS');
  });
});
