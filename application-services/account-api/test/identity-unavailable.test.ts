import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ClusterInvoker,
  connectTcp,
  RedialingConnection,
  StaticRegistry,
  type ServiceInstance,
} from '@strata/rpc';
import { createLogger } from '@strata/runtime';
import { createAccountApi, MemoryAccountStore } from '../src/index.ts';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('account-api when identity-service cannot be reached', () => {
  let app: NestFastifyApplication;
  let invoker: ClusterInvoker;
  let url: string;

  beforeAll(async () => {
    const port = await closedPort();
    invoker = new ClusterInvoker({
      registry: new StaticRegistry([
        { id: 'identity-gone', service: 'identity-service', host: '127.0.0.1', port, tls: false },
      ]),
      connect: (instance: ServiceInstance) =>
        new RedialingConnection(
          () => connectTcp({ host: instance.host, port: instance.port, tls: false, connectTimeoutMs: 500 }),
          `identity-service at ${instance.host}:${instance.port}`,
        ),
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 5 },
    });
    app = await createAccountApi({
      identity: (request, options) => invoker.invoke(request, options),
      store: new MemoryAccountStore(),
      logger: createLogger({ service: 'account-api', level: 'silent' }),
      issuer: 'iss',
      audience: 'aud',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await invoker?.close();
  });

  it('answers 503 problem+json, not 500, and does not count a failed login', async () => {
    const login = () =>
      fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.org', password: 'Correct-Horse-42' }),
      });
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      const response = await login();
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { status: number; title: string };
      expect(problem).toMatchObject({ status: 503, title: 'Service unavailable' });
    }
  });
});
