import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamDispatcher, type UpstreamHandler } from '../src/upstream-dispatcher.ts';

// A kept-alive upstream socket serves request after request; what context its callbacks run in
// is the one it was opened in. The first request opens it inside its own context (as a sampled
// request runs inside its span's), the second reuses it from outside any.

const requestContext = new AsyncLocalStorage<string>();

/** The context the dispatcher's callbacks ran in while reading the answer to one request. */
function contextSeenByAnswer(dispatcher: UpstreamDispatcher): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let seen: string | undefined;
    const handler: UpstreamHandler = {
      onConnect: () => undefined,
      onHeaders: () => {
        seen = requestContext.getStore();
        return true;
      },
      onData: () => true,
      onComplete: () => resolve(seen),
      onError: reject,
    };
    dispatcher.dispatch({ method: 'GET', path: '/', headers: {}, body: null, bodyTimeout: 0 }, handler);
  });
}

describe('an upstream socket and the context of the request that opened it', () => {
  let server: Server;
  let origin: string;
  let sockets = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => (sockets += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('keeps a socket the gateway opened for one request free of that request', async () => {
    const dispatcher = new UpstreamDispatcher(origin, { connections: 1, keepAliveTimeout: 10_000 });
    try {
      const first = await requestContext.run('the first request', () => contextSeenByAnswer(dispatcher));
      const second = await contextSeenByAnswer(dispatcher);
      expect({ first, second, sockets }).toEqual({ first: undefined, second: undefined, sockets: 1 });
    } finally {
      await dispatcher.close();
    }
  });
});
