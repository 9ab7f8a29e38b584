import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { lingerOnClose, type LingerBounds } from '../src/lingering-close.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The socket's close, however it comes (a client hanging up mid-body is a parse error on the server's side). */
const closeOf = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

interface Refuser {
  readonly server: Server;
  readonly port: number;
  /** The server's side of the first connection, once a client has connected. */
  readonly accepted: Promise<Socket>;
}

let running: Server | undefined;

afterEach(async () => {
  running?.closeAllConnections();
  await new Promise((resolve) => running?.close(resolve));
  running = undefined;
});

/** A server that refuses every request before reading its body, as the gateway's refuse() does. */
async function refuser(bounds: LingerBounds): Promise<Refuser> {
  const server = createServer((req, res) => {
    res.setHeader('connection', 'close');
    lingerOnClose(req.socket, bounds);
    res.writeHead(413, { 'content-type': 'text/plain' }).end('too large');
  });
  running = server;
  const accepted = once(server, 'connection').then(([socket]) => socket as Socket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

/** Sends a head declaring a large body and its first slice; keeps its side open when the server ends its. */
async function startLargeUpload(port: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  // How the exchange ends for the client: the answer's status line, or the error that took it away.
  const answer = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`${error.code} after ${received.length} bytes`),
    );
    socket.on('end', () => resolve(received.split('\r\n')[0]!));
  });
  socket.write(`POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 100000000\r\n\r\n${'x'.repeat(1_000)}`);
  return { socket, answer };
}

describe('lingering after a refusal', () => {
  it('goes on reading for as long as the client goes on sending, past the idle bound', async () => {
    // Client and server share this process: a pause of the whole process (a busy CI machine) longer
    // than the idle bound lets the server's timer run before the reads waiting in the kernel, and
    // reads as idleness. 3 s keeps such a pause out of the way; at 1.5 s it failed once in CI.
    const { port, accepted } = await refuser({ idleMs: 3_000, maxMs: 60_000 });
    const { socket, answer } = await startLargeUpload(port);
    const serverSide = await accepted;
    let cutWhileSending = false;
    const serverClosed = closeOf(serverSide).then(() => (cutWhileSending = !socket.writableEnded));
    // Over two idle bounds' worth of sending: each read must restart the idle time.
    const until = Date.now() + 7_000;
    while (Date.now() < until && !cutWhileSending) {
      socket.write('x'.repeat(4_000));
      await pause(20);
    }
    expect(cutWhileSending).toBe(false);
    expect(await answer).toBe('HTTP/1.1 413 Payload Too Large');
    socket.end();
    await serverClosed;
  }, 20_000);

  it('cuts the connection of a client that stopped sending without hanging up, after the idle bound', async () => {
    const { port, accepted } = await refuser({ idleMs: 200, maxMs: 60_000 });
    const { socket, answer } = await startLargeUpload(port);
    const serverSide = await accepted;
    expect(await answer).toBe('HTTP/1.1 413 Payload Too Large');
    // The client neither sends nor ends: only the idle bound can free the server's side.
    await closeOf(serverSide);
    expect(socket.writableEnded).toBe(false);
    socket.destroy();
  }, 20_000);

  it('cuts off a client that never stops sending, at the total bound', async () => {
    const { port, accepted } = await refuser({ idleMs: 60_000, maxMs: 500 });
    const { socket } = await startLargeUpload(port);
    const serverSide = await accepted;
    let sending = true;
    const closed = closeOf(serverSide).then(() => (sending = false));
    while (sending && !socket.destroyed) {
      socket.write('x'.repeat(4_000));
      await pause(10);
    }
    await closed;
    expect(socket.writableEnded).toBe(false);
    socket.destroy();
  }, 20_000);
});
