import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readHead, type HeaderFields, type ShortRequestHead } from './short-domain-request-head.ts';

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
/**
 * The two timeouts, kept as deadlines on the server's clock (`performance.now()` as of its last
 * sweep), as the gateway's front lane keeps them (ADR 0078): a socket timeout was refreshed by node
 * on every read and write (~0.18 µs a request, bench/README.md "redir5"), and a deadline is one
 * addition. A connection that reads and writes nothing for `idleMs` is closed; a head not complete
 * `headMs` after its first byte is refused 408 (slow-header attacks); each at most `sweepMs` late.
 */
export interface ShortDomainTimeouts {
  readonly idleMs: number;
  readonly headMs: number;
  readonly sweepMs: number;
}
const TIMEOUTS: ShortDomainTimeouts = { idleMs: 65_000, headMs: 60_000, sweepMs: 1_000 };
type SweepClock = { now: number };

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
  readonly #clock: SweepClock;
  readonly #timeouts: ShortDomainTimeouts;
  #buffer = '';
  /** When the connection is closed for reading and writing nothing; moved on by each. */
  #idleDeadline: number;
  /** When the buffered head must be complete (Infinity with nothing buffered). */
  #headDeadline = Infinity;
  /** The last request's header fields, for the next with the same lines (see readHead). */
  #fields: HeaderFields | undefined;
  /** Whether a request is being answered, and how (two fields, not an object a request). */
  #answering = false;
  #currentHead = false;
  #currentKeepAlive = false;
  #reading = false;
  #closing = false;

  constructor(
    socket: Socket,
    handler: (request: ShortRequest) => void,
    clock: SweepClock,
    timeouts: ShortDomainTimeouts,
  ) {
    this.#socket = socket;
    this.#handler = handler;
    this.#clock = clock;
    this.#timeouts = timeouts;
    this.#idleDeadline = clock.now + timeouts.idleMs;
    this.remoteAddress = socket.remoteAddress;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#idleDeadline = this.#clock.now + this.#timeouts.idleMs;
      if (this.#buffer === '') this.#headDeadline = this.#clock.now + this.#timeouts.headMs;
      this.#buffer += chunk.toString('latin1');
      this.#read();
    });
    socket.on('error', () => socket.destroy());
  }

  /** The sweep's check: closes a connection silent too long, refuses a head too slow to come. */
  sweep(now: number): void {
    if (now > this.#idleDeadline) this.#socket.destroy();
    else if (!this.#answering && !this.#closing && now > this.#headDeadline) this.#refuse(408);
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
    this.#idleDeadline = this.#clock.now + this.#timeouts.idleMs;
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
        break;
      }
      if (end > MAX_HEAD_BYTES) {
        this.#refuse(431);
        break;
      }
      const head = readHead<ShortConnection>(this.#buffer.slice(0, end), this, this.#fields);
      this.#buffer = this.#buffer.slice(end + 4);
      this.#headDeadline = this.#buffer === '' ? Infinity : this.#clock.now + this.#timeouts.headMs;
      if ('refused' in head) {
        this.#refuse(head.refused, head.headers);
        break;
      }
      this.#fields = head.fields;
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
  readonly #clock: SweepClock = { now: performance.now() };
  readonly #timeouts: ShortDomainTimeouts;
  #sweep: NodeJS.Timeout | undefined;

  constructor(handler: (request: ShortRequest) => void, timeouts: ShortDomainTimeouts = TIMEOUTS) {
    this.#timeouts = timeouts;
    this.#server = createServer((socket) => {
      const connection = new Connection(socket, handler, this.#clock, this.#timeouts);
      this.#connections.add(connection);
      socket.once('close', () => this.#connections.delete(connection));
    });
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#clock.now = performance.now();
    // Unreferenced: the sweep alone does not keep a process alive; close() stops it.
    this.#sweep = setInterval(() => {
      const now = performance.now();
      this.#clock.now = now;
      for (const connection of this.#connections) connection.sweep(now);
    }, this.#timeouts.sweepMs).unref();
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.#server.listening) {
      const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      for (const connection of this.#connections) connection.closeWhenIdle();
      // The sweep runs on until the last connection is gone: it is what closes one left silent.
      await closed;
    }
    clearInterval(this.#sweep);
  }
}
