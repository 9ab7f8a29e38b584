import { EventEmitter } from 'node:events';
import {
  STATUS_CODES,
  type IncomingHttpHeaders,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { Socket } from 'node:net';
import { currentDateLine, headerError, HeadWriter } from './front-response-head.ts';
import type { GatewayRequest, GatewayResponse } from './http-surface.ts';
import { addHeaderLine } from './node-http-internals.ts';

/*
 * The front lane's request and answer (front-lane.ts, ADR 0075): what the pipeline uses of
 * node:http's IncomingMessage and ServerResponse (http-surface.ts), for a request without a body,
 * written as node:http writes it (the same status line, Date, Connection and Keep-Alive headers,
 * chunked framing without a Content-Length, no body on HEAD, 204 and 304) but with no stream
 * machinery: the head and the body's bytes go to the socket in one write where they can.
 */

/** The largest body `end()` copies behind its head to write both at once; larger ones are written as they are. */
const ONE_WRITE_MAX = 16_384;

/** What `_addHeaderLine` reads of its request: node:http's server default (`joinDuplicateHeaders` unset). */
const serverDefaults = { joinDuplicateHeaders: false };

/** The headers as node:http merges repeated ones (joined, first kept, or a list for Set-Cookie). */
export function mergedHeaders(rawHeaders: readonly string[]): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (let index = 0; index < rawHeaders.length; index += 2)
    addHeaderLine.call(serverDefaults, rawHeaders[index]!, rawHeaders[index + 1]!, headers);
  return headers;
}

export class FrontRequest implements GatewayRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly socket: Socket;
  readonly complete = true;

  constructor(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    rawHeaders: string[],
    socket: Socket,
  ) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.rawHeaders = rawHeaders;
    this.socket = socket;
  }

  // A request on the lane has no body (Content-Length: 0 at most).
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {}
}

/** What the connection does for an answer: tell it the answer ended or broke off. */
export interface AnswerOwner {
  readonly socket: Socket;
  /** The gateway is stopping: this connection closes after its answer, which says so. */
  readonly closing: boolean;
  /** `Connection: keep-alive` and node:http's `Keep-Alive: timeout=<s>` for this server's timeout. */
  readonly keepAliveLines: string;
  /** The answer was handed to the socket whole. */
  answered(res: FrontResponse): void;
}

export class FrontResponse extends EventEmitter implements GatewayResponse {
  statusCode = 200;
  headersSent = false;
  writableFinished = false;
  readonly #owner: AnswerOwner;
  /** False for HEAD, and once the status says the answer has none (1xx, 204, 304). */
  #hasBody: boolean;
  readonly #http10: boolean;
  /** The connection stays open after this answer; the head may turn it off. */
  keepAlive: boolean;
  #chunked = false;
  /** The head, written with the body's first bytes. */
  #head = '';
  #ended = false;
  #closed = false;
  #extra: Record<string, number | string | readonly string[]> | undefined = undefined;
  #onSocketDrain: (() => void) | undefined = undefined;

  constructor(owner: AnswerOwner, method: string, http10: boolean, keepAlive: boolean) {
    super();
    this.#owner = owner;
    this.#hasBody = method !== 'HEAD';
    this.#http10 = http10;
    this.keepAlive = keepAlive;
  }

  get destroyed(): boolean {
    return this.#owner.socket.destroyed;
  }

