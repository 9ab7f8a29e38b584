import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { UpstreamDispatcher, type UpstreamRequest } from '../src/upstream-dispatcher.ts';
import { judgeAttemptFailure } from '../src/upstream-failure.ts';

// The gateway's own HTTP/1.1 client (ADR 0072) against real sockets: a node:http upstream for
// well-formed answers, and a raw TCP one that answers each request with bytes a test chooses
// (malformed heads, closes at awkward moments).

interface Answer {
  readonly status: number;
  readonly headers: string[];
  readonly body: Buffer;
}

interface SendOptions {
  readonly pauseFirstChunk?: (resume: () => void, dataCallsWhilePaused: () => number) => void;
  readonly abortAfterFirstChunk?: boolean;
  /** Collects what each `onData` was told of being the body's last bytes. */
  readonly lastFlags?: boolean[];
}

function send(
  dispatcher: UpstreamDispatcher,
  request: Partial<UpstreamRequest>,
  options: SendOptions = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: string[] = [];
    let resume: () => void = () => undefined;
    let abort: (reason?: Error) => void = () => undefined;
    let paused = false;
    let whilePaused = 0;
    const chunks: Buffer[] = [];
    dispatcher.dispatch(
      { method: 'GET', path: '/', headers: {}, body: null, bodyTimeout: 0, ...request },
      {
        onConnect: (abortIt) => (abort = abortIt),
        onHeaders: (statusCode, rawHeaders, resumeIt) => {
          status = statusCode;
          headers = rawHeaders;
          resume = resumeIt;
          return true;
        },
        onData: (chunk, last) => {
          options.lastFlags?.push(last);
          if (paused) whilePaused += 1;
          chunks.push(Buffer.from(chunk));
          if (options.abortAfterFirstChunk === true) {
            abort();
            return true;
          }
          if (chunks.length === 1 && options.pauseFirstChunk !== undefined) {
            paused = true;
            options.pauseFirstChunk(
              () => {
                paused = false;
                resume();
              },
              () => whilePaused,
            );
            return false;
          }
          return true;
        },
        onComplete: () => resolve({ status, headers, body: Buffer.concat(chunks) }),
        onError: reject,
      },
    );
  });
}

function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => 'no error',
    (error: NodeJS.ErrnoException) => error.code,
  );
}

