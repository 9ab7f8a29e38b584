import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createCommerceService } from '@strata/commerce-service';
import { createEngagementService } from '@strata/engagement-service';
import { createLearningService } from '@strata/learning-service';
import { stackEndpoints } from '@strata/dev-stack';
import { EtcdRegistry } from '@strata/rpc';
import {
  sqliteDataService,
  startApp,
  staticDataServices,
  type StartedApp,
} from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

// Each test spawns service processes; on a busy 2-core CI machine one start can take seconds. A
// bound on a hung child, not a performance claim (jest's default of 5 s is not).
jest.setTimeout(60_000);

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('studio-api main (distributed mode, as its own process)', () => {
  // commerce-service, learning-service beside it (studio-api's readiness covers both) and
  // engagement-service (campaign links).
  const dataServices = staticDataServices();
  let jwks: Server;
  let jwksUrl: string;
  let sign: (userId: string) => Promise<string>;

  beforeAll(async () => {
    await dataServices.serve(
      'STRATA_COMMERCE_ADDRESS',
      await sqliteDataService((options) =>
        createCommerceService({
          ...options,
          paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
        }),
      ),
    );
    await dataServices.serve(
      'STRATA_LEARNING_ADDRESS',
      await sqliteDataService((options) => createLearningService(options)),
    );
    await dataServices.serve(
      'STRATA_ENGAGEMENT_ADDRESS',
      await sqliteDataService((options) =>
        createEngagementService({ ...options, shortDomain: 'strata.link' }),
      ),
    );
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'main-test', alg: 'EdDSA', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const address = jwks.address();
    if (address === null || typeof address === 'string') throw new Error('JWKS server is not on TCP');
    jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
    sign = (userId) =>
      new SignJWT({ roles: ['instructor'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'main-test' })
        .setSubject(userId)
        .setIssuer('strata-account-api')
        .setAudience('strata')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
  });

  afterAll(async () => {
    await dataServices.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('serves an instructor over TCP to commerce-service and stops cleanly on SIGTERM', async () => {
    const started = startApp('studio-api', main, {
      STRATA_HTTP_PORT: '0',
      ...dataServices.env(),
      STRATA_JWKS_URL: jwksUrl,
    });
    const url = await started.listening();
    const response = await fetch(`${url}/courses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(newId())}` },
      body: JSON.stringify({ title: 'Distributed Drafting' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ title: 'Distributed Drafting', status: 'draft' });

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('studio-api stopped cleanly');
  });

  it('with STRATA_REGISTRY=etcd finds commerce- and learning-service there, registers itself for the gateway, and leaves on SIGTERM', async () => {
    const prefix = `/strata-test/${newId()}/services`;
    // A long lease: an instance gone right after exit was deregistered, not expired.
    const registry = new EtcdRegistry({ hosts: stackEndpoints().etcdHosts, prefix, leaseTtlSeconds: 60 });
    let started: StartedApp | undefined;
    try {
      const commerceRegistration = await registry.register({
        id: 'commerce-under-test',
        service: 'commerce-service',
        host: '127.0.0.1',
        port: dataServices.port('commerce-service'),
      });
      await registry.register({
        id: 'learning-under-test',
        service: 'learning-service',
        host: '127.0.0.1',
        port: dataServices.port('learning-service'),
      });
      await registry.register({
        id: 'engagement-under-test',
        service: 'engagement-service',
        host: '127.0.0.1',
        port: dataServices.port('engagement-service'),
      });
      started = startApp('studio-api', main, {
        STRATA_HTTP_PORT: '0',
        STRATA_REGISTRY: 'etcd',
        STRATA_ETCD_HOSTS: stackEndpoints().etcdHosts.join(','),
        STRATA_ETCD_PREFIX: prefix,
        STRATA_ETCD_LEASE_TTL_SECONDS: '60',
        STRATA_RPC_PLAINTEXT: '1',
        STRATA_JWKS_URL: jwksUrl,
      });
      const url = await started.listening();
      expect(started.output()).toMatch(
        /studio-api listening on http:\/\/127\.0\.0\.1:\d+, registered in etcd as studio-api-/,
      );
      const [instance, ...others] = await registry.instances('studio-api');
      expect(others).toEqual([]);
      expect(`http://${instance!.host}:${instance!.port}`).toBe(url);
      expect(instance!.tls).toBe(false);
      const healthy = await fetch(`${url}/health`);
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({
        checks: { 'commerce-service': 'ok', 'learning-service': 'ok', 'engagement-service': 'ok' },
      });
      const drafted = await fetch(`${url}/courses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(newId())}` },
        body: JSON.stringify({ title: 'Found Through etcd' }),
      });
      expect(drafted.status).toBe(201);

      // Readiness follows commerce-service: with no instance left in etcd, studio-api cannot serve.
      await commerceRegistration.deregister();
      // 15 s of time (it was 100 asks 50 ms apart, ~5 s here), under the test's 60 s.
      const health = await waitFor('GET /health to stop answering 200', () => fetch(`${url}/health`), {
        done: (answer) => answer.status !== 200,
        timeoutMs: 15_000,
      });
      expect(health.status).toBe(503);
      expect(await health.text()).toContain(
        'commerce-service: no instance of commerce-service can take calls',
      );

      started.child.kill('SIGTERM');
      expect(await started.exited).toBe(0);
      expect(started.output()).toContain('studio-api stopped cleanly');
      expect(await registry.instances('studio-api')).toEqual([]);
    } finally {
      // A failed expectation must not leave the process running (and the test run waiting on it).
      if (started?.child.exitCode === null) started.child.kill('SIGKILL');
      await registry.close();
    }
  });

  it('refuses to start on a bad environment, naming the variables to fix', async () => {
    const badPort = startApp('studio-api', main, { STRATA_HTTP_PORT: 'eighty' });
    expect(await badPort.exited).toBe(2);
    expect(badPort.output()).toContain('STRATA_HTTP_PORT');
    const undecided = startApp('studio-api', main, { STRATA_REGISTRY: 'static' });
    expect(await undecided.exited).toBe(2);
    for (const variable of [
      'STRATA_COMMERCE_ADDRESS',
      'STRATA_LEARNING_ADDRESS',
      'STRATA_ENGAGEMENT_ADDRESS',
      'STRATA_TLS_CA_FILE',
      'STRATA_TLS_CERT_FILE',
    ]) {
      expect(undecided.output()).toContain(variable);
    }
  });
});
