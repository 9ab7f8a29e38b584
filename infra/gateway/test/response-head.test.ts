// The upstream's response as the client gets it through the gateway's own dispatch handler
// (src/proxy-attempt.ts, ADR 0037): the head copied from undici's raw header list in one pass,
// the body written straight into the client response.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InProcessRegistry } from '@strata/rpc';
import { send } from './fixtures/harness.ts';
import { serveInProcess, TestGateway, type InProcessUpstream } from './fixtures/test-gateway.ts';

const registry = new InProcessRegistry();
/** 3 MB of varied bytes: many chunks, more than a socket buffer holds, so the copy meets backpressure. */
const large = Buffer.alloc(3 * 1024 * 1024, 0);
for (let index = 0; index < large.length; index += 1) large[index] = (index * 31 + (index >> 9)) & 0xff;
const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const upstreamDate = 'Mon, 01 Jan 2001 00:00:00 GMT';
let upstream: InProcessUpstream;
let edge: TestGateway;

beforeAll(async () => {
  upstream = await serveInProcess(registry, 'shop-api', 'shop-1', (req, res) => {
    if (req.url === '/dated') {
      res.writeHead(200, { Date: upstreamDate, 'Content-Length': 5 });
      res.end('dated');
      return;
    }
    if (req.url === '/large') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': large.length });
      res.end(large);
      return;
    }
    // Raw header pairs, as an upstream may send them: repeated names, mixed case, its own
    // request id and rate-limit figures, and hop-by-hop headers that concern only its connection.
    res.writeHead(201, [
      'Set-Cookie',
      'a=1; Path=/',
      'Set-Cookie',
      'b=2; Path=/',
      'X-Shop-Header',
      'kept',
      'X-Request-Id',
      'made-by-the-upstream',
      'RateLimit-Limit',
      '999999',
      'Keep-Alive',
      'timeout=30',
      'Content-Type',
      'text/plain',
    ]);
    res.end('created');
  });
  edge = await TestGateway.start({
    registry,
    routes: {
      version: 1,
      routes: [
        { name: 'open', prefix: '/open', service: 'shop-api', stripPrefix: true },
        {
          name: 'limited',
          prefix: '/limited',
          service: 'shop-api',
          stripPrefix: true,
          plugins: { rateLimit: { limit: 50, periodSeconds: 60 } },
        },
      ],
    },
  });
});

afterAll(async () => {
  await edge.stop();
  await registry.close();
  await upstream.close();
});

describe("the upstream's response head through the gateway", () => {
  it('keeps the status, every repeated header and the end-to-end ones; drops hop-by-hop ones', async () => {
    const reply = await send(edge.url, '/open/created', { headers: { 'x-request-id': 'client-req-1' } });
    expect(reply.status).toBe(201);
    expect(reply.text).toBe('created');
    expect(reply.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(reply.headers['x-shop-header']).toBe('kept');
    expect(reply.headers['content-type']).toBe('text/plain');
    // The gateway's own keep-alive answer to its client, not the upstream's timeout=30.
    expect(reply.headers['keep-alive']).not.toBe('timeout=30');
  });

  it("answers with the request's id and the plugins' headers in place of the upstream's of the same name", async () => {
    const reply = await send(edge.url, '/limited/created', { headers: { 'x-request-id': 'client-req-2' } });
    expect(reply.status).toBe(201);
    expect(reply.headers['x-request-id']).toBe('client-req-2');
    expect(reply.headers['ratelimit-limit']).toBe('50');
    expect(reply.headers['ratelimit-remaining']).toBe('49');
  });

  it("keeps the upstream's Date and Content-Length as the answer's own: no second Date, no chunked framing", async () => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(edge.url).port) });
    socket.setEncoding('latin1');
    let text = '';
    socket.on('data', (chunk: string) => (text += chunk));
    socket.write('GET /open/dated HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n', 'latin1');
    await new Promise((resolve) => socket.on('close', resolve));
    const head = text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase();
    expect(head.match(/\r\ndate: /g)).toHaveLength(1);
    expect(head).toContain(`\r\ndate: ${upstreamDate.toLowerCase()}`);
    expect(head).toContain('\r\ncontent-length: 5');
    expect(head).not.toContain('transfer-encoding');
    expect(text.endsWith('\r\n\r\ndated')).toBe(true);
  });
});

describe("the upstream's body through the gateway", () => {
  it('arrives whole and unchanged when it is larger than the socket buffers', async () => {
    const response = await fetch(`${edge.url}/open/large`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(large.length));
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(large.length);
    expect(digest(bytes)).toBe(digest(large));
  });
});
