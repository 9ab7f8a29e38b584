import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { send, setupBoundMs, startUpstreams, uniquePrefix, type Upstream } from './fixtures/harness.ts';
import { TestGateway } from './fixtures/test-gateway.ts';

const prefix = uniquePrefix();
const upstreams: Upstream[] = [];
let edge: TestGateway | undefined;
let url: string;

/** Attempts so far with this outcome, summed over instances, from the gateway's own metrics. */
async function attempts(outcome: 'timeout' | 'error'): Promise<number> {
  const text = (await edge!.admin('/metrics')).text;
  const series = new RegExp(
    `strata_gateway_upstream_attempts_total\\{service="slow-api",instance="[^"]+",outcome="${outcome}"\\} (\\d+)`,
    'g',
  );
  return [...text.matchAll(series)].reduce((sum, match) => sum + Number(match[1]), 0);
}

const timedOutAttempts = () => attempts('timeout');

beforeAll(async () => {
  upstreams.push(...(await startUpstreams(prefix, 'slow-api', ['s1', 's2'])));
  edge = await TestGateway.start({
    etcdPrefix: prefix,
    routes: {
      version: 1,
      routes: [{ name: 'slow', prefix: '/slow', service: 'slow-api', timeoutMs: 150, retries: 1 }],
    },
    // Failure threshold high enough that these timeouts do not eject anyone mid-test.
    health: { failureThreshold: 100 },
  });
  url = edge.url;
  await waitFor('the slow service to be routable', async () => (await send(url, '/slow/x')).status === 200, {
    timeoutMs: 15_000,
  });
}, setupBoundMs);

afterAll(async () => {
  await edge?.stop();
  await Promise.all(upstreams.map((upstream) => upstream.kill()));
}, setupBoundMs);

describe('upstream timeouts, invalid answers and retries', () => {
  it('retries an idempotent request on another instance, then answers 504 problem+json', async () => {
    for (const method of ['GET', 'DELETE']) {
      const before = await timedOutAttempts();
      const reply = await send(url, '/slow/x?delayMs=1000', { method });
      expect(reply.status).toBe(504);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.json<{ detail: string }>().detail).toMatch(/did not answer in time/);
      expect((await timedOutAttempts()) - before).toBe(2);
    }
  });

  it('never retries a non-idempotent request that reached an instance', async () => {
    for (const method of ['POST']) {
      const before = await timedOutAttempts();
      const reply = await send(url, '/slow/x?delayMs=1000', { method, body: '{}' });
      expect(reply.status).toBe(504);
      expect((await timedOutAttempts()) - before).toBe(1);
    }
  });

  it('answers an upstream’s invalid response with 502 problem+json, never its bytes, retrying only where safe', async () => {
    for (const [method, tries] of [
      ['GET', 2],
      ['POST', 1],
    ] as const) {
      const before = await attempts('error');
      const reply = await send(url, '/slow/x?malformed', {
        method,
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(reply.status).toBe(502);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      const answer = reply.json<{ type: string; detail: string }>();
      expect(answer.type).toMatch(/upstream-invalid-response$/);
      expect(answer.detail).toMatch(/HPE_INVALID_CONTENT_LENGTH/);
      expect((await attempts('error')) - before).toBe(tries);
    }
    // The sockets that carried the invalid answers are gone, not back in the pool.
    expect((await send(url, '/slow/x')).status).toBe(200);
  });
});
