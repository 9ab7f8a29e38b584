import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { BodyFrame, CRLF2, hopByHop, parseHead, POOL_SIZE, requestIdPattern } from './floor-http.ts';

// bench:gateway's floor: the least a Node HTTP/1.1 reverse proxy can do on this machine with the
// gateway's per-request work. One process, node:net on both sides: the request head is parsed just
// enough (method, target, Content-Length, Transfer-Encoding, Connection), its hop-by-hop headers
// dropped and the gateway's own added (x-request-id, a fresh UUID unless the client sent one;
// x-forwarded-for/-proto/-host), the request forwarded on a kept-alive upstream socket from a pool
// as large as the gateway's (128), the upstream's answer framed by Content-Length or chunked, its
// hop-by-hop headers dropped, x-request-id added, and written back in one writev. The bodies pass
// through as bytes (chunked stays chunked).
//
// It leaves out what makes the gateway a gateway: routes and their prefixes, plugins, a request
// target's checks (path traversal, absolute form), header limits (431), 100-continue, upgrades,
// retries, breakers, health checks, the registry, timeouts of any kind, metrics, access log,
// tracing, backpressure beyond the socket's, and any answer to a malformed request other than
// closing its connection. Whatever it reaches is the most any such proxy in Node reaches here.
// argv: upstream port; prints "ready <port>".
const upstreamPort = Number(process.argv[2]);
/** One client request on its way: its client, and what to write back once the upstream answers. */
interface Exchange {
  readonly client: Socket;
  readonly requestId: string;
  readonly bodyless: boolean;
  readonly clientClose: boolean;
  /** The request as the upstream gets it: the rewritten head and the body bytes read so far. */
  readonly out: (string | Buffer)[];
  requestFrame: BodyFrame;
  upstream: Upstream | undefined;
}

/** A kept-alive upstream connection and the response it is reading. */
interface Upstream {
  readonly socket: Socket;
  exchange: Exchange | undefined;
  pending: Buffer | undefined;
  frame: BodyFrame | undefined;
  /** Whether the answer being read leaves the connection open (no `Connection: close`). */
  reusable: boolean;
}

const idle: Upstream[] = [];
let open = 0;
const queued: Exchange[] = [];

function acquire(exchange: Exchange): void {
  const upstream = idle.pop();
  if (upstream !== undefined) return send(upstream, exchange);
  if (open < POOL_SIZE) return send(dial(), exchange);
  queued.push(exchange);
}

function send(upstream: Upstream, exchange: Exchange): void {
  upstream.exchange = exchange;
  exchange.upstream = upstream;
  const socket = upstream.socket;
  socket.cork();
  for (const part of exchange.out) socket.write(part, 'latin1');
  exchange.out.length = 0;
  socket.uncork();
}

function release(upstream: Upstream, reusable: boolean): void {
  upstream.exchange = undefined;
  upstream.frame = undefined;
  upstream.pending = undefined;
  if (!reusable) {
    upstream.socket.destroy();
    return;
  }
  const next = queued.shift();
  if (next !== undefined) send(upstream, next);
  else idle.push(upstream);
}

function dial(): Upstream {
  open += 1;
  const socket = connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
  const upstream: Upstream = {
    socket,
    exchange: undefined,
    pending: undefined,
    frame: undefined,
    reusable: true,
  };
  socket.on('data', (chunk: Buffer) => fromUpstream(upstream, chunk));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    open -= 1;
    const index = idle.indexOf(upstream);
    if (index !== -1) idle.splice(index, 1);
    const exchange = upstream.exchange;
    if (exchange === undefined) return;
    upstream.exchange = undefined;
    // Mid-response: the head may be gone to the client already, so the client is cut too.
    if (upstream.frame !== undefined) exchange.client.destroy();
    else exchange.client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  return upstream;
}

function fromUpstream(upstream: Upstream, data: Buffer): void {
  const exchange = upstream.exchange;
  if (exchange === undefined) return void upstream.socket.destroy();
  let chunk = data;
  let start = 0;
  let head = '';
  if (upstream.frame === undefined) {
    if (upstream.pending !== undefined) chunk = Buffer.concat([upstream.pending, data]);
    const end = chunk.indexOf(CRLF2);
    if (end === -1) {
      upstream.pending = chunk;
      return;
    }
    upstream.pending = undefined;
    const parsed = parseHead(chunk.toString('latin1', 0, end), exchange.bodyless);
    start = end + 4;
    const status = Number(parsed.firstLine.slice(9, 12));
    // 1xx is this hop's business: skip it and read the real head from what follows.
    if (status < 200) return void fromUpstream(upstream, chunk.subarray(start));
    const bodyless = exchange.bodyless || status === 204 || status === 304;
    upstream.frame = bodyless ? new BodyFrame(0, false) : parsed.frame;
    head = `${parsed.firstLine}\r\n`;
    for (let index = 0; index < parsed.names.length; index += 1) {
      const name = parsed.names[index]!;
      if (hopByHop.has(name) || name === 'x-request-id') continue;
      head += `${name}: ${parsed.values[index]}\r\n`;
    }
    head += `x-request-id: ${exchange.requestId}\r\n`;
    if (exchange.clientClose) head += 'connection: close\r\n';
    head += '\r\n';
    upstream.reusable = !parsed.close;
  }
  const frame = upstream.frame!;
  const taken = frame.take(chunk, start);
  const client = exchange.client;
  client.cork();
  if (head !== '') client.write(head, 'latin1');
  if (taken > 0)
    client.write(start === 0 && taken === chunk.length ? chunk : chunk.subarray(start, start + taken));
  client.uncork();
  if (!frame.done) return;
  const reusable = upstream.reusable && start + taken === chunk.length;
  release(upstream, reusable);
  finished(exchange);
}