async function listen(server: Server | HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const big = Buffer.alloc(4 * 1024 * 1024, 'abcdefghij');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the upstream dispatcher against a node:http upstream', () => {
  let server: HttpServer;
  let origin: string;
  let connections = 0;
  let received: { method: string; length: number; sha: string; headers: Record<string, unknown> }[] = [];
  const pools: UpstreamDispatcher[] = [];
  const pool = () => {
    const created = new UpstreamDispatcher(origin, { connections: 4, keepAliveTimeout: 10_000 });
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push({ method: req.method!, length: body.length, sha: sha(body), headers: req.headers });
        if (req.url === '/chunked') {
          res.writeHead(200, { 'x-kind': 'chunked' });
          res.write('first,');
          setTimeout(() => res.end('second'), 10);
        } else if (req.url === '/big') {
          res.end(big);
        } else if (req.url === '/empty') {
          res.writeHead(204).end();
        } else if (req.url === '/close') {
          res.writeHead(200, { connection: 'close', 'content-length': '3' }).end('bye');
        } else if (req.url === '/silent') {
          // Never answers.
        } else {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
          res.end(req.method === 'HEAD' ? undefined : 'hello');
        }
      });
    });
    server.on('connection', () => (connections += 1));
    origin = await listen(server);
  });

  afterAll(async () => {
    await Promise.all(pools.map((created) => created.close()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps one socket alive for requests in turn, HEAD and 204 included', async () => {
    const dispatcher = pool();
    const before = connections;
    expect((await send(dispatcher, {})).body.toString()).toBe('hello');
    const head = await send(dispatcher, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers).toContain('5');
    expect(head.body.length).toBe(0);
    expect((await send(dispatcher, { path: '/empty' })).status).toBe(204);
    expect((await send(dispatcher, {})).body.toString()).toBe('hello');
    expect(connections - before).toBe(1);
  });

  it('decodes a chunked answer', async () => {
    const answer = await send(pool(), { path: '/chunked' });
    expect(answer.body.toString()).toBe('first,second');
    expect(answer.headers.map((value) => value.toLowerCase())).toContain('transfer-encoding');
  });

  it('tells the handler which bytes end a Content-Length body, and none of a chunked one', async () => {
    const lengthFlags: boolean[] = [];
    const answer = await send(pool(), { path: '/big' }, { lastFlags: lengthFlags });
    expect(answer.body.length).toBe(big.length);
    expect(lengthFlags.length).toBeGreaterThan(1);
    expect(lengthFlags.indexOf(true)).toBe(lengthFlags.length - 1);
    const chunkedFlags: boolean[] = [];
    await send(pool(), { path: '/chunked' }, { lastFlags: chunkedFlags });
    expect(chunkedFlags).toEqual([false, false]);
  });

  it('opens a new socket after an answer with Connection: close', async () => {
    const dispatcher = pool();
    const before = connections;
    expect((await send(dispatcher, { path: '/close' })).body.toString()).toBe('bye');
    expect((await send(dispatcher, {})).body.toString()).toBe('hello');
    expect(connections - before).toBe(2);
  });

  it('sends a request body whole, with its length', async () => {
    received = [];
    const answer = await send(pool(), { method: 'POST', body: big, headers: { 'x-test': 'body' } });
    expect(answer.status).toBe(200);
    expect(received[0]).toMatchObject({ method: 'POST', length: big.length, sha: sha(big) });
    expect(received[0]!.headers).toMatchObject({ 'x-test': 'body', 'content-length': String(big.length) });
  });

  it('reads no more of the answer while its handler is paused, and all of it after', async () => {
    let callsWhilePaused = -1;
    const answer = await send(
      pool(),
      { path: '/big' },
      {
        pauseFirstChunk: (resume, whilePaused) =>
          setTimeout(() => {
            callsWhilePaused = whilePaused();
            resume();
          }, 200),
      },
    );
    expect(callsWhilePaused).toBe(0);
    expect(answer.body.length).toBe(big.length);
    expect(sha(answer.body)).toBe(sha(big));
  });

  it('gives up on a head that does not come, with undici’s code', async () => {
    const dispatcher = new UpstreamDispatcher(origin, {
      connections: 1,
      keepAliveTimeout: 10_000,
      headersTimeout: 300,
    });
    pools.push(dispatcher);
    expect(await codeOf(send(dispatcher, { path: '/silent' }))).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect((await send(dispatcher, {})).body.toString()).toBe('hello');
  });

  it('gives up on a head past the request’s own head timeout, a wait for a socket included', async () => {
    const dispatcher = new UpstreamDispatcher(origin, { connections: 1, keepAliveTimeout: 10_000 });
    pools.push(dispatcher);
    let firstSettled = false;
    const first = codeOf(send(dispatcher, { path: '/silent', headTimeout: 1_500 })).finally(() => {
      firstSettled = true;
    });
    // Queued behind the first on the one socket: its head timeout runs out before that socket frees.
    const second = await codeOf(send(dispatcher, { path: '/silent', headTimeout: 100 }));
    expect(second).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(firstSettled).toBe(false);
    expect(await first).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect((await send(dispatcher, {})).body.toString()).toBe('hello');
  });

  it('cuts an aborted answer and serves the next request on another socket', async () => {
    const dispatcher = pool();
    const aborted = await codeOf(send(dispatcher, { path: '/big' }, { abortAfterFirstChunk: true }));
    expect(aborted).toBe('UND_ERR_ABORTED');
    expect((await send(dispatcher, {})).body.toString()).toBe('hello');
  });

  it('refuses a header value that would split the head: the client’s fault', async () => {
    const error = await send(pool(), { headers: { 'x-user': 'a\r\nx-injected: 1' } }).catch(
      (caught: Error) => caught,
    );
    expect(judgeAttemptFailure(error as NodeJS.ErrnoException, 's', 'i')).toMatchObject({ blame: 'client' });
  });

  it('reports a refused connection as never sent', async () => {
    const closed = createTcpServer();
    const unused = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const dispatcher = new UpstreamDispatcher(unused, { connections: 1, keepAliveTimeout: 10_000 });
    pools.push(dispatcher);
    const error = (await send(dispatcher, {}).catch((caught: Error) => caught)) as NodeJS.ErrnoException;
    expect(error.code).toBe('ECONNREFUSED');
    expect(judgeAttemptFailure(error, 's', 'i')).toMatchObject({ neverSent: true, retryable: true });
  });
});

