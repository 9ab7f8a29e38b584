import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readHead, type ShortRequestHead } from './short-domain-request-head.ts';

/**
 * The short domain's HTTP/1.1, on node:net (ADR 0043). It serves what browsers send to a short
 * link — `GET` or `HEAD` of a path, no body — and nothing else: any other method is answered 405
 * and the connection closed, a request announcing a body 400 and closed (a body would otherwise be
 * read as the next request), a header block over MAX_HEAD_BYTES 431, anything malformed 400.
 * Requests of a connection are answered one at a time, in order (pipelined ones wait in the buffer).
 * node:http answering a constant 302 measured 58–62 % of nginx `return 302` on the bench machine,
 * this loop 95–100 %: the difference is node:http's per-request objects, streams and events.
 */
export interface ShortRequest extends ShortRequestHead {
  /** The client's connection: one per socket, for what stays the same across its requests. */
  readonly connection: ShortConnection;
}

/** Header lines of an answer, each `name: value\r\n`; see headerLines. */
export type HeaderLines = string;

export interface ShortConnection {
  readonly remoteAddress: string | undefined;
  /** Answers the connection's current request; a second answer to the same request is ignored. */
  answer(status: number, headers: HeaderLines, body: string): void;
}

/** Request line and headers at most (node:http's default maxHeaderSize). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A connection silent this long is closed (idle keep-alive or a request that stopped coming). */
const IDLE_MS = 65_000;
/** A request's head must be complete this long after its first byte (slow-header attacks). */
const HEAD_MS = 60_000;

const REASONS: Record<number, string> = {
  200: 'OK',
  302: 'Found',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  410: 'Gone',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
};
// What this server writes as a value: visible ASCII, spaces and tabs (a URL target is ASCII), so
// the head is the same bytes whatever the body's encoding.
const VALUE_CHARS = /^[\t\x20-\x7e]*$/;

/** Header lines from names and values; a value that could split the answer throws. */
export function headerLines(...namesAndValues: string[]): HeaderLines {
  let lines = '';
  for (let index = 0; index < namesAndValues.length; index += 2) {
    const value = namesAndValues[index + 1]!;
    if (!VALUE_CHARS.test(value)) throw new Error(`not a header value: ${JSON.stringify(value)}`);
    lines += `${namesAndValues[index]!}: ${value}\r\n`;
  }
  return lines;
}

let dateSecond = -1;
let dateLine = '';
/** `date: …\r\n`, written once a second (an origin server with a clock sends one, RFC 9110). */
function currentDateLine(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateLine = `date: ${new Date(now).toUTCString()}\r\n`;
  }
  return dateLine;
}

/** The last answer written: the next is most often the same (a link's 302 within one second). */
let last = {
  status: 0,
  headers: '',
  body: '',
  close: false,
  head: false,
  date: '',
  text: '',
  encoding: 'latin1' as BufferEncoding,
};

/**
 * An answer's bytes as text. Answers repeat: every redirect to a link within one second is the
 * same text, so the last one is kept and written again (flat since its first write) instead of
 * being put together and flattened per request (ADR 0043 addendum).
 */
function answerText(
  status: number,
  headers: HeaderLines,
  body: string,
  close: boolean,
  head: boolean,
): { readonly text: string; readonly encoding: BufferEncoding } {
  const date = currentDateLine();
  if (
    last.status === status &&
    last.headers === headers &&
    last.body === body &&
    last.close === close &&
    last.head === head &&
    last.date === date
  ) {
    return last;
  }
  const bytes = Buffer.byteLength(body);
  const text = `HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\n${headers}${date}content-length: ${bytes}\r\n${
    close ? 'connection: close\r\n' : ''
  }\r\n${head ? '' : body}`;
  last = {
    status,
    headers,
    body,
    close,
    head,
    date,
    text,
    encoding: bytes === body.length ? 'latin1' : 'utf8',
  };
  return last;
}