/** Per client connection: the bytes not yet parsed, and the request in flight (one at a time). */
interface Client {
  readonly socket: Socket;
  buffered: Buffer | undefined;
  current: Exchange | undefined;
}

function finished(exchange: Exchange): void {
  const client = clients.get(exchange.client)!;
  client.current = undefined;
  // Answered before its body was all read (or asked to close): the rest cannot be told from a next request.
  if (exchange.clientClose || !exchange.requestFrame.done) return void exchange.client.end();
  // A pipelined request that arrived meanwhile.
  if (client.buffered !== undefined) {
    const rest = client.buffered;
    client.buffered = undefined;
    fromClient(client, rest);
  }
}

const clients = new WeakMap<Socket, Client>();

function fromClient(client: Client, data: Buffer): void {
  let chunk = client.buffered === undefined ? data : Buffer.concat([client.buffered, data]);
  client.buffered = undefined;
  while (chunk.length > 0) {
    const current = client.current;
    if (current !== undefined) {
      // The request's body still arriving goes on; a next request waits for this one's answer.
      if (current.requestFrame.done) {
        client.buffered = chunk;
        return;
      }
      const taken = current.requestFrame.take(chunk, 0);
      const body = chunk.subarray(0, taken);
      if (current.upstream === undefined) current.out.push(body);
      else current.upstream.socket.write(body);
      chunk = chunk.subarray(taken);
      continue;
    }
    const end = chunk.indexOf(CRLF2);
    if (end === -1) {
      client.buffered = chunk;
      return;
    }
    const text = chunk.toString('latin1', 0, end);
    const space = text.indexOf(' ');
    const method = text.slice(0, space);
    const parsed = parseHead(text, false);
    let incomingId: string | undefined;
    let forwardedFor: string | undefined;
    let host: string | undefined;
    let head = `${parsed.firstLine}\r\n`;
    for (let index = 0; index < parsed.names.length; index += 1) {
      const name = parsed.names[index]!;
      const value = parsed.values[index]!;
      if (name === 'x-request-id') incomingId = value;
      else if (name === 'x-forwarded-for') forwardedFor = value;
      else if (name === 'host') host = value;
      if (hopByHop.has(name) || name === 'x-request-id' || name === 'x-forwarded-for') continue;
      head += `${name}: ${value}\r\n`;
    }
    const requestId =
      incomingId !== undefined && requestIdPattern.test(incomingId) ? incomingId : randomUUID();
    const peer = client.socket.remoteAddress ?? 'unknown';
    head += `host: 127.0.0.1:${upstreamPort}\r\nx-request-id: ${requestId}\r\n`;
    head += `x-forwarded-for: ${forwardedFor === undefined ? peer : `${forwardedFor}, ${peer}`}\r\n`;
    head += 'x-forwarded-proto: http\r\n';
    if (host !== undefined) head += `x-forwarded-host: ${host}\r\n`;
    head += '\r\n';
    const exchange: Exchange = {
      client: client.socket,
      requestId,
      bodyless: method === 'HEAD',
      clientClose: parsed.close,
      out: [head],
      requestFrame: parsed.frame,
      upstream: undefined,
    };
    client.current = exchange;
    chunk = chunk.subarray(end + 4);
    const taken = parsed.frame.take(chunk, 0);
    if (taken > 0) exchange.out.push(chunk.subarray(0, taken));
    chunk = chunk.subarray(taken);
    acquire(exchange);
  }
}

const server = createServer({ noDelay: true }, (socket) => {
  const client: Client = { socket, buffered: undefined, current: undefined };
  clients.set(socket, client);
  socket.on('data', (chunk: Buffer) => {
    try {
      fromClient(client, chunk);
    } catch {
      socket.destroy();
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    // The client left mid-exchange: its upstream connection holds a half-read answer.
    const upstream = client.current?.upstream;
    if (upstream !== undefined && upstream.exchange === client.current) {
      upstream.exchange = undefined;
      upstream.socket.destroy();
    }
    const index = client.current === undefined ? -1 : queued.indexOf(client.current);
    if (index !== -1) queued.splice(index, 1);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => {
  server.close();
  for (const upstream of idle) upstream.socket.destroy();
  process.exit(0);
});
