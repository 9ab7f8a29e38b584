import type { Socket } from 'node:net';
import {
  ChunkedDecoder,
  headEnd,
  headersOverflow,
  parseResponseHead,
  type ResponseHead,
} from './upstream-response-parser.ts';
import { headTimeoutError, type UpstreamCall } from './upstream-call.ts';
import { upstreamError } from './upstream-error.ts';

/** What a connection needs of its pool: the coarse clock, the timeouts and where it goes when done. */
export interface ConnectionOwner {
  readonly now: number;
  readonly headersTimeout: number;
  readonly maxHeaderSize: number;
  released(connection: UpstreamConnection, reusable: boolean, idleMs: number): void;
  closed(connection: UpstreamConnection): void;
}

function socketError(message: string): Error {
  return upstreamError('UND_ERR_SOCKET', message);
}

/**
 * One kept-alive socket to an upstream, carrying one request at a time (no pipelining): writes the
 * request, reads the response strictly (upstream-response-parser.ts), hands it to the call's
 * handler with the handler's backpressure, and goes back to its pool when the response ended on a
 * boundary the upstream left open. Timeouts are deadlines on the pool's coarse clock, which the
 * pool's sweep checks (`expire`); a deadline is never early, at most one sweep late.
 */
export class UpstreamConnection {
  readonly socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #tick: number;
  call: UpstreamCall | undefined = undefined;
  connected = false;
  /** On the pool's clock: of the connect, the head, the body's next bytes or (idle) the socket's close; Infinity when nothing is timed (a paused body). */
  deadline = Infinity;
  #head: ResponseHead | undefined = undefined;
  /** Head bytes until the head is whole; then body bytes held while the handler is paused. */
  #held: Buffer | undefined = undefined;
  #left = 0;
  #chunked: ChunkedDecoder | undefined = undefined;
  #paused = false;
  /** The upstream ended its side while the handler had the body paused: acted on at resume. */
  #eof = false;

