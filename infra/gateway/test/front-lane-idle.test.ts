// The front lane's idle deadlines (src/front-lane.ts): a connection that waits too long for its first
// request, or for its next one after an answer, is closed; one whose answer takes long is not.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { FrontLane } from '../src/front-lane.ts';
import type { GatewayRequest, GatewayResponse } from '../src/http-surface.ts';
import { RawClient } from './fixtures/raw-client.ts';

/** Short enough for a test, far apart so that one is never taken for the other. */
const SHORT_MS = 300;
const LONG_MS = 60_000;
/** The slow answer: well past the short timeout and its sweep's lateness. */
const SLOW_ANSWER_MS = 1_200;

function serve(req: GatewayRequest, res: GatewayResponse): void {
  const body = `${req.method} ${req.url}`;
  const answer = () => {
    res.writeHead(200, ['Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body))]);
    res.end(body);
  };
  if (req.url === '/slow') setTimeout(answer, SLOW_ANSWER_MS);
  else answer();
}

async function laneServer(keepAliveTimeoutMs: number, firstRequestTimeoutMs: number): Promise<Server> {
  const server = createServer(serve);
  new FrontLane(server, {
    serve,
    maxHeaderBytes: 16_384,
    leavesPath: () => false,
    keepAliveTimeoutMs,
    firstRequestTimeoutMs,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let keptAliveShort: Server;
let firstRequestShort: Server;

beforeAll(async () => {
  keptAliveShort = await laneServer(SHORT_MS, LONG_MS);
  firstRequestShort = await laneServer(LONG_MS, SHORT_MS);
});

afterAll(async () => {
  for (const server of [keptAliveShort, firstRequestShort]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('the front lane closes idle connections', () => {
  it('after an answer, once the keep-alive timeout passes without a next request', async () => {
    const client = await RawClient.open(urlOf(keptAliveShort));
    client.write('GET /one HTTP/1.1\r\nHost: edge\r\n\r\n');
    const [answer] = await client.answers(1);
    expect(answer!.headers.connection).toBe('keep-alive');
    await waitFor('the idle connection closed', () => client.socket.destroyed, { timeoutMs: 5_000 });
  });

  it('after an answer, when a pipelined request never finishes its head', async () => {
    const client = await RawClient.open(urlOf(keptAliveShort));
    client.write('GET /one HTTP/1.1\r\nHost: edge\r\n\r\nGET /two HTTP/1.1\r\nHo');
    const [answer] = await client.answers(1);
    expect(answer!.body).toBe('GET /one');
    await waitFor('the connection closed', () => client.socket.destroyed, { timeoutMs: 5_000 });
  });

  it('when a new connection sends no request within the first request timeout', async () => {
    const client = await RawClient.open(urlOf(firstRequestShort));
    await waitFor('the silent connection closed', () => client.socket.destroyed, { timeoutMs: 5_000 });
  });

  it('but not while a request is being answered, however long its answer takes', async () => {
    const client = await RawClient.open(urlOf(keptAliveShort));
    client.write('GET /one HTTP/1.1\r\nHost: edge\r\n\r\n');
    await client.answers(1);
    client.write('GET /slow HTTP/1.1\r\nHost: edge\r\n\r\n');
    const [slow] = await client.answers(1);
    client.write('GET /three HTTP/1.1\r\nHost: edge\r\n\r\n');
    const [next] = await client.answers(1);
    client.socket.destroy();
    expect([slow!.body, next!.body]).toEqual(['GET /slow', 'GET /three']);
  });
});
