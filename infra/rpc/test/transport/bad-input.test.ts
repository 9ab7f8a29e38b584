import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Packr } from 'msgpackr';
import {
  connectTcp,
  FrameDecoder,
  listenTcp,
  type RpcConnection,
  type RpcListener,
} from '../../src/transport/index.ts';
import { echoHandler, request } from './support.ts';

const MAX_FRAME_BYTES = 64 * 1024;
const packr = new Packr({ useRecords: false });

function frame(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

let server: RpcListener;
let bystander: RpcConnection;
let invoked = 0;

beforeAll(async () => {
  server = await listenTcp({
    tls: false,
    maxFrameBytes: MAX_FRAME_BYTES,
    handler: async (received, signal) => {
      invoked += 1;
      return echoHandler(received, signal);
    },
  });
  // Connected before the bad peers arrive, and must not notice them.
  bystander = await connectTcp({ host: server.address.host, port: server.address.port, tls: false });
});

afterAll(async () => {
  await bystander.close(0);
  await server.close();
});

/** Sends raw bytes on a fresh connection and collects whatever the server answers until it closes. */
async function sendRaw(bytes: Buffer): Promise<unknown[]> {
  const socket = net.connect(server.address.port, server.address.host);
  const decoder = new FrameDecoder(MAX_FRAME_BYTES);
  const frames: unknown[] = [];
  socket.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk)));
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  await new Promise((resolve) => socket.once('close', resolve));
  return frames;
}

/** A raw connection and the frames of the first chunk the server answers with. */
async function connectRaw(): Promise<{ socket: net.Socket; answer: Promise<unknown[]> }> {
  const socket = net.connect(server.address.port, server.address.host);
  const decoder = new FrameDecoder(MAX_FRAME_BYTES);
  const answer = new Promise<unknown[]>((resolve) =>
    socket.on('data', (chunk: Buffer) => resolve(decoder.push(chunk))),
  );
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, answer };
}

const cases: [string, Buffer, RegExp][] = [
  [
    'garbage bytes (an HTTP request)',
    Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    /exceeds the 65536-byte limit/,
  ],
  [
    'an oversized frame',
    Buffer.concat([Buffer.from([0x00, 0x10, 0x00, 0x00]), Buffer.alloc(1024)]),
    /1048576 bytes exceeds the 65536-byte limit/,
  ],
  ['an empty frame', Buffer.from([0, 0, 0, 0]), /empty body/],
  ['a body that is not msgpack', frame(Buffer.from([0xde, 0x00])), /not valid msgpack/],
  [
    'two msgpack values in one frame',
    frame(Buffer.concat([packr.pack({ t: 3, id: 1 }), packr.pack(1)])),
    /not valid msgpack/,
  ],
  ['a frame of an unknown type', frame(packr.pack({ t: 99, id: 1 })), /malformed frame/],
  ['a frame that is not a map', frame(packr.pack([1, 2, 3])), /malformed frame/],
  [
    'a request missing its method',
    frame(packr.pack({ t: 1, id: 1, s: 'commerce-service', p: null })),
    /malformed frame: m: /,
  ],
  [
    'a request id that is not a uint32',
    frame(packr.pack({ t: 1, id: -5, s: 'a', m: 'B.c', p: null })),
    /malformed frame: id: /,
  ],
  [
    'a response frame sent to a server',
    frame(packr.pack({ t: 2, id: 1, ok: true, r: 1 })),
    /malformed frame/,
  ],
];

describe('a TCP server given bad input', () => {
  it.each(cases)(
    'closes the connection that sent %s, says why, and keeps serving others',
    async (_name, bytes, reason) => {
      const before = invoked;
      const frames = await sendRaw(bytes);
      expect(frames).toEqual([
        { t: 4, e: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(reason) } },
      ]);
      expect(invoked).toBe(before);

      await expect(bystander.call(request({ payload: 'still here' }))).resolves.toMatchObject({
        ok: true,
        result: { payload: 'still here' },
      });
      const newcomer = await connectTcp({ host: server.address.host, port: server.address.port, tls: false });
      await expect(newcomer.call(request({ payload: 'new' }))).resolves.toMatchObject({
        ok: true,
        result: { payload: 'new' },
      });
      await newcomer.close();
    },
  );

  it('closes a connection that reuses a request id still in flight', async () => {
    const slow = frame(
      packr.pack({ t: 1, id: 5, s: 'commerce-service', m: 'Course.publish', p: null, to: 60_000 }),
    );
    const frames = await sendRaw(Buffer.concat([slow, slow]));
    expect(frames).toContainEqual({
      t: 4,
      e: { code: 'INVALID_ARGUMENT', message: 'request id 5 is already in flight on this connection' },
    });
  });

  it('closes a connection whose request says one id in its first bytes and another in its body', async () => {
    // A map that repeats "id": its first bytes say 1, msgpack's last-key-wins decoding says 2.
    const body = Buffer.concat([
      Buffer.from([0x86, 0xa1, 0x74, 0x01, 0xa2, 0x69, 0x64, 0x01]),
      Buffer.from([0xa1, 0x73, 0xa1, 0x61, 0xa1, 0x6d, 0xa3, 0x42, 0x2e, 0x63, 0xa1, 0x70, 0xc0]),
      Buffer.from([0xa2, 0x69, 0x64, 0x02]),
    ]);
    const before = invoked;
    const frames = await sendRaw(frame(body));
    expect(frames).toEqual([
      {
        t: 4,
        e: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/request id 1: .*first bytes/) },
      },
    ]);
    expect(invoked).toBe(before);
  });

  it('answers a request written in another key order than our client writes', async () => {
    const { socket, answer } = await connectRaw();
    socket.write(
      frame(packr.pack({ s: 'commerce-service', m: 'Course.publish', p: 'reordered', id: 9, t: 1 })),
    );
    await expect(answer).resolves.toMatchObject([{ t: 2, id: 9, ok: true, r: { payload: 'reordered' } }]);
    socket.destroy();
  });

  it('a frame split across many writes is still one frame', async () => {
    const { socket, answer } = await connectRaw();
    const bytes = frame(
      packr.pack({ t: 1, id: 1, s: 'commerce-service', m: 'Course.publish', p: 'x'.repeat(5000) }),
    );
    for (let offset = 0; offset < bytes.length; offset += 333) {
      socket.write(bytes.subarray(offset, offset + 333));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(answer).resolves.toMatchObject([
      { t: 2, id: 1, ok: true, r: { payload: 'x'.repeat(5000) } },
    ]);
    socket.destroy();
  });
});
