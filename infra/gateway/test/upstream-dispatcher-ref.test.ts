import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { UpstreamDispatcher } from '../src/upstream-dispatcher.ts';

// Whether the dispatcher's sockets keep the process alive: one carrying a request does, one idle
// in its pool does not (a gateway or a test would otherwise never exit on its own). Node lists
// only the handles that keep the loop alive in `getActiveResourcesInfo()`; the upstream's own
// sockets are unreferenced here, so the dispatcher's are the only TCP sockets that can be listed.

const tcpSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
const nextTurns = async () => {
  for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe("the upstream dispatcher's sockets and the process's life", () => {
  let server: Server;
  let origin: string;
  /** Answers the request in hand; set by the test while its request waits. */
  let answer: (() => void) | undefined;
  let dispatcher: UpstreamDispatcher;

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.unref();
      socket.on('data', () => {
        answer = () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dispatcher = new UpstreamDispatcher(origin, { connections: 1, keepAliveTimeout: 10_000 });
  });

  afterAll(async () => {
    await dispatcher.close();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends one request; says how many TCP sockets kept the process alive while it waited. */
  async function request(): Promise<number> {
    answer = undefined;
    const done = new Promise<void>((resolve, reject) =>
      dispatcher.dispatch(
        { method: 'GET', path: '/', headers: {}, body: null, bodyTimeout: 0 },
        {
          onConnect: () => undefined,
          onHeaders: () => true,
          onData: () => true,
          onComplete: resolve,
          onError: reject,
        },
      ),
    );
    // Read through a function: the upstream's data listener sets it, which the compiler cannot see.
    const answerNow = (): (() => void) | undefined => answer;
    while (answerNow() === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const whileWaiting = tcpSockets();
    answerNow()!();
    await done;
    return whileWaiting;
  }

  it('keeps it alive while a request waits, and not while the socket idles in the pool', async () => {
    const before = tcpSockets();
    expect(await request()).toBe(before + 1);
    await nextTurns();
    expect(tcpSockets()).toBe(before);
    // The same socket, idle for turns, carries the next request: referenced again meanwhile.
    expect(await request()).toBe(before + 1);
    await nextTurns();
    expect(tcpSockets()).toBe(before);
  });
});
