import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import {
  send,
  setupBoundMs,
  startUpstreams,
  uniquePrefix,
  type Reply,
  type Upstream,
} from './fixtures/harness.ts';
import { TestGateway } from './fixtures/test-gateway.ts';

const prefix = uniquePrefix();
const upstreams: Upstream[] = [];
let edge: TestGateway | undefined;
let url: string;

interface ExpectReply extends Reply {
  /** Whether the gateway sent `100 Continue` before its final answer. */
  readonly continued: boolean;
}

/**
 * Speaks like curl does for a body over 1 KB: sends the head with `Expect`, waits for
 * `100 Continue` (or a final answer) before the body, and sends the body anyway after a second.
 */
function sendExpecting(
  path: string,
  expectation: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<ExpectReply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let continued = false;
    let bodySent = false;
    const sendBody = () => {
      if (bodySent) return;
      bodySent = true;
      clearTimeout(curlFallback);
      req.end(body);
    };
    const req = httpRequest({
      host: target.hostname,
      port: target.port,
      path,
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        expect: expectation,
        ...headers,
      },
    });
    const curlFallback = setTimeout(sendBody, 1_000);
    req.on('continue', () => {
      continued = true;
      sendBody();
    });
    req.on('response', (res) => {
      clearTimeout(curlFallback);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          continued,
          json: <T>() => JSON.parse(text) as T,
        });
        if (!bodySent) req.destroy();
      });
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A refused request may close the connection while we still hold the body back.
      if (!bodySent && error.code === 'ECONNRESET') return;
      reject(error);
    });
    req.flushHeaders();
  });
}

const views = () => edge!.upstreams('echo-api');

const largeBody = JSON.stringify({ text: 'x'.repeat(4_096) });

beforeAll(async () => {
  upstreams.push(...(await startUpstreams(prefix, 'echo-api', ['e1', 'e2'])));
  edge = await TestGateway.start({
    etcdPrefix: prefix,
    routes: {
      version: 1,
      routes: [
        {
          name: 'echo',
          prefix: '/api/echo',
          service: 'echo-api',
          stripPrefix: true,
          bodyLimitBytes: 16_384,
        },
      ],
    },
    // Rare health checks, so an ejection during the test would still be visible at its end.
    health: { intervalMs: 60_000, timeoutMs: 1_000 },
  });
  url = edge.url;
  await waitFor('both upstream instances in the gateway view', async () => (await views()).length === 2, {
    timeoutMs: 15_000,
  });
}, setupBoundMs);

afterAll(async () => {
  // The children are killed even when the setup failed half-way, so none outlives the run.
  await Promise.all(upstreams.map((upstream) => upstream.kill('SIGKILL')));
  await edge?.stop();
}, setupBoundMs);

describe('Expect: 100-continue', () => {
  it('is answered 100 Continue, its body reaches the upstream, and the Expect header does not', async () => {
    const reply = await sendExpecting('/api/echo/things', '100-continue', largeBody);
    expect(reply.status).toBe(200);
    expect(reply.continued).toBe(true);
    const echoed = reply.json<{ method: string; bodyLength: number; headers: Record<string, string> }>();
    expect(echoed).toMatchObject({ method: 'POST', bodyLength: Buffer.byteLength(largeBody) });
    expect(echoed.headers['expect']).toBeUndefined();
  });

  it('is refused before the body is sent when the route would refuse it anyway (no 100 Continue)', async () => {
    const reply = await sendExpecting('/api/echo/things', '100-continue', 'x'.repeat(20_000));
    expect(reply.status).toBe(413);
    expect(reply.continued).toBe(false);
    expect(reply.headers['content-type']).toBe('application/problem+json');
  });

  it('answers any other expectation 417 as problem+json, forwarding nothing', async () => {
    const reply = await sendExpecting('/api/echo/things', 'something-else', largeBody);
    expect(reply.status).toBe(417);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json()).toMatchObject({ status: 417, title: 'Expectation Failed' });
    expect(reply.headers['x-upstream-instance']).toBeUndefined();
  });

  it('from 50 concurrent anonymous clients leaves every other user served and no instance ejected', async () => {
    const others = 60;
    const [abusive, regular] = await Promise.all([
      Promise.all(
        Array.from({ length: 50 }, () => sendExpecting('/api/echo/things', '100-continue', largeBody)),
      ),
      Promise.all(
        Array.from({ length: others }, (_, i) =>
          send(url, `/api/echo/user-${i}`, i % 2 === 0 ? {} : { method: 'POST', body: '{"n":1}' }),
        ),
      ),
    ]);
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => send(url, `/api/echo/after-${i}`)));
    const served = [...regular, ...after].filter((reply) => reply.status === 200).length;
    const successRate = served / (others + after.length);
    expect(successRate).toBe(1);
    expect(abusive.map((reply) => reply.status)).toEqual(Array(50).fill(200));
    const upstreamViews = await views();
    expect(upstreamViews).toHaveLength(2);
    for (const view of upstreamViews) {
      expect(view).toMatchObject({ healthy: true, consecutiveFailures: 0, ejectedReason: null });
    }
  });
});
