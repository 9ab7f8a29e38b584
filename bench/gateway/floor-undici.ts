import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { CRLF2, hopByHop, parseHead, POOL_SIZE, requestIdPattern } from './floor-http.ts';

// The other half of bench:gateway's floor swapped for what the gateway uses: the floor's node:net
// front (floor-proxy.ts: heads parsed just enough, the gateway's headers added, the answer's head
// written as text) with undici's Pool behind it (128 connections, pipelining 1, as the gateway's)
// and a bare dispatch handler (as the gateway's proxy-attempt.ts). A bench instrument only: a
// request with a body closes its connection, and there is no backpressure toward the client.
// argv: upstream port; prints "ready <port>".
const upstreamPort = Number(process.argv[2]);
/** undici frames both messages itself: the answer's body arrives unchunked. */
const dropped = new Set([...hopByHop, 'transfer-encoding']);

const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, {
  connections: POOL_SIZE,
  keepAliveTimeout: 10_000,
  pipelining: 1,
});
interface Client {
  readonly socket: Socket;
  buffered: Buffer | undefined;
  busy: boolean;
  close: boolean;
}

class Attempt implements Dispatcher.DispatchHandler {
  readonly client: Client;
  readonly requestId: string;
  chunked = false;
  constructor(client: Client, requestId: string) {
    this.client = client;
    this.requestId = requestId;
  }
  onConnect(): void {}
  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true;
    let head = `HTTP/1.1 ${statusCode} OK\r\n`;
    this.chunked = true;
    for (let index = 0; index < rawHeaders.length; index += 2) {
      const name = rawHeaders[index]!.toString('latin1');
      const lower = name.toLowerCase();
      if (lower === 'content-length') this.chunked = false;
      if ((dropped.has(lower) && lower !== 'content-length') || lower === 'x-request-id') continue;
      head += `${name}: ${rawHeaders[index + 1]!.toString('latin1')}\r\n`;
    }
    head += `x-request-id: ${this.requestId}\r\n${this.chunked ? 'transfer-encoding: chunked\r\n' : ''}\r\n`;
    this.client.socket.cork();
    this.client.socket.write(head, 'latin1');
    return true;
  }
  onData(chunk: Buffer): boolean {
    if (this.chunked) this.client.socket.write(`${chunk.length.toString(16)}\r\n`);
    this.client.socket.write(chunk);
    if (this.chunked) this.client.socket.write('\r\n');
    return true;
  }
  onComplete(): void {
    const client = this.client;
    if (this.chunked) client.socket.write('0\r\n\r\n');
    client.socket.uncork();
    client.busy = false;
    if (client.close) return void client.socket.end();
    if (client.buffered !== undefined) {
      const rest = client.buffered;
      client.buffered = undefined;
      fromClient(client, rest);
    }
  }
  onError(): void {
    this.client.socket.destroy();
  }
}

function fromClient(client: Client, data: Buffer): void {
  const chunk = client.buffered === undefined ? data : Buffer.concat([client.buffered, data]);
  client.buffered = undefined;
  if (client.busy) {
    client.buffered = chunk;
    return;
  }
  const end = chunk.indexOf(CRLF2);
  if (end === -1) {
    client.buffered = chunk;
    return;
  }
  const text = chunk.toString('latin1', 0, end);
  const parsed = parseHead(text, false);
  if (!parsed.frame.done) return void client.socket.destroy();
  const [method, path] = parsed.firstLine.split(' ') as [Dispatcher.HttpMethod, string];
  let incomingId: string | undefined;
  let forwardedFor: string | undefined;
  let host: string | undefined;
  const headers: string[] = [];
  for (let index = 0; index < parsed.names.length; index += 1) {
    const name = parsed.names[index]!;
    const value = parsed.values[index]!;
    if (name === 'x-request-id') incomingId = value;
    else if (name === 'x-forwarded-for') forwardedFor = value;
    else if (name === 'host') host = value;
    if (dropped.has(name) || name === 'x-request-id' || name === 'x-forwarded-for') continue;
    headers.push(name, value);
  }
  const requestId = incomingId !== undefined && requestIdPattern.test(incomingId) ? incomingId : randomUUID();
  const peer = client.socket.remoteAddress ?? 'unknown';
  headers.push(
    'x-request-id',
    requestId,
    'x-forwarded-for',
    forwardedFor === undefined ? peer : `${forwardedFor}, ${peer}`,
    'x-forwarded-proto',
    'http',
  );
  if (host !== undefined) headers.push('x-forwarded-host', host);
  client.busy = true;
  client.close = parsed.close;
  const rest = chunk.subarray(end + 4);
  if (rest.length > 0) client.buffered = rest;
  pool.dispatch({ method, path, headers, body: null }, new Attempt(client, requestId));
}
const server = createServer({ noDelay: true }, (socket) => {
  const client: Client = { socket, buffered: undefined, busy: false, close: false };
  socket.on('data', (chunk: Buffer) => fromClient(client, chunk));
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => process.exit(0));
