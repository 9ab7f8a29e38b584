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

/** Sends the bytes, answers everything received until the server closes or `quietMs` passes. */
function exchange(bytes: string, quietMs = 300): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const wait = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      wait();
    });
    socket.once('end', () => done(true));
    socket.once('error', reject);
    socket.write(bytes);
    wait();
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
    const { text } = await exchange(request('/slow') + request('/a') + request('/slow') + request('/b'));
    expect(statuses(text)).toEqual([404, 302, 404, 302]);
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