/** The header line of a plain-text answer. */
export const TEXT_PLAIN: HeaderLines = 'content-type: text/plain; charset=utf-8\r\n';

class Connection implements ShortConnection {
  readonly remoteAddress: string | undefined;
  readonly #socket: Socket;
  readonly #handler: (request: ShortRequest) => void;
  #buffer = '';
  #headStarted = 0;
  /** Whether a request is being answered, and how (two fields, not an object a request). */
  #answering = false;
  #currentHead = false;
  #currentKeepAlive = false;
  #reading = false;
  #closing = false;

  constructor(socket: Socket, handler: (request: ShortRequest) => void) {
    this.#socket = socket;
    this.#handler = handler;
    this.remoteAddress = socket.remoteAddress;
    socket.setNoDelay(true);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (this.#buffer === '') this.#headStarted = Date.now();
      this.#buffer += chunk.toString('latin1');
      this.#read();
    });
    socket.on('error', () => socket.destroy());
  }

  get idle(): boolean {
    return !this.#answering;
  }

  /** Closes the connection once its current request (if any) is answered. */
  closeWhenIdle(): void {
    this.#closing = true;
    if (!this.#answering) this.#socket.end();
  }

  answer(status: number, headers: HeaderLines, body: string): void {
    if (!this.#answering) return;
    this.#answering = false;
    const close = !this.#currentKeepAlive || this.#closing;
    const { text, encoding } = answerText(status, headers, body, close, this.#currentHead);
    const socket = this.#socket;
    if (socket.destroyed) return;
    if (!socket.write(text, encoding)) {
      // A client that does not read its answers is not read from either.
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
    if (close) {
      // What the client sent after this request is not read: no visit it would never see answered.
      this.#closing = true;
      socket.end();
    } else if (!this.#reading) this.#read();
  }

  /** Reads the buffered requests one at a time: the next once the last is answered. */
  #read(): void {
    this.#reading = true;
    while (!this.#answering && !this.#closing && !this.#socket.destroyed) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end === -1) {
        if (this.#buffer.length > MAX_HEAD_BYTES) this.#refuse(431);
        else if (this.#buffer !== '' && Date.now() - this.#headStarted > HEAD_MS) this.#refuse(408);
        break;
      }
      if (end > MAX_HEAD_BYTES) {
        this.#refuse(431);
        break;
      }
      const head = readHead<ShortConnection>(this.#buffer.slice(0, end), this);
      this.#buffer = this.#buffer.slice(end + 4);
      this.#headStarted = Date.now();
      if ('refused' in head) {
        this.#refuse(head.refused, head.headers);
        break;
      }
      this.#answering = true;
      this.#currentHead = head.request.method === 'HEAD';
      this.#currentKeepAlive = head.keepAlive;
      this.#handler(head.request);
    }
    this.#reading = false;
    // A client sending requests faster than they are answered waits for them (bounded buffer).
    if (this.#buffer.length > MAX_HEAD_BYTES) this.#socket.pause();
    else if (this.#socket.isPaused() && this.#socket.writableNeedDrain === false) this.#socket.resume();
  }

  /** Answers a request that cannot be served and closes the connection: what follows is unreadable. */
  #refuse(status: number, headers = ''): void {
    this.#answering = true;
    this.#currentHead = false;
    this.#currentKeepAlive = false;
    this.#buffer = '';
    this.answer(status, `${headers}${TEXT_PLAIN}`, `${REASONS[status]}\n`);
  }
}

/** A node:net server speaking ShortRequest; `close` lets answered connections go and waits. */
export class ShortDomainHttp {
  readonly #server: Server;
  readonly #connections = new Set<Connection>();

  constructor(handler: (request: ShortRequest) => void) {
    this.#server = createServer((socket) => {
      const connection = new Connection(socket, handler);
      this.#connections.add(connection);
      socket.once('close', () => this.#connections.delete(connection));
    });
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const connection of this.#connections) connection.closeWhenIdle();
    await closed;
  }
}