describe('the upstream dispatcher against a raw upstream', () => {
  let server: Server;
  let origin: string;
  /** What the raw upstream does with the n-th request (from 0) on each connection. */
  let script: (socket: Socket, index: number) => void;
  const pools: UpstreamDispatcher[] = [];
  const pool = () => {
    const created = new UpstreamDispatcher(origin, { connections: 1, keepAliveTimeout: 10_000 });
    pools.push(created);
    return created;
  };
  const ok = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

  beforeAll(async () => {
    server = createTcpServer((socket) => {
      let index = 0;
      let buffered = '';
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        while (buffered.includes('\r\n\r\n')) {
          buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
          script(socket, index++);
        }
      });
      socket.on('error', () => undefined);
    });
    origin = await listen(server);
  });

  afterAll(async () => {
    await Promise.all(pools.map((created) => created.close()));
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['a malformed status line', 'HTTP/1.1 2000 OK\r\ncontent-length: 2\r\n\r\nok', 'HPE_INVALID_STATUS'],
    ['no status line', 'hello\r\n\r\n', 'HPE_INVALID_STATUS'],
    [
      'a space in a header name',
      'HTTP/1.1 200 OK\r\nbad name: x\r\ncontent-length: 2\r\n\r\nok',
      'HPE_INVALID_HEADER_TOKEN',
    ],
    [
      'a control character in a value',
      'HTTP/1.1 200 OK\r\nx-a: a\x01b\r\ncontent-length: 2\r\n\r\nok',
      'HPE_INVALID_HEADER_TOKEN',
    ],
    [
      'a bare LF in the head',
      'HTTP/1.1 200 OK\r\nx-a: a\nx-b: b\r\ncontent-length: 2\r\n\r\nok',
      'HPE_INVALID_HEADER_TOKEN',
    ],
    [
      'a folded header line',
      'HTTP/1.1 200 OK\r\nx-a: a\r\n b\r\ncontent-length: 2\r\n\r\nok',
      'HPE_INVALID_HEADER_TOKEN',
    ],
    [
      'Content-Length beside chunked',
      'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      'HPE_UNEXPECTED_CONTENT_LENGTH',
    ],
    [
      'two Content-Lengths',
      'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok',
      'HPE_INVALID_CONTENT_LENGTH',
    ],
    [
      'a signed Content-Length',
      'HTTP/1.1 200 OK\r\ncontent-length: +2\r\n\r\nok',
      'HPE_INVALID_CONTENT_LENGTH',
    ],
    [
      'a coding other than chunked',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      'HPE_INVALID_TRANSFER_ENCODING',
    ],
    [
      'a bad chunk size',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n',
      'HPE_INVALID_CHUNK_SIZE',
    ],
    [
      'chunk data longer than its size',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nok\r\n0\r\n\r\n',
      'HPE_STRICT',
    ],
    [
      'an unasked-for upgrade',
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n',
      'UND_ERR_SOCKET',
    ],
    [
      'an answer shorter than its Content-Length',
      'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nok',
      'UND_ERR_SOCKET',
    ],
  ])('fails on %s, blamed on the upstream, never passed on', async (_case, bytes, code) => {
    script = (socket) => socket.end(bytes, 'latin1');
    const error = (await send(pool(), {}).catch((caught: Error) => caught)) as NodeJS.ErrnoException;
    expect(error.code).toBe(code);
    expect(judgeAttemptFailure(error, 's', 'i').blame).toBe('upstream');
  });

  it('fails on a head larger than 16 KiB', async () => {
    script = (socket) => socket.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(await codeOf(send(pool(), {}))).toBe('UND_ERR_HEADERS_OVERFLOW');
  });

  it('reads an answer framed by the connection’s end, and skips an interim 103', async () => {
    script = (socket) =>
      socket.end('HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.0 200 OK\r\n\r\nuntil the end');
    const answer = await send(pool(), {});
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('until the end');
  });

  it('decodes chunks with extensions and trailers, split across reads', async () => {
    script = (socket) => {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3;name=va');
      setTimeout(() => socket.write('lue\r\nabc\r\n1'), 20);
      setTimeout(() => socket.write('0\r\n0123456789abcdef\r\n0\r\nx-trailer: t\r\n\r\n'), 40);
    };
    expect((await send(pool(), {})).body.toString()).toBe('abc0123456789abcdef');
  });

  it('does not reuse a socket that sent bytes past its answer', async () => {
    let connections = 0;
    script = (socket, index) => {
      if (index === 0) connections += 1;
      socket.write(index === 0 ? `${ok}HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nextra` : ok);
    };
    const dispatcher = pool();
    expect((await send(dispatcher, {})).body.toString()).toBe('ok');
    expect((await send(dispatcher, {})).body.toString()).toBe('ok');
    expect(connections).toBe(2);
  });

  it('reports a kept-alive socket the upstream closes under a request as a retryable upstream failure', async () => {
    // The race of an idle socket: the upstream answered one request, then closes without answering the next.
    script = (socket, index) => (index === 0 ? socket.write(ok) : socket.destroy());
    const dispatcher = pool();
    expect((await send(dispatcher, {})).body.toString()).toBe('ok');
    const error = (await send(dispatcher, {}).catch((caught: Error) => caught)) as NodeJS.ErrnoException;
    expect(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']).toContain(error.code);
    expect(judgeAttemptFailure(error, 's', 'i')).toMatchObject({ blame: 'upstream', retryable: true });
    // The next request gets a new socket.
    expect((await send(dispatcher, {})).body.toString()).toBe('ok');
  });

  it('opens a new socket when the upstream closed an idle one', async () => {
    let connections = 0;
    script = (socket, index) => {
      if (index === 0) connections += 1;
      socket.end(ok);
    };
    const dispatcher = pool();
    expect((await send(dispatcher, {})).body.toString()).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await send(dispatcher, {})).body.toString()).toBe('ok');
    expect(connections).toBe(2);
  });

  it('gives up on a body that stalls', async () => {
    script = (socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nok');
    expect(await codeOf(send(pool(), { bodyTimeout: 300 }))).toBe('UND_ERR_BODY_TIMEOUT');
  });
});
