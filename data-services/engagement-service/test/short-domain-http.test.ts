import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { headerLines, MAX_HEAD_BYTES, ShortDomainHttp } from '../src/links/redirect/short-domain-http.ts';

// ADR 0043: the short domain's HTTP/1.1 on node:net. Spoken to over a raw socket, so what is
// checked is the bytes a client gets: browsers' GET and HEAD answered in order on one connection,
// everything else refused and the connection closed.

const LOCATION = headerLines('location', 'https://example.org/target');
let server: ShortDomainHttp;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  server = new ShortDomainHttp((request) => {
    seen.push(`${request.method} ${request.target} ${request.userAgent ?? '-'} ${request.referer ?? '-'}`);
    // /slow answers after a turn of the event loop: pipelined requests must still come back in order.
    if (request.target === '/slow') setTimeout(() => request.connection.answer(404, '', 'slow\n'), 20);
    else request.connection.answer(302, LOCATION, '');
  });
  port = await server.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await server.close();
});

/**
 * Sends the bytes and answers what comes back: once `answers` answers have arrived, everything more
 * until the server closes or `quietMs` passes. The window opens at the last answer awaited, not at
 * the write, and when its timer fires the socket is read once more before the exchange ends: after a
 * loop stalled past `quietMs` (a loaded machine), timers run before the reads, and the timer would
 * otherwise end the exchange before an answer or a close already sent is read.
 */
function exchange(bytes: string, answers = 1, quietMs = 300): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let finished = false;
    const done = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    // A bound for a server that never answers, so that the failure shows what did arrive.
    let timer = setTimeout(() => done(false), 10_000);
    let window = 0;
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (statuses(text).length < answers) return;
      const opened = ++window;
      clearTimeout(timer);
      timer = setTimeout(() => setImmediate(() => opened === window && done(false)), quietMs);
    });
    socket.once('end', () => done(true));
    socket.once('error', reject);
    socket.write(bytes);
  });
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));