  get writableNeedDrain(): boolean {
    return this.#owner.socket.writableNeedDrain;
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    if (this.headersSent)
      throw headerError('ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    (this.#extra ??= {})[name.toLowerCase()] = value;
    return this;
  }

  writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    if (this.headersSent)
      throw headerError('ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
    this.statusCode = statusCode;
    if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200))
      this.#hasBody = false;
    const head = new HeadWriter(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'unknown'}\r\n`);
    if (Array.isArray(headers)) {
      for (let index = 0; index < headers.length; index += 2)
        head.add(headers[index] as string, headers[index + 1] as string);
    } else if (headers !== undefined) {
      for (const name in headers) head.add(name, headers[name]);
    }
    const extra = this.#extra;
    if (extra !== undefined)
      for (const name in extra) if (!head.has(name, headers)) head.add(name, extra[name]);
    this.#head = this.#finishHead(head);
    this.headersSent = true;
    return this;
  }

  /** What node:http's `_storeHeader` adds: Date, the connection's fate, and the body's framing. */
  #finishHead(head: HeadWriter): string {
    let text = head.text;
    if (!head.date) text += currentDateLine();
    if (head.close || this.#owner.closing) this.keepAlive = false;
    const delimitedByClose = this.#hasBody && head.contentLength === false && !head.chunked && this.#http10;
    if (delimitedByClose) this.keepAlive = false;
    if (!head.connection) text += this.keepAlive ? this.#owner.keepAliveLines : 'Connection: close\r\n';
    if (this.#hasBody && head.contentLength === false && !delimitedByClose) {
      if (!head.chunked) text += 'Transfer-Encoding: chunked\r\n';
      this.#chunked = true;
    }
    return `${text}\r\n`;
  }

  write(chunk: Buffer | string): boolean {
    if (this.#ended) throw headerError('ERR_STREAM_WRITE_AFTER_END', 'write after end');
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (!this.#hasBody || chunk.length === 0) return true;
    const socket = this.#owner.socket;
    // Gone: the connection's close tells the answer so; no 'drain' will come.
    if (socket.destroyed) return false;
    socket.cork();
    if (this.#head !== '') {
      socket.write(this.#head, 'latin1');
      this.#head = '';
    }
    if (this.#chunked) {
      socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      socket.write('\r\n', 'latin1');
    } else socket.write(chunk);
    socket.uncork();
    if (!socket.writableNeedDrain) return true;
    socket.once('drain', (this.#onSocketDrain ??= () => this.emit('drain')));
    return false;
  }

  end(chunk?: Buffer | string): this {
    if (this.#ended) return this;
    if (!this.headersSent) {
      if (this.#extra?.['content-length'] === undefined && this.#hasBody)
        this.setHeader('content-length', chunk === undefined ? 0 : Buffer.byteLength(chunk));
      this.writeHead(this.statusCode);
    }
    this.#ended = true;
    const socket = this.#owner.socket;
    if (socket.destroyed) return this;
    const body = this.#hasBody && chunk !== undefined && chunk.length > 0 ? chunk : undefined;
    const chunked = this.#chunked;
    const head = this.#head;
    if (
      head !== '' &&
      body !== undefined &&
      !chunked &&
      typeof body !== 'string' &&
      body.length <= ONE_WRITE_MAX
    ) {
      // The head and a small body copied into one buffer and written once: the common proxied
      // answer. The two writes under a cork cost more (node's buffered writes, a writev of a
      // string and a buffer) than the copy (bench/README.md, "Issue 21, gw8").
      this.#head = '';
      const bytes = Buffer.allocUnsafe(head.length + body.length);
      bytes.write(head, 0, 'latin1');
      body.copy(bytes, head.length);
      socket.write(bytes, this.#written);
      return this;
    }
    socket.cork();
    if (this.#head !== '') {
      // The head alone is the whole answer: its write is the one that says so.
      if (body === undefined && !chunked) socket.write(this.#head, 'latin1', this.#written);
      else socket.write(this.#head, 'latin1');
      this.#head = '';
    } else if (body === undefined && !chunked) socket.write('', 'latin1', this.#written);
    if (body !== undefined) {
      if (chunked) {
        socket.write(`${Buffer.byteLength(body).toString(16)}\r\n`, 'latin1');
        socket.write(body);
        socket.write('\r\n0\r\n\r\n', 'latin1', this.#written);
      } else socket.write(body, this.#written);
    } else if (chunked) socket.write('0\r\n\r\n', 'latin1', this.#written);
    socket.uncork();
    return this;
  }

  readonly #written = (error?: Error | null): void => {
    if (error != null || this.#closed) return;
    this.writableFinished = true;
    this.emit('finish');
    this.#owner.answered(this);
  };

  destroy(): this {
    this.#owner.socket.destroy();
    return this;
  }

  /** 'close', once: after 'finish', or when the connection ended first. */
  closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
  }
}
