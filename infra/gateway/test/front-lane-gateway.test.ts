// The gateway's behaviours that the front lane (src/front-lane.ts, ADR 0075) must keep for the
// requests it answers: a client gone mid-proxy aborts the attempt and is logged once, unfinished;
// stop() closes idle connections at once and lets an answer in flight finish, then closes its
// connection.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InProcessRegistry } from '@strata/rpc';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { pino } from 'pino';
import { RawClient } from './fixtures/raw-client.ts';
import { serveInProcess, TestGateway, type InProcessUpstream } from './fixtures/test-gateway.ts';

const registry = new InProcessRegistry();
/** Held answers by path, and whether the gateway's upstream request for it was closed before one. */
const held = new Map<string, ServerResponse>();
const abandoned: string[] = [];
const logLines: Record<string, unknown>[] = [];
let upstream: InProcessUpstream;

beforeAll(async () => {
  upstream = await serveInProcess(registry, 'hold-api', 'hold-1', (req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/hold')) {
      held.set(path, res);
      res.on('close', () => {
        if (!res.writableFinished) abandoned.push(path);
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
});

afterAll(async () => {
  await upstream.close();
});

const routes = {
  version: 1,
  routes: [{ name: 'hold', prefix: '/h', service: 'hold-api', stripPrefix: true }],
};

function release(path: string): void {
  const res = held.get(path)!;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 8 });
  res.end('released');
}

describe('the gateway on its front lane', () => {
  let edge: TestGateway;

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    edge = await TestGateway.start({ registry, routes, logger });
  });

  afterAll(async () => {
    await edge.stop();
  });

  it('aborts the proxy attempt of a client gone mid-proxy, and logs the request once', async () => {
    const client = await RawClient.open(edge.url);
    client.write('GET /h/hold-gone HTTP/1.1\r\nHost: edge\r\nX-Request-Id: gone-1\r\n\r\n');
    await waitFor('the request at the upstream', () => held.has('/hold-gone'));
    client.socket.destroy();
    await waitFor('the upstream request abandoned', () => abandoned.includes('/hold-gone'));
    await waitFor('the access log line', () => logLines.some((line) => line.requestId === 'gone-1'));
    const lines = logLines.filter((line) => line.requestId === 'gone-1' && line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ completed: false, route: 'hold', url: '/h/hold-gone' });
  });

  it('answers requests on a kept-alive connection, the request id echoed', async () => {
    const [first, second] = await RawClient.exchange(
      edge.url,
      'GET /h/a HTTP/1.1\r\nHost: edge\r\nX-Request-Id: kept-1\r\n\r\nGET /h/b HTTP/1.1\r\nHost: edge\r\n\r\n',
      2,
    );
    expect([first!.body, second!.body]).toEqual(['ok', 'ok']);
    expect(first!.headers['x-request-id']).toBe('kept-1');
    expect(second!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first!.headers.connection).toBe('keep-alive');
  });
});

describe('stopping a gateway', () => {
  it('closes idle connections at once, and finishes an answer in flight on a closing connection', async () => {
    const edge = await TestGateway.start({ registry, routes });
    const idle = await RawClient.open(edge.url);
    idle.write('GET /h/x HTTP/1.1\r\nHost: edge\r\n\r\n');
    await idle.answers(1);
    const busy = await RawClient.open(edge.url);
    busy.write('GET /h/hold-drain HTTP/1.1\r\nHost: edge\r\n\r\n');
    await waitFor('the request at the upstream', () => held.has('/hold-drain'));
    const stopped = edge.stop();
    // Within the 5 s keep-alive timeout, which would close it too: closed by the stop, while the
    // answer in flight is still held upstream.
    await waitFor('the idle connection closed', () => idle.socket.destroyed, { timeoutMs: 4_000 });
    release('/hold-drain');
    const [answer] = await busy.answers(1);
    await busy.closed;
    await stopped;
    expect(answer!.body).toBe('released');
    expect(answer!.headers.connection).toBe('close');
  });
});
