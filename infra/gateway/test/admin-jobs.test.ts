import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BullMqJobs } from '@strata/jobs/bullmq';
import { InProcessRegistry } from '@strata/rpc';
import { z } from '@strata/shared-kernel';
import { Gateway, MemoryRateLimiter } from '../src/index.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { quietLogger, redisUrl, routesDir, send, type RoutesDir } from './fixtures/harness.ts';

// The admin API's read of the data services' job queues (ADR 0010), on a real BullMQ queue.
const adminToken = 'admin-token-for-job-queue-tests-0123456789';
const prefix = `strata-test-${randomUUID()}`;
const registry = new InProcessRegistry();
// The data service's side: runs the jobs. The gateway's side: a second handle that only reads.
const worker = new BullMqJobs({ redisUrl, prefix, queue: 'commerce-service' });
const view = new BullMqJobs({ redisUrl, prefix, queue: 'commerce-service' });
let routes: RoutesDir;
let gateway: Gateway;
let adminUrl: string;

beforeAll(async () => {
  routes = await routesDir();
  await routes.write({ version: 1, routes: [] });
  gateway = new Gateway({
    registry,
    routesPath: routes.path,
    rateLimiter: new MemoryRateLimiter(),
    adminToken,
    watchRoutes: false,
    logger: quietLogger,
    jobQueues: { 'commerce-service': view },
  });
  ({ adminUrl } = await gateway.start());
});

afterAll(async () => {
  await gateway.stop();
  await Promise.all([worker.close(), view.close(), registry.close()]);
  await routes.remove();
});

describe('GET /jobs on the admin API', () => {
  it('shows each data service queue depth and its latest failures to an operator with the admin token', async () => {
    worker.define('order.expire', {
      payload: z.object({ orderId: z.string() }),
      handle: async ({ orderId }) => {
        throw new Error(`order ${orderId} is gone`);
      },
    });
    await worker.start();
    await worker.schedule({ name: 'order.expire', id: 'expiry-1', payload: { orderId: 'o-1' }, attempts: 1 });
    await worker.schedule({
      name: 'order.expire',
      id: 'expiry-2',
      payload: { orderId: 'o-2' },
      delayMs: 3_600_000,
    });
    await waitFor('the first job failed', async () => (await view.stats()).failed === 1, {
      timeoutMs: 15_000,
    });

    const reply = await send(adminUrl, '/jobs', { headers: { authorization: `Bearer ${adminToken}` } });
    expect(reply.status).toBe(200);
    const body = reply.json<Record<string, { stats: unknown; failures: { id: string; error: string }[] }>>();
    expect(body['commerce-service']!.stats).toEqual({ waiting: 0, delayed: 1, active: 0, failed: 1 });
    expect(body['commerce-service']!.failures).toEqual([
      expect.objectContaining({
        id: 'expiry-1',
        name: 'order.expire',
        attempts: 1,
        error: 'order o-1 is gone',
      }),
    ]);
    await worker.cancel('expiry-2');
  });

  it('refuses a request without the admin token, like every admin route', async () => {
    const reply = await send(adminUrl, '/jobs');
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toBe('application/problem+json');
  });
});
