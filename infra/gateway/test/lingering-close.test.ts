import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setupBoundMs } from './fixtures/harness.ts';
import { TestGateway } from './fixtures/test-gateway.ts';

let edge: TestGateway | undefined;

beforeAll(async () => {
  edge = await TestGateway.start({
    routes: {
      version: 1,
      routes: [
        { name: 'echo', prefix: '/api/echo', service: 'echo-api', stripPrefix: true, bodyLimitBytes: 16_384 },
      ],
    },
  });
}, setupBoundMs);

afterAll(async () => {
  await edge?.stop();
}, setupBoundMs);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client that sends a too-large body as a plain client does, without waiting for `100 Continue`,
 * and goes on sending after the gateway has answered: it reads only once its body is out (as the
 * abuse suite's sliced writer may, when its read event comes after its next write). How it ends:
 * the answer's status line, or the socket error that took the answer away.
 */
function sendTooLargeBody(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`${error.code} after ${received.length} bytes`),
    );
    socket.on('end', () => resolve(received.toString('latin1').split('\r\n')[0]!));
    socket.on('connect', async () => {
      socket.pause();
      socket.write(
        'POST /api/echo/things HTTP/1.1\r\nhost: edge\r\nconnection: close\r\n' +
          `content-type: application/json\r\ncontent-length: 700000\r\n\r\n${'x'.repeat(16_000)}`,
      );
      // The gateway refuses on the declared length and has answered by now.
      await pause(100);
      for (let slice = 0; slice < 40 && !socket.destroyed; slice += 1) {
        socket.write('x'.repeat(16_000));
        await pause(2);
      }
      socket.resume();
    });
  });
}

describe('a request refused before its body was read', () => {
  it('gets its 413 to a client that is still sending the body, every time', async () => {
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) outcomes.push(await sendTooLargeBody(edge!.url));
    expect(outcomes).toEqual(Array(10).fill('HTTP/1.1 413 Payload Too Large'));
  });
});

/** Two bodiless requests for a path no route serves, one after the other on one connection. */
function twoRefusalsOnOneConnection(url: string): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const heads: string[] = [];
    let received = '';
    const request = 'GET /nowhere HTTP/1.1\r\nhost: edge\r\n\r\n';
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('close', () => resolve(heads));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = received.slice(0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      received = received.slice(end + 4 + length);
      heads.push(head.toLowerCase());
      if (heads.length === 1) socket.write(request);
      else socket.end();
    });
    socket.on('connect', () => socket.write(request));
  });
}

describe('a bodiless request refused by a plugin', () => {
  it('keeps its kept-alive connection: there is no body left on it to discard', async () => {
    const heads = await twoRefusalsOnOneConnection(edge!.url);
    expect(heads).toHaveLength(2);
    for (const head of heads) {
      expect(head.split('\r\n')[0]).toBe('http/1.1 404 not found');
      expect(head).not.toContain('connection: close');
    }
  });
});
