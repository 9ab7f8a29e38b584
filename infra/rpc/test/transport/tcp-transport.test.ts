import net from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  connectTcp,
  DeadlineExceededError,
  FrameDecoder,
  encodeFrame,
  listenTcp,
  type RpcConnection,
  type RpcListener,
  type TcpServerOptions,
} from '../../src/transport/index.ts';
import type { RpcHandler, RpcResponse } from '../../src/protocol.ts';
import { abortedWith, echoHandler, gate, request, until } from './support.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(handler: RpcHandler, options: Partial<TcpServerOptions> = {}): Promise<RpcListener> {
  const server = await listenTcp({ handler, tls: false, ...options });
  cleanup.push(() => server.close());
  return server;
}

async function connect(server: RpcListener): Promise<RpcConnection> {
  const connection = await connectTcp({ host: server.address.host, port: server.address.port, tls: false });
  cleanup.push(() => connection.close(0));
  return connection;
}

describe('TCP transport', () => {
  it('carries a request and its answer, with Dates intact and no caller identity without TLS', async () => {
    const server = await serve(echoHandler);
    const connection = await connect(server);
    const at = new Date('2026-03-04T05:06:07.000Z');
    const response = await connection.call(
      request({
        payload: { courseId: 'c-1', at, price: { amountMinor: 4900, currency: 'EUR' } },
        metadata: { caller: { service: 'forged', userId: 'u-1' }, traceparent: '00-abc-def-01' },
      }),
    );
    expect(response).toEqual({
      ok: true,
      result: {
        payload: { courseId: 'c-1', at, price: { amountMinor: 4900, currency: 'EUR' } },
        metadata: { caller: { userId: 'u-1' }, traceparent: '00-abc-def-01' },
        method: 'Course.publish',
      },
    });
  });

  it('carries error answers intact, zod issue paths included', async () => {
    const answer: RpcResponse = {
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'input does not match Course.setPrice',
        issues: [{ path: ['price', 'amountMinor'], message: 'expected an integer', code: 'invalid_type' }],
      },
    };
    const server = await serve(async () => answer);
    await expect((await connect(server)).call(request())).resolves.toEqual(answer);
  });

  it('multiplexes 1,000 concurrent calls on one connection and matches every answer to its call', async () => {
    const handler: RpcHandler = async (received) => {
      const { n } = received.payload as { n: number };
      // Answer out of order, so a mix-up of request ids would show.
      await new Promise((resolve) => setTimeout(resolve, n % 7));
      return { ok: true, result: { n, doubled: n * 2 } };
    };
    const server = await serve(handler);
    const connection = await connect(server);
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, (_, n) => connection.call(request({ payload: { n } }))),
    );
    expect(server.connections).toBe(1);
    responses.forEach((response, n) => expect(response).toEqual({ ok: true, result: { n, doubled: n * 2 } }));
    expect(connection.pending).toBe(0);
  });

  it('starts a burst of requests read at once in groups, one event-loop turn each, and answers them all', async () => {
    // A turn counter the event loop advances: handlers started in the same turn see the same value.
    let turn = 0;
    const ticking = setInterval(() => {}, 1);
    const advance = (): void => {
      turn += 1;
      if (turn < 10_000) setImmediate(advance);
    };
    setImmediate(advance);
    const startedIn: number[] = [];
    const server = await serve(async (received) => {
      startedIn.push(turn);
      return { ok: true, result: received.payload };
    });
    // 64 request frames in one write, as a client's corked batch arrives.
    const socket = net.connect(server.address.port, server.address.host);
    cleanup.push(async () => {
      clearInterval(ticking);
      turn = 10_000;
      socket.destroy();
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    const frames = Array.from({ length: 64 }, (_, n) =>
      encodeFrame({ t: 1, id: n + 1, s: 'commerce-service', m: 'Course.publish', p: { n }, md: {} }, 1 << 20),
    );
    const decoder = new FrameDecoder(1 << 20);
    const answers: unknown[] = [];
    socket.on('data', (chunk: Buffer) => answers.push(...decoder.push(chunk)));
    socket.write(Buffer.concat(frames));
    await until(() => answers.length === 64, 'every request is answered');
    expect(answers.map((answer) => (answer as { id: number }).id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 64 }, (_, n) => n + 1),
    );
    // 16 per turn: the first group's answers leave before the next group starts (ADR 0040).
    expect(new Set(startedIn).size).toBeGreaterThanOrEqual(4);
  });

  it('on cancel rejects with the caller’s reason and aborts the handler on the server', async () => {
    let reason: Promise<unknown> | undefined;
    const server = await serve((_request, signal) => {
      reason = abortedWith(signal);
      return new Promise(() => {});
    });
    const connection = await connect(server);
    const controller = new AbortController();
    const call = connection.call(request(), controller.signal);
    await until(() => reason !== undefined, 'the handler runs');
    controller.abort(new Error('user went away'));
    await expect(call).rejects.toThrow('user went away');
    await expect(reason).resolves.toEqual(new Error('the caller cancelled the call'));
    expect(connection.pending).toBe(0);
  });

  it('server side: aborts the handler and answers DEADLINE_EXCEEDED when the deadline passes', async () => {
    let reason: Promise<unknown> | undefined;
    const server = await serve((_request, signal) => {
      reason = abortedWith(signal);
      return new Promise(() => {});
    });
    // A raw client that never times out by itself proves the answer comes from the server.
    const socket = net.connect(server.address.port, server.address.host);
    cleanup.push(async () => socket.destroy());
    const frames = readFrames(socket);
    socket.write(
      encodeFrame({ t: 1, id: 7, s: 'commerce-service', m: 'Course.publish', p: null, to: 40 }, 1024),
    );
    const [frame] = await frames.next(1);
    expect(frame).toMatchObject({ t: 2, id: 7, ok: false, e: { code: 'DEADLINE_EXCEEDED' } });
    await expect(reason).resolves.toBeInstanceOf(DeadlineExceededError);
  });

  it('client side: answers DEADLINE_EXCEEDED itself when the server stays silent', async () => {
    // A server that accepts and never answers.
    const silent = net.createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => silent.close(resolve)));
    const port = (silent.address() as net.AddressInfo).port;
    const connection = await connectTcp({ host: '127.0.0.1', port, tls: false });
    cleanup.push(() => connection.close(0));
    const response = await connection.call(request({ deadline: Date.now() + 40 }));
    expect(response).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(connection.pending).toBe(0);
  });

  it('fails pending calls with UNAVAILABLE (not retry-safe) when the connection dies', async () => {
    let started = 0;
    const server = await listenTcp({
      tls: false,
      handler: () => {
        started += 1;
        return new Promise(() => {});
      },
    });
    const connection = await connect(server);
    const calls = Array.from({ length: 5 }, () => connection.call(request()));
    await until(() => started === 5, 'five handlers run');
    await server.close();
    for (const response of await Promise.all(calls)) {
      expect(response).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', details: { retrySafe: false } },
      });
    }
    await until(() => connection.state === 'closed', 'the connection is closed');
    await expect(connection.call(request())).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: true } },
    });
  });

  it('drain lets in-flight calls finish, refuses new calls and new connections, then closes', async () => {
    const release = gate<void>();
    let started = 0;
    const server = await serve(async (received) => {
      started += 1;
      await release.promise;
      return { ok: true, result: received.payload };
    });
    const connection = await connect(server);
    const states: string[] = [];
    connection.onStateChange((state) => states.push(state));
    const inFlight = [1, 2, 3].map((n) => connection.call(request({ payload: n })));
    await until(() => started === 3, 'three handlers run');

    const drained = server.drain(60_000);
    await until(() => connection.state === 'draining', 'the client hears goaway');
    await expect(connection.call(request())).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: true } },
    });
    await expect(
      connectTcp({ host: server.address.host, port: server.address.port, tls: false }),
    ).rejects.toThrow(/cannot connect/);
    expect(started).toBe(3);

    release.open();
    expect(await Promise.all(inFlight)).toEqual([1, 2, 3].map((n) => ({ ok: true, result: n })));
    await drained;
    await until(() => connection.state === 'closed', 'the connection closes');
    expect(states).toEqual(['draining', 'closed']);
    expect(server.connections).toBe(0);
  });

  it('drain answers UNAVAILABLE for calls still running when its timeout passes', async () => {
    const server = await serve(() => new Promise(() => {}));
    const connection = await connect(server);
    const call = connection.call(request());
    await until(() => server.inFlight === 1, 'the handler runs');
    await server.drain(20);
    await expect(call).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { retrySafe: false } },
    });
  });

  it('backpressure: past the in-flight bound the server stops reading, so requests queue at the sender', async () => {
    const bound = 4;
    const release = gate<void>();
    let running = 0;
    let mostRunning = 0;
    let started = 0;
    const server = await serve(
      async (received) => {
        started += 1;
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        await release.promise;
        running -= 1;
        return { ok: true, result: (received.payload as { n: number }).n };
      },
      { maxConcurrentCallsPerConnection: bound },
    );
    // A raw client so the bytes it could not hand to the kernel stay visible in writableLength.
    const socket = net.connect(server.address.port, server.address.host);
    cleanup.push(async () => socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    const frames = readFrames(socket);
    const calls = 2_000;
    const filler = 'x'.repeat(16 * 1024);
    for (let n = 0; n < calls; n += 1) {
      socket.write(
        encodeFrame(
          { t: 1, id: n + 1, s: 'commerce-service', m: 'Course.edit', p: { n, filler } },
          64 * 1024,
        ),
      );
    }
    await until(() => started === bound, 'the first calls reach the handler');
    // Give the server every chance to read more than it should before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toBe(bound);
    expect(server.inFlight).toBe(bound);
    // ~32 MB were written; what the server did not read is still queued in the sender's socket.
    expect(socket.writableLength).toBeGreaterThan(0);

    release.open();
    const answers = await frames.next(calls);
    expect(answers.map((frame) => (frame as { r: number }).r).sort((a, b) => a - b)).toEqual(
      Array.from({ length: calls }, (_, n) => n),
    );
    expect(started).toBe(calls);
    expect(mostRunning).toBe(bound);
  });

  describe('client-side backpressure, against a server that stops reading', () => {
    const CALLS = 500;
    const filler = 'f'.repeat(64 * 1024);

    async function stalledServer(): Promise<{ port: number; socket: Promise<net.Socket> }> {
      let accepted!: (socket: net.Socket) => void;
      const socket = new Promise<net.Socket>((resolve) => (accepted = resolve));
      const server = net.createServer((connection) => {
        connection.pause();
        accepted(connection);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanup.push(() => new Promise((resolve) => server.close(resolve)));
      cleanup.push(async () => (await socket).destroy());
      return { port: (server.address() as net.AddressInfo).port, socket };
    }

    it('never sends requests that expire while waiting for the socket to drain', async () => {
      const stalled = await stalledServer();
      const connection = await connectTcp({ host: '127.0.0.1', port: stalled.port, tls: false });
      const deadline = Date.now() + 300;
      const responses = await Promise.all(
        Array.from({ length: CALLS }, (_, n) =>
          connection.call(request({ payload: { n, filler }, deadline })),
        ),
      );
      expect(responses.every((response) => !response.ok && response.error.code === 'DEADLINE_EXCEEDED')).toBe(
        true,
      );

      // Now read everything the client ever put on the wire.
      const socket = await stalled.socket;
      const decoder = new FrameDecoder(1024 * 1024);
      const types: number[] = [];
      socket.on('data', (chunk: Buffer) =>
        types.push(...decoder.push(chunk).map((frame) => (frame as { t: number }).t)),
      );
      const ended = new Promise((resolve) => socket.once('end', resolve));
      socket.resume();
      await connection.close();
      await ended;
      const requests = types.filter((type) => type === 1).length;
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThan(CALLS);
      // Every request that did go out was cancelled once its deadline passed.
      expect(types.filter((type) => type === 3).length).toBe(requests);
    });

    it('on connection loss marks only the requests that never left as retry-safe', async () => {
      const stalled = await stalledServer();
      const connection = await connectTcp({ host: '127.0.0.1', port: stalled.port, tls: false });
      const calls = Array.from({ length: CALLS }, (_, n) =>
        connection.call(request({ payload: { n, filler } })),
      );
      (await stalled.socket).destroy();
      const safe = (await Promise.all(calls)).map((response) => {
        if (response.ok || response.error.code !== 'UNAVAILABLE')
          throw new Error(`expected UNAVAILABLE, got ${JSON.stringify(response)}`);
        return response.error.details?.['retrySafe'];
      });
      // Call order is send order: a prefix went out, the rest waited.
      const firstSafe = safe.indexOf(true);
      expect(firstSafe).toBeGreaterThan(0);
      expect(safe.slice(0, firstSafe).every((flag) => !flag)).toBe(true);
      expect(safe.slice(firstSafe).every((flag) => flag)).toBe(true);
    });
  });

  it('refuses a request larger than the frame limit locally with INVALID_ARGUMENT', async () => {
    let invoked = 0;
    const server = await serve(async () => {
      invoked += 1;
      return { ok: true, result: null };
    });
    const connection = await connectTcp({
      host: server.address.host,
      port: server.address.port,
      tls: false,
      maxFrameBytes: 1024,
    });
    cleanup.push(() => connection.close(0));
    const response = await connection.call(request({ payload: 'y'.repeat(2048) }));
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/1024-byte limit/) },
    });
    expect(invoked).toBe(0);
    expect(connection.state).toBe('open');
  });

  it('answers INTERNAL when a response would exceed the frame limit, and keeps the connection', async () => {
    const server = await serve(
      async (received) => ({ ok: true, result: received.payload === 'big' ? 'z'.repeat(4096) : 'small' }),
      {
        maxFrameBytes: 1024,
      },
    );
    const connection = await connect(server);
    await expect(connection.call(request({ payload: 'big' }))).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringMatching(/1024-byte limit/) },
    });
    await expect(connection.call(request({ payload: 'small' }))).resolves.toEqual({
      ok: true,
      result: 'small',
    });
  });

  it('requires plaintext to be asked for explicitly', async () => {
    await expect(listenTcp({ handler: echoHandler } as unknown as TcpServerOptions)).rejects.toThrow(
      /invalid TCP server options: tls/,
    );
  });
});

/** Reads server frames from a raw socket. */
function readFrames(socket: net.Socket): { next(count: number): Promise<unknown[]> } {
  const decoder = new FrameDecoder(4 * 1024 * 1024);
  const received: unknown[] = [];
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received.push(...decoder.push(chunk));
    waiter?.();
  });
  return {
    async next(count) {
      while (received.length < count) await new Promise<void>((resolve) => (waiter = resolve));
      return received.splice(0, count);
    },
  };
}