describe("the short domain's HTTP", () => {
  it('answers a GET with the status, headers, a date and a length, and keeps the connection', async () => {
    const { text, closed } = await exchange(
      'GET /spring-sale?x=1 HTTP/1.1\r\nHost: s.example\r\nUser-Agent: Firefox/1\r\nReferer: https://r.example/a\r\n\r\n',
    );
    expect(text).toMatch(
      /^HTTP\/1\.1 302 Found\r\nlocation: https:\/\/example\.org\/target\r\ndate: .+ GMT\r\ncontent-length: 0\r\n\r\n$/,
    );
    expect(closed).toBe(false);
    expect(seen).toContain('GET /spring-sale?x=1 Firefox/1 https://r.example/a');
  });

  it('answers pipelined requests in the order they came, a slow one included', async () => {
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: s.example\r\n\r\n`;
    const { text } = await exchange(request('/slow') + request('/a') + request('/slow') + request('/b'), 4);
    expect(statuses(text)).toEqual([404, 302, 404, 302]);
  });

  it('reads each request of a connection as sent, when its header lines repeat the last and when they do not', async () => {
    const lines = 'Host: s.example\r\nUser-Agent: Repeat/1\r\nReferer: https://r.example/same\r\n\r\n';
    const { text, closed } = await exchange(
      `GET /r1 HTTP/1.1\r\n${lines}GET /r2 HTTP/1.1\r\n${lines}` +
        'GET /r3 HTTP/1.1\r\nHost: s.example\r\nUser-Agent: Other/2\r\n\r\n' +
        `POST /r4 HTTP/1.1\r\n${lines}`,
      3,
    );
    expect(statuses(text)).toEqual([302, 302, 302, 405]);
    expect(closed).toBe(true);
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /r1 Repeat/1 https://r.example/same',
        'GET /r2 Repeat/1 https://r.example/same',
        'GET /r3 Other/2 -',
      ]),
    );
    // The same lines as a request that was served, now with a second Host: refused all the same.
    const twice = await exchange(`GET /r5 HTTP/1.1\r\n${lines}GET /r6 HTTP/1.1\r\nHost: t\r\n${lines}`, 2);
    expect(statuses(twice.text)).toEqual([302, 400]);
  });

  it('answers HEAD without the body but with its length', async () => {
    const server404 = await exchange('HEAD /slow HTTP/1.1\r\nHost: s.example\r\n\r\n');
    expect(server404.text).toMatch(/^HTTP\/1\.1 404 Not Found\r\n(.+\r\n)*content-length: 5\r\n\r\n$/);
  });

  it('closes after the answer when the client asks, or speaks HTTP/1.0 without keep-alive', async () => {
    expect((await exchange('GET /a HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n')).closed).toBe(true);
    const old = await exchange('GET /a HTTP/1.0\r\n\r\n');
    expect(old.text).toContain('connection: close\r\n');
    expect(old.closed).toBe(true);
    expect((await exchange('GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')).closed).toBe(false);
  });

  it('reads nothing after a request it closes on: what follows is neither handled nor answered', async () => {
    const answer = await exchange('GET /first HTTP/1.0\r\n\r\nGET /never-handled HTTP/1.0\r\n\r\n');
    expect(statuses(answer.text)).toEqual([302]);
    expect(seen.some((request) => request.includes('/never-handled'))).toBe(false);
  });

  it('refuses other methods (405), bodies, malformed heads and a missing host (400), and closes', async () => {
    const post = await exchange(
      'POST /a HTTP/1.1\r\nHost: s\r\nContent-Length: 3\r\n\r\nabcGET /a HTTP/1.1\r\n\r\n',
    );
    expect(statuses(post.text)).toEqual([405]);
    expect(post.text).toContain('allow: GET, HEAD\r\n');
    expect(post.closed).toBe(true);
    for (const refused of [
      // A body on a GET would be read as the next request: smuggling.
      'GET /a HTTP/1.1\r\nHost: s\r\nContent-Length: 5\r\n\r\nGET /',
      'GET /a HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET /a HTTP/1.1\r\nHost : s\r\n\r\n',
      'GET /a HTTP/1.1\r\nHost: s\r\n folded\r\n\r\n',
      'GET /a HTTP/1.1\r\nHost: s\r\nHost: t\r\n\r\n',
      'GET /a HTTP/1.1\r\n\r\n',
      'GET /a b HTTP/1.1\r\nHost: s\r\n\r\n',
      'GET /a HTTP/2.0\r\nHost: s\r\n\r\n',
    ]) {
      const answer = await exchange(refused);
      expect({ refused, statuses: statuses(answer.text), closed: answer.closed }).toEqual({
        refused,
        statuses: [400],
        closed: true,
      });
    }
  });

  it('refuses a head larger than its limit with 431 and closes', async () => {
    const answer = await exchange(
      `GET /a HTTP/1.1\r\nHost: s\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`,
    );
    expect(statuses(answer.text)).toEqual([431]);
    expect(answer.closed).toBe(true);
  });

  it('will not write a header value that could split the answer', () => {
    expect(() => headerLines('location', 'https://example.org/\r\nset-cookie: a=b')).toThrow();
    // Not ASCII: written as UTF-8 it would not be the bytes a client reads as Latin-1.
    expect(() => headerLines('location', 'https://example.org/caf\u00e9')).toThrow();
  });
});

describe("the short domain's timeouts, kept on one sweep", () => {
  // Short timeouts, so that what a client sees of them shows within a test.
  const timeouts = { idleMs: 400, headMs: 300, sweepMs: 20 };
  let timed: ShortDomainHttp;
  let timedPort: number;

  beforeAll(async () => {
    timed = new ShortDomainHttp((request) => request.connection.answer(302, LOCATION, ''), timeouts);
    timedPort = await timed.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await timed.close();
  });

  /** Writes `bytes` (then `trickle`, a byte every 50 ms) and reads until the server closes. */
  function untilClosed(bytes: string, trickle = ''): Promise<{ text: string; closed: boolean }> {
    return new Promise((resolve, reject) => {
      const socket = connect(timedPort, '127.0.0.1');
      let text = '';
      let sent = 0;
      const dripping = setInterval(() => sent < trickle.length && socket.write(trickle[sent++]!), 50);
      const done = (closed: boolean) => {
        clearInterval(dripping);
        clearTimeout(bound);
        socket.destroy();
        resolve({ text, closed });
      };
      // A bound for a server that never closes, so that the failure shows what did arrive.
      const bound = setTimeout(() => done(false), 10_000);
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.once('end', () => done(true));
      socket.once('close', () => done(true));
      socket.once('error', reject);
      if (bytes !== '') socket.write(bytes);
    });
  }

  it('closes a connection that sends nothing, and one that sends nothing after its answer', async () => {
    expect(await untilClosed('')).toEqual({ text: '', closed: true });
    const kept = await untilClosed('GET /a HTTP/1.1\r\nHost: s\r\n\r\n');
    expect(statuses(kept.text)).toEqual([302]);
    expect(kept.closed).toBe(true);
  });

  it('refuses a head still incomplete after its time with 408, though its bytes keep coming', async () => {
    const slow = await untilClosed('GET /a HTTP/1.1\r\nHost: s\r\n', 'X-Slow: a'.repeat(40));
    expect(statuses(slow.text)).toEqual([408]);
    expect(slow.closed).toBe(true);
  });
});
