import { randomUUID } from 'node:crypto';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type ServerResponse } from 'node:http';
import { BodyFrame, CRLF2, hopByHop, parseHead, POOL_SIZE, requestIdPattern } from './floor-http.ts';

// One half of bench:gateway's floor swapped for what the gateway uses, to tell which half of the
// gateway's distance from the floor is where: node:http's server in front (as the gateway), the
// floor's own upstream pool behind it (floor-proxy.ts: node:net, heads parsed just enough, bodies
// framed by Content-Length or chunked). The request head is copied from `req.rawHeaders` with the
// gateway's headers added; the answer goes through `res.writeHead` with a flat header list, as the
// gateway's dispatch handler does. A bench instrument only: a request with a body is answered 501,
// and a chunked answer is passed through as node:http re-chunks it (wrong framing): the bench's
// upstream answers with Content-Length. argv: upstream port; prints "ready <port>".
const upstreamPort = Number(process.argv[2]);
/** node:http frames the answer to the client itself, and this instrument takes no request body. */
const dropped = new Set([...hopByHop, 'content-length', 'transfer-encoding']);

interface Exchange {
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly bodyless: boolean;
  readonly out: string[];
  upstream: Upstream | undefined;
}
interface Upstream {
  readonly socket: Socket;
  exchange: Exchange | undefined;
  pending: Buffer | undefined;
  frame: BodyFrame | undefined;
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
  upstream.socket.write(exchange.out[0]!, 'latin1');
}
function release(upstream: Upstream, reusable: boolean): void {
  upstream.exchange = undefined;
  upstream.frame = undefined;
  upstream.pending = undefined;
  if (!reusable) return void upstream.socket.destroy();
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
    if (upstream.frame !== undefined) exchange.res.destroy();
    else {
      exchange.res.statusCode = 502;
      exchange.res.end();
    }
  });
  return upstream;
}
function fromUpstream(upstream: Upstream, data: Buffer): void {
  const exchange = upstream.exchange;
  if (exchange === undefined) return void upstream.socket.destroy();
  let chunk = data;
  let start = 0;
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
    if (status < 200) return void fromUpstream(upstream, chunk.subarray(start));
    upstream.frame =
      exchange.bodyless || status === 204 || status === 304 ? new BodyFrame(0, false) : parsed.frame;
    const head: string[] = [];
    for (let index = 0; index < parsed.names.length; index += 1) {
      const name = parsed.names[index]!;
      if ((dropped.has(name) && name !== 'content-length') || name === 'x-request-id') continue;
      head.push(name, parsed.values[index]!);
    }
    head.push('x-request-id', exchange.requestId);
    exchange.res.writeHead(status, head);
    upstream.reusable = !parsed.close;
  }
  const frame = upstream.frame!;
  const taken = frame.take(chunk, start);
  if (!frame.done) {
    if (taken > 0) exchange.res.write(chunk.subarray(start, start + taken));
    return;
  }
  if (taken > 0) exchange.res.end(chunk.subarray(start, start + taken));
  else exchange.res.end();
  release(upstream, upstream.reusable && start + taken === chunk.length);
}
const server = createServer((req, res) => {
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
    res.statusCode = 501;
    return void res.end();
  }
  const raw = req.rawHeaders;
  let incomingId: string | undefined;
  let forwardedFor: string | undefined;
  let host: string | undefined;
  let head = `${req.method} ${req.url} HTTP/1.1\r\n`;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    const value = raw[index + 1]!;
    if (name === 'x-request-id') incomingId = value;
    else if (name === 'x-forwarded-for') forwardedFor = value;
    else if (name === 'host') host = value;
    if (dropped.has(name) || name === 'x-request-id' || name === 'x-forwarded-for') continue;
    head += `${name}: ${value}\r\n`;
  }
  const requestId = incomingId !== undefined && requestIdPattern.test(incomingId) ? incomingId : randomUUID();
  const peer = req.socket.remoteAddress ?? 'unknown';
  head += `host: 127.0.0.1:${upstreamPort}\r\nx-request-id: ${requestId}\r\n`;
  head += `x-forwarded-for: ${forwardedFor === undefined ? peer : `${forwardedFor}, ${peer}`}\r\n`;
  head += 'x-forwarded-proto: http\r\n';
  if (host !== undefined) head += `x-forwarded-host: ${host}\r\n`;
  head += '\r\n';
  const exchange: Exchange = {
    res,
    requestId,
    bodyless: req.method === 'HEAD',
    out: [head],
    upstream: undefined,
  };
  res.on('close', () => {
    const upstream = exchange.upstream;
    if (!res.writableFinished && upstream !== undefined && upstream.exchange === exchange) {
      upstream.exchange = undefined;
      upstream.socket.destroy();
    }
  });
  acquire(exchange);
});
server.listen(0, '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => process.exit(0));
