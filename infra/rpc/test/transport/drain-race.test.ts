import net from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  connectTcp,
  encodeFrame,
  FrameDecoder,
  listenTcp,
  type RpcListener,
} from '../../src/transport/index.ts';
import type { RpcHandler } from '../../src/protocol.ts';
import { request, until } from './support.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let invoked = 0;
const counting: RpcHandler = async (received) => {
  invoked += 1;
  return { ok: true, result: received.payload };
};

async function serve(): Promise<RpcListener> {
  const server = await listenTcp({ handler: counting, tls: false });
  cleanup.push(() => server.close());
  return server;
}

const retrySafeRefusal = {
  ok: false,
  error: { code: 'UNAVAILABLE', details: { retrySafe: true } },
};

// The server says goaway and, with nothing pending, used to close its side at once: a request the
// client had sent before it read goaway then met a bare close, which no client can tell from a
// call that may have run.
describe('a request that crosses a drain', () => {
  it('gets a retry-safe UNAVAILABLE over a raw socket, not a bare close, and runs nothing', async () => {
    const server = await serve();
    const socket = net.connect(server.address.port, server.address.host);
    socket.on('error', () => {});
    const decoder = new FrameDecoder(64 * 1024);
    const frames: Record<string, unknown>[] = [];
    socket.on('data', (chunk: Buffer) => {
      frames.push(...(decoder.push(chunk) as Record<string, unknown>[]));
      // As docs/rpc-wire-format.md asks of a client: after goaway, close once nothing is pending.
      if (frames.some((frame) => frame.t === 2 && frame.id === 7)) socket.end();
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    await until(() => server.connections === 1, 'the server holds the connection');
    const before = invoked;

    const drained = server.drain(60_000);
    socket.write(
      encodeFrame({ t: 1, id: 7, s: 'commerce-service', m: 'Course.get', p: { id: 'c-1' } }, 1024),
    );
    await closed;
    await drained;

    expect(frames).toEqual([
      { t: 4 },
      { t: 2, id: 7, ok: false, e: expect.objectContaining(retrySafeRefusal.error) },
    ]);
    expect(invoked).toBe(before);
  });

  it("gets a retry-safe UNAVAILABLE through Strata's client, so governance may send it elsewhere", async () => {
    const server = await serve();
    const connection = await connectTcp({ host: server.address.host, port: server.address.port, tls: false });
    cleanup.push(() => connection.close(0));
    await until(() => server.connections === 1, 'the server holds the connection');
    const before = invoked;

    const drained = server.drain(60_000);
    const answer = connection.call(request({ payload: 'crossing' }));

    await expect(answer).resolves.toMatchObject(retrySafeRefusal);
    await drained;
    await until(() => connection.state === 'closed', 'the connection closes');
    expect(invoked).toBe(before);
  });
});