  constructor(socket: Socket, owner: ConnectionOwner, tick: number, connectTimeout: number) {
    this.socket = socket;
    this.#owner = owner;
    this.#tick = tick;
    this.deadline = owner.now + connectTimeout + tick;
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('end', () => this.#ended());
    socket.on('error', (error: Error) => this.#fail(error));
    socket.on('close', () => this.#closed());
  }

  connectedNow(): void {
    this.connected = true;
    if (this.call === undefined) return;
    this.deadline = this.#head === undefined ? this.#headDeadline(this.call) : this.#bodyDeadline(this.call);
  }

  /** Writes the call's request; the response comes back through the handler. */
  start(call: UpstreamCall): void {
    this.call = call;
    call.connection = this;
    // Not yet connected: the connect deadline still runs, unless the request's head timeout is sooner.
    this.deadline = this.connected ? this.#headDeadline(call) : Math.min(this.deadline, call.headDeadline);
    const socket = this.socket;
    socket.ref();
    const body = call.request.body;
    if (body === null || body.length === 0) {
      socket.write(call.head, 'latin1');
      return;
    }
    socket.cork();
    socket.write(call.head, 'latin1');
    socket.write(body);
    socket.uncork();
  }

  /** Cuts the connection without a word to its call (aborted by its handler). */
  abandon(): void {
    this.call = undefined;
    this.socket.destroy();
  }

  /** Called by the pool's sweep once the deadline passed. */
  expire(): void {
    const call = this.call;
    this.deadline = Infinity;
    if (call === undefined) {
      this.socket.destroy();
      return;
    }
    if (this.#head === undefined && this.#owner.now >= call.headDeadline) this.#fail(headTimeoutError(call));
    else if (!this.connected)
      this.#fail(upstreamError('UND_ERR_CONNECT_TIMEOUT', 'connect timeout to the upstream'));
    else if (this.#head === undefined)
      this.#fail(upstreamError('UND_ERR_HEADERS_TIMEOUT', 'no response head in time'));
    else this.#fail(upstreamError('UND_ERR_BODY_TIMEOUT', 'the response body stalled'));
  }

  /** The request's own head deadline, or the pool's backstop from now if that comes first. */
  #headDeadline(call: UpstreamCall): number {
    return Math.min(call.headDeadline, this.#owner.now + this.#owner.headersTimeout + this.#tick);
  }

  #bodyDeadline(call: UpstreamCall): number {
    const ms = call.request.bodyTimeout;
    return ms > 0 && !this.#paused ? this.#owner.now + ms + this.#tick : Infinity;
  }

  #read(input: Buffer): void {
    const call = this.call;
    if (call === undefined) {
      // Bytes nobody asked for: whatever follows on this socket cannot be trusted.
      this.socket.destroy();
      return;
    }
    if (this.#paused) {
      this.#held = this.#held === undefined ? input : Buffer.concat([this.#held, input]);
      return;
    }
    try {
      let at = 0;
      while (this.#head === undefined) {
        const bytes = this.#held === undefined ? input.subarray(at) : Buffer.concat([this.#held, input]);
        this.#held = undefined;
        const end = headEnd(bytes);
        // Whole or not yet, a head is held to the same size.
        if ((end === -1 ? bytes.length : end) > this.#owner.maxHeaderSize) throw headersOverflow('head');
        if (end === -1) {
          this.#held = bytes;
          return;
        }
        const head = parseResponseHead(bytes.toString('latin1', 0, end - 4), call.request.method === 'HEAD');
        input = bytes;
        at = end;
        if (head.statusCode === 101) throw socketError('bad upgrade');
        // An interim answer (103 Early Hints, an unasked-for 100) is this hop's: the final one follows.
        if (head.statusCode < 200) continue;
        this.#head = head;
        this.#left = head.length;
        if (head.length === -1) this.#chunked = new ChunkedDecoder(this.#owner.maxHeaderSize);
        if (!call.handler.onHeaders(head.statusCode, head.rawHeaders, () => this.#resume(call)))
          this.#paused = true;
        if (this.call !== call) return;
        this.deadline = this.#bodyDeadline(call);
      }
      this.#body(call, input, at);
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  /** Hands the body in `input` from `at` to the handler, until it ends, pauses or runs out. */
  #body(call: UpstreamCall, input: Buffer, at: number): void {
    if (this.#paused) {
      if (at < input.length) this.#held = input.subarray(at);
      this.socket.pause();
      return;
    }
    const head = this.#head!;
    if (head.length !== -1) {
      if (this.#left !== 0 && at < input.length) {
        const n = this.#left === -2 ? input.length - at : Math.min(this.#left, input.length - at);
        if (this.#left !== -2) this.#left -= n;
        const more = call.handler.onData(
          at === 0 && n === input.length ? input : input.subarray(at, at + n),
          this.#left === 0,
        );
        at += n;
        if (this.call !== call) return;
        this.deadline = this.#bodyDeadline(call);
        if (!more) return this.#pause(input, at);
      }
      if (this.#left === 0) this.#complete(call, input, at);
      return;
    }
    const decoder = this.#chunked!;
    while (!decoder.done && at < input.length) {
      at = decoder.next(input, at);
      const data = decoder.data;
      if (data === undefined || data.length === 0) continue;
      const more = call.handler.onData(data, false);
      if (this.call !== call) return;
      this.deadline = this.#bodyDeadline(call);
      if (!more) return this.#pause(input, at);
    }
    if (decoder.done) this.#complete(call, input, at);
  }

  #pause(input: Buffer, at: number): void {
    this.#paused = true;
    this.deadline = Infinity;
    if (at < input.length) this.#held = input.subarray(at);
    this.socket.pause();
  }

  #resume(call: UpstreamCall): void {
    if (this.call !== call || !this.#paused) return;
    this.#paused = false;
    this.deadline = this.#bodyDeadline(call);
    const held = this.#held;
    this.#held = undefined;
    if (held !== undefined) {
      try {
        this.#body(call, held, 0);
      } catch (error) {
        this.#fail(error as Error);
        return;
      }
    } else if (this.#left === 0) {
      // A bodiless answer whose onHeaders asked for a pause: it is complete all the same.
      this.#complete(call, Buffer.alloc(0), 0);
      return;
    }
    if (this.call !== call || this.#paused) return;
    if (this.#eof) this.#atEnd();
    else this.socket.resume();
  }

  #complete(call: UpstreamCall, input: Buffer, at: number): void {
    const head = this.#head!;
    this.#head = undefined;
    this.#chunked = undefined;
    this.#held = undefined;
    this.call = undefined;
    this.deadline = Infinity;
    // Bytes past the answer, or a request not yet all written (the upstream answered early): the
    // stream's boundaries are no longer known, so the socket goes.
    const hint = head.keepAliveMs;
    const reusable =
      head.keepAlive &&
      at === input.length &&
      this.socket.writableLength === 0 &&
      !this.socket.destroyed &&
      (hint === -1 || hint > 2000);
    call.settle(undefined);
    this.#owner.released(this, reusable, hint === -1 ? Infinity : hint - 2000);
  }

  #ended(): void {
    this.#eof = true;
    // node may emit 'end' after a 'data' whose bytes are still held for a paused handler.
    if (!this.#paused) this.#atEnd();
  }

  #atEnd(): void {
    const call = this.call;
    if (call !== undefined && this.#head !== undefined && this.#head.length === -2 && !this.#paused) {
      this.#complete(call, Buffer.alloc(0), 0);
    } else if (call !== undefined) {
      this.#fail(socketError('other side closed'));
    }
    this.socket.destroy();
  }

  #fail(error: Error): void {
    const call = this.call;
    this.call = undefined;
    this.deadline = Infinity;
    this.socket.destroy();
    call?.settle(error);
  }

  #closed(): void {
    this.deadline = Infinity;
    const call = this.call;
    this.call = undefined;
    this.#owner.closed(this);
    call?.settle(socketError('closed'));
  }
}
