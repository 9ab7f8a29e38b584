// The front lane (src/front-lane.ts, ADR 0075) on real sockets, with a plain node:http server
// behind it: which requests the lane answers itself, how it answers them (keep-alive, pipelining,
// Connection: close, HTTP/1.0, HEAD, chunked), and that everything else reaches node:http's server
// on the same connection, as it came.
import { createServer, IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { FrontLane } from '../src/front-lane.ts';
import { FrontRequest } from '../src/front-messages.ts';
import type { GatewayRequest, GatewayResponse } from '../src/http-surface.ts';
import { RawClient } from './fixtures/raw-client.ts';

/** What serve saw, in order: `start <lane|node> <url>` and `end <url>`. */
const seen: string[] = [];
const closes: { url: string; finished: boolean }[] = [];
let releaseHeld: (() => void) | undefined;
let server: Server;
let url: string;

function laneOf(req: GatewayRequest): string {
  return req instanceof FrontRequest ? 'lane' : 'node';
}

function serve(req: GatewayRequest, res: GatewayResponse): void {
  const target = req.url ?? '';
  seen.push(`start ${laneOf(req)} ${target}`);
  res.once('close', () => closes.push({ url: target, finished: res.writableFinished }));
  const answer = (body: string) => {
    seen.push(`end ${target}`);
    res.writeHead(200, ['Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body))]);
    res.end(body);
  };
  if (target === '/hang') return;
  if (target === '/held') {
    releaseHeld = () => answer(`${laneOf(req)} ${target}`);
    return;
  }
  if (target.startsWith('/slow')) {
    setTimeout(() => answer(`${laneOf(req)} ${target}`), 50);
    return;
  }
  if (target === '/chunked') {
    res.writeHead(200, ['Content-Type', 'text/plain']);
    res.write('a');
    res.end('b');
    return;
  }
  if (target === '/headers') return answer(JSON.stringify({ lane: laneOf(req), headers: req.headers }));
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    (req as IncomingMessage).on('data', (chunk: Buffer) => chunks.push(chunk));
    (req as IncomingMessage).on('end', () =>
      answer(`${laneOf(req)} got ${Buffer.concat(chunks).toString()}`),
    );
    return;
  }
  answer(`${laneOf(req)} ${req.method} ${target}`);
}

beforeAll(async () => {
  server = createServer(serve);
  new FrontLane(server, {
    serve,
    maxHeaderBytes: 16_384,
    leavesPath: (path) => path === '/local' || path.startsWith('/local/'),
    keepAliveTimeoutMs: server.keepAliveTimeout,
    firstRequestTimeoutMs: server.headersTimeout,
  });
  server.on('upgrade', (_req, socket) =>
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('node internals the lane uses', () => {
  it('are there in the shape it expects (a Node upgrade that changes them fails here first)', () => {
    const require = createRequire(import.meta.url);
    const common = require('_http_common') as Record<string, unknown> & {
      HTTPParser: Record<string, unknown> & { prototype: Record<string, unknown> };
    };
    for (const key of [
      'kOnHeaders',
      'kOnHeadersComplete',
      'kOnBody',
      'kOnMessageComplete',
      'kOnExecute',
      'REQUEST',
    ])
      expect(typeof common.HTTPParser[key]).toBe('number');
    for (const method of ['initialize', 'execute', 'close'])
      expect(typeof common.HTTPParser.prototype[method]).toBe('function');
    expect(common.methods).toContain('GET');
    expect(typeof common._checkIsHttpToken).toBe('function');
    expect(typeof common._checkInvalidHeaderChar).toBe('function');
    expect(typeof (IncomingMessage.prototype as unknown as Record<string, unknown>)._addHeaderLine).toBe(
      'function',
    );
  });
});

describe('the requests the lane answers', () => {
  it('merges repeated headers exactly as node:http does', async () => {
    const head =
      'Host: edge\r\nAccept: a\r\naccept: b\r\nCookie: x=1\r\nCookie: y=2\r\nAuthorization: one\r\n' +
      'Authorization: two\r\nSet-Cookie: s=1\r\nSet-Cookie: s=2\r\nX-Custom: 1\r\nX-Custom: 2\r\n';
    const client = await RawClient.open(url);
    client.write(`GET /headers HTTP/1.1\r\n${head}\r\n`);
    const [onLane] = await client.answers(1);
    client.write(`GET /headers HTTP/1.1\r\n${head}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    const [onNode] = await client.answers(1);
    client.socket.destroy();
    const lane = JSON.parse(onLane!.body) as { lane: string; headers: Record<string, unknown> };
    const node = JSON.parse(onNode!.body) as { lane: string; headers: Record<string, unknown> };
    expect([lane.lane, node.lane]).toEqual(['lane', 'node']);
    delete node.headers['transfer-encoding'];
    expect(lane.headers).toEqual(node.headers);
  });

  it('keeps a connection alive across requests', async () => {
    const client = await RawClient.open(url);
    client.write('GET /one HTTP/1.1\r\nHost: edge\r\n\r\n');
    const [first] = await client.answers(1);
    client.write('GET /two HTTP/1.1\r\nHost: edge\r\n\r\n');
    const [second] = await client.answers(1);
    client.socket.destroy();
    expect([first!.body, second!.body]).toEqual(['lane GET /one', 'lane GET /two']);
    expect(first!.headers.connection).toBe('keep-alive');
    expect(first!.headers['keep-alive']).toBe('timeout=5');
    expect(first!.headers.date).toMatch(/GMT$/);
  });

  it('answers pipelined requests in order, one at a time', async () => {
    seen.length = 0;
    const client = await RawClient.open(url);
    client.write('GET /held HTTP/1.1\r\nHost: edge\r\n\r\n');
    await waitFor('the first request at serve', () => seen.includes('start lane /held'));
    // The next two come while the first is being answered, in one write; the pause lets them
    // arrive before it is answered (a lane that served them at once would answer them first).
    client.write('GET /p2 HTTP/1.1\r\nHost: edge\r\n\r\nGET /slow?3 HTTP/1.1\r\nHost: edge\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseHeld!();
    const answers = await client.answers(3);
    client.socket.destroy();
    expect(answers.map((answer) => answer.body)).toEqual(['lane /held', 'lane GET /p2', 'lane /slow?3']);
    expect(seen).toEqual([
      'start lane /held',
      'end /held',
      'start lane /p2',
      'end /p2',
      'start lane /slow?3',
      'end /slow?3',
    ]);
  });

  it('closes the connection after an answer to Connection: close', async () => {
    const client = await RawClient.open(url);
    client.write('GET /bye HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n');
    const [answer] = await client.answers(1);
    await client.closed;
    expect(answer!.body).toBe('lane GET /bye');
    expect(answer!.headers.connection).toBe('close');
  });

  it('answers HTTP/1.0 without chunks, and closes', async () => {
    const client = await RawClient.open(url);
    client.write('GET /chunked HTTP/1.0\r\nHost: edge\r\n\r\n');
    await client.closed;
    const [answer] = await client.answers(1);
    expect(answer!.statusLine).toBe('HTTP/1.1 200 OK');
    expect(answer!.headers.connection).toBe('close');
    expect(answer!.headers['transfer-encoding']).toBeUndefined();
    expect(answer!.body).toBe('ab');
  });

  it('frames an answer without a length in chunks', async () => {
    const [chunked, after] = await RawClient.exchange(
      url,
      'GET /chunked HTTP/1.1\r\nHost: edge\r\n\r\nGET /after HTTP/1.1\r\nHost: edge\r\n\r\n',
      2,
    );
    expect(chunked!.headers['transfer-encoding']).toBe('chunked');
    expect(chunked!.body).toBe('ab');
    expect(after!.body).toBe('lane GET /after');
  });

  it('sends no body for HEAD, and the connection goes on', async () => {
    const [head, chunkedHead, next] = await RawClient.exchange(
      url,
      'HEAD /h HTTP/1.1\r\nHost: edge\r\n\r\nHEAD /chunked HTTP/1.1\r\nHost: edge\r\n\r\nGET /next HTTP/1.1\r\nHost: edge\r\n\r\n',
      3,
      [true, true],
    );
    expect(head!.headers['content-length']).toBe(String('lane HEAD /h'.length));
    expect(chunkedHead!.headers['transfer-encoding']).toBeUndefined();
    expect(next!.body).toBe('lane GET /next');
  });

  it('closes the answer unfinished when the client leaves before it', async () => {
    closes.length = 0;
    const client = await RawClient.open(url);
    client.write('GET /hang HTTP/1.1\r\nHost: edge\r\n\r\n');
    await waitFor('the request at serve', () => seen.includes('start lane /hang'));
    client.socket.destroy();
    await waitFor('its answer closed', () => closes.some((close) => close.url === '/hang'));
    expect(closes).toEqual([{ url: '/hang', finished: false }]);
  });
});

describe('the requests the lane leaves to node:http, on the same connection', () => {
  it('a body, and what comes after it', async () => {
    const client = await RawClient.open(url);
    client.write('POST /b HTTP/1.1\r\nHost: edge\r\nContent-Length: 5\r\n\r\nhello');
    client.write('GET /then HTTP/1.1\r\nHost: edge\r\n\r\n');
    const answers = await client.answers(2);
    client.socket.destroy();
    expect(answers.map((answer) => answer.body)).toEqual(['node got hello', 'node GET /then']);
  });

  it('a body pipelined behind a request the lane answers', async () => {
    const answers = await RawClient.exchange(
      url,
      'GET /slow?before HTTP/1.1\r\nHost: edge\r\n\r\nPOST /b HTTP/1.1\r\nHost: edge\r\nContent-Length: 3\r\n\r\nxyz',
      2,
    );
    expect(answers.map((answer) => answer.body)).toEqual(['lane /slow?before', 'node got xyz']);
  });

  it('a chunked body', async () => {
    const client = await RawClient.open(url);
    client.write('GET /first HTTP/1.1\r\nHost: edge\r\n\r\n');
    await client.answers(1);
    client.write('POST /b HTTP/1.1\r\nHost: edge\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    const [answer] = await client.answers(1);
    client.socket.destroy();
    expect(answer!.body).toBe('node got abc');
  });

  it('Expect: 100-continue', async () => {
    const client = await RawClient.open(url);
    client.write('POST /e HTTP/1.1\r\nHost: edge\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n');
    const [proceed] = await client.answers(1);
    client.write('ok');
    const [answer] = await client.answers(1);
    client.socket.destroy();
    expect(proceed!.statusLine).toBe('HTTP/1.1 100 Continue');
    expect(answer!.body).toBe('node got ok');
  });

  it('an upgrade', async () => {
    const [answer] = await RawClient.exchange(
      url,
      'GET /ws HTTP/1.1\r\nHost: edge\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n',
      1,
    );
    expect(answer!.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('a malformed head, a missing Host', async () => {
    const malformed = await RawClient.open(url);
    malformed.write('GET / HTTP/1.1\r\nHost: edge\r\nBad Header\r\n\r\n');
    const [bad] = await malformed.answers(1);
    const hostless = await RawClient.open(url);
    hostless.write('GET / HTTP/1.1\r\nAccept: x\r\n\r\n');
    const [noHost] = await hostless.answers(1);
    for (const client of [malformed, hostless]) client.socket.destroy();
    expect(bad!.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(noHost!.statusLine).toBe('HTTP/1.1 400 Bad Request');
  });

  it('a head that takes more than a few reads (one in two stays on the lane)', async () => {
    const inPieces = async (pieces: readonly string[]) => {
      const client = await RawClient.open(url);
      for (const piece of pieces) {
        client.write(piece);
        // Apart, so that each piece is a read of its own.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [answer] = await client.answers(1);
      client.socket.destroy();
      return answer!.body;
    };
    expect(await inPieces(['GET /two HTTP/1.1\r\nHo', 'st: edge\r\n\r\n'])).toBe('lane GET /two');
    expect(await inPieces(['GET /five HTT', 'P/1.1\r\n', 'Host: ', 'edge\r\n', '\r\n'])).toBe(
      'node GET /five',
    );
  });

  it('a path the lane is told to leave', async () => {
    const [answer] = await RawClient.exchange(url, 'GET /local/x HTTP/1.1\r\nHost: edge\r\n\r\n', 1);
    expect(answer!.body).toBe('node GET /local/x');
  });
});
