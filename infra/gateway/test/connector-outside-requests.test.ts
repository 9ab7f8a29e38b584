import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { connectorOutsideRequests } from '../src/connector-outside-requests.ts';

// A kept-alive upstream socket serves request after request; what context its callbacks run in
// is the one it was opened in. The first request opens it inside its own context (as a sampled
// request runs inside its span's), the second reuses it from outside any.

const requestContext = new AsyncLocalStorage<string>();

/** The context the pool's callbacks saw while reading the answer to one request. */
function contextSeenByAnswer(pool: Pool): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let seen: string | undefined;
    // The handler shape the gateway's proxy attempt uses (proxy-attempt.ts).
    const handler: Dispatcher.DispatchHandler = {
      onConnect: () => undefined,
      onHeaders: () => {
        seen = requestContext.getStore();
        return true;
      },
      onData: () => true,
      onComplete: () => resolve(seen),
      onError: reject,
    };
    pool.dispatch({ method: 'GET', path: '/' }, handler);
  });
}

describe('an upstream socket and the context of the request that opened it', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const twoRequests = async (pool: Pool) => {
    const first = await requestContext.run('the first request', () => contextSeenByAnswer(pool));
    const second = await contextSeenByAnswer(pool);
    return { first, second };
  };

  it("keeps a socket opened by the gateway's connector free of the request that opened it", async () => {
    const pool = new Pool(origin, { connections: 1, connect: connectorOutsideRequests() });
    try {
      expect(await twoRequests(pool)).toEqual({ first: undefined, second: undefined });
    } finally {
      await pool.close();
    }
  });

  it("(undici's default connector, for contrast: the second request reads the first one's context)", async () => {
    const pool = new Pool(origin, { connections: 1 });
    try {
      expect(await twoRequests(pool)).toEqual({ first: 'the first request', second: 'the first request' });
    } finally {
      await pool.close();
    }
  });
});
