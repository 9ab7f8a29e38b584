import type net from 'node:net';
import { DeadlineSweep, deadlineExceeded, remainingMs } from '../deadline/index.ts';
import type { RpcRequest, RpcResponse, SerializedError } from '../protocol.ts';
import { BatchedWriter } from './batched-writer.ts';
import { FrameDecoder, FrameError, encodeFrame } from './frame-codec.ts';
import { FRAME_TYPE, readServerFrame } from './frame.ts';
import { IdTable } from './id-table.ts';
import { describeIssues } from './parse-options.ts';
import type { ConnectionState, RpcConnection } from './rpc-connection.ts';
import { StateListeners } from './state-listeners.ts';
import { failure, unavailable } from './transport-error.ts';

/** Request ids wrap here; a connection never has anywhere near 2^32 calls pending at once. */
const MAX_REQUEST_ID = 0xffff_ffff;

/**
 * One call waiting for its answer. A class rather than closures per call: the client's profile
 * showed the per-call closures, timer and promise plumbing as garbage-collector time.
 */
class PendingCall {
  readonly id: number;
  readonly request: RpcRequest;
  readonly signal: AbortSignal | undefined;
  /** Whether the request went out on the socket; one that did not is safe to send elsewhere. */
  sent = false;
  readonly #connection: TcpConnection;
  readonly #resolve: (response: RpcResponse) => void;
  readonly #reject: (reason: unknown) => void;
  #onAbort: (() => void) | undefined;

  constructor(
    connection: TcpConnection,
    id: number,
    request: RpcRequest,
    signal: AbortSignal | undefined,
    resolve: (response: RpcResponse) => void,
    reject: (reason: unknown) => void,
  ) {
    this.#connection = connection;
    this.id = id;
    this.request = request;
    this.signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal !== undefined) {
      this.#onAbort = () => {
        this.#settle();
        if (this.sent) connection.cancel(id);
        reject(signal.reason);
      };
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  resolve(response: RpcResponse): void {
    this.#settle();
    this.#resolve(response);
  }

  /** The deadline passed before the answer came: the server is told to stop if it has the call. */
  expire(): void {
    this.#settle();
    if (this.sent) this.#connection.cancel(this.id);
    this.#resolve(deadlineExceeded(this.request.service, this.request.method));
  }

  #settle(): void {
    if (this.#onAbort !== undefined) this.signal!.removeEventListener('abort', this.#onAbort);
    this.#connection.forget(this.id);
  }
}

/**
 * One open client connection: calls multiplexed by request id, each answered by the server's
 * response, its deadline, its caller's abort or the connection's end (docs/rpc-wire-format.md).
 */
export class TcpConnection implements RpcConnection {
  readonly #socket: net.Socket;
  readonly #target: string;
  readonly #maxFrameBytes: number;
  readonly #decoder: FrameDecoder;
  readonly #writer: BatchedWriter;
  /** Not a Map: see id-table.ts. */
  readonly #pending = new IdTable<PendingCall>();
  readonly #writeQueue: PendingCall[] = [];
  readonly #deadlines = new DeadlineSweep((now) => this.#expire(now));
  readonly #listeners = new StateListeners();
  readonly #closed: Promise<void>;
  #state: ConnectionState = 'open';
  #nextId = 0;
  /** Set when the server refused us or we broke the protocol: calls still pending fail with it. */
  #fatal: SerializedError | undefined;
  #lastError: Error | undefined;

  constructor(socket: net.Socket, target: string, maxFrameBytes: number) {
    this.#socket = socket;
    this.#target = target;
    this.#maxFrameBytes = maxFrameBytes;
    this.#decoder = new FrameDecoder(maxFrameBytes);
    this.#writer = new BatchedWriter(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => this.#flushWrites());
    socket.on('error', (error) => {
      this.#lastError = error;
    });
    this.#closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#failPending();
        this.#setState('closed');
        resolve();
      });
    });
  }

  get pending(): number {
    return this.#pending.size;
  }

  readonly enforcesDeadline = true;

  get state(): ConnectionState {
    return this.#state;
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    return this.#listeners.add(listener);
  }

  call(request: RpcRequest, signal?: AbortSignal): Promise<RpcResponse> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // This call never left: whatever killed the connection, no handler can have run it.
    if (this.#fatal !== undefined) return Promise.resolve({ ok: false, error: unsent(this.#fatal) });
    if (this.#state !== 'open')
      return Promise.resolve(unavailable(`connection to ${this.#target} is ${this.#state}`, true));
    const { deadline } = request;
    if (deadline !== undefined && remainingMs(deadline) <= 0)
      return Promise.resolve(deadlineExceeded(request.service, request.method));

    const id = this.#allocateId();
    return new Promise<RpcResponse>((resolve, reject) => {
      const call = new PendingCall(this, id, request, signal, resolve, reject);
      this.#pending.set(id, call);
      if (deadline !== undefined) this.#deadlines.watch(deadline);
      if (this.#writeQueue.length === 0 && !this.#socket.writableNeedDrain) this.#send(call);
      else this.#writeQueue.push(call);
    });
  }

  /**
   * Encodes and writes one request. Requests that find the socket full wait in #writeQueue
   * unencoded rather than as bytes in the socket's buffer, and one that expires or is cancelled
   * while waiting is never sent, so the server never sees it.
   */
  #send(call: PendingCall): void {
    // Settled while waiting for the socket (deadline, abort, close): never sent at all.
    if (this.#pending.get(call.id) !== call) return;
    const { request } = call;
    const remaining = request.deadline === undefined ? undefined : remainingMs(request.deadline);
    if (remaining !== undefined && remaining <= 0) {
      call.resolve(deadlineExceeded(request.service, request.method));
      return;
    }
    let body: Buffer;
    try {
      body = encodeFrame(
        {
          t: FRAME_TYPE.request,
          id: call.id,
          s: request.service,
          m: request.method,
          p: request.payload,
          md: request.metadata,
          to: remaining,
        },
        this.#maxFrameBytes,
      );
    } catch (error) {
      const reason = error instanceof FrameError ? 'is too large' : 'cannot be encoded';
      const message = `the request to ${request.service} ${request.method} ${reason}: ${(error as Error).message}`;
      call.resolve(failure('INVALID_ARGUMENT', message));
      return;
    }
    call.sent = true;
    this.#writer.write(body);
  }

  #flushWrites(): void {
    while (this.#writeQueue.length > 0 && !this.#socket.writableNeedDrain)
      this.#send(this.#writeQueue.shift() as PendingCall);
  }

  /** Called by the deadline sweep: answers every call whose deadline has passed. */
  #expire(now: number): number | undefined {
    let earliest: number | undefined;
    for (const call of this.#pending.values()) {
      const { deadline } = call.request;
      if (deadline === undefined) continue;
      if (deadline <= now) call.expire();
      else if (earliest === undefined || deadline < earliest) earliest = deadline;
    }
    return earliest;
  }

  async close(graceMs = 5_000): Promise<void> {
    if (this.#state === 'closed') return;
    this.#setState('draining');
    if (this.#pending.size === 0) {
      this.#socket.end();
    } else {
      const timer = setTimeout(() => this.#socket.destroy(), graceMs);
      this.#closed.finally(() => clearTimeout(timer));
    }
    await this.#closed;
  }

  /** A call is settled: it is no longer pending, and a draining connection may end. */
  forget(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#deadlines.stop();
    this.#endIfDrained();
  }

  #allocateId(): number {
    do {
      this.#nextId = this.#nextId === MAX_REQUEST_ID ? 1 : this.#nextId + 1;
    } while (this.#pending.has(this.#nextId));
    return this.#nextId;
  }

  /** Tells the server to stop working on a call we no longer wait for. */
  cancel(id: number): void {
    if (!this.#socket.writable) return;
    this.#writer.write(encodeFrame({ t: FRAME_TYPE.cancel, id }, this.#maxFrameBytes));
  }

  #onData(chunk: Buffer): void {
    let frames: unknown[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.#abandon(`the server at ${this.#target} broke the wire protocol: ${(error as Error).message}`);
      return;
    }
    for (const raw of frames) {
      const parsed = readServerFrame(raw);
      if (!parsed.success) {
        this.#abandon(
          `the server at ${this.#target} sent a malformed frame: ${describeIssues(parsed.error.issues)}`,
        );
        return;
      }
      const frame = parsed.data;
      if (frame.t === FRAME_TYPE.goaway) {
        this.#onGoaway(frame.e);
        continue;
      }
      // An answer for an id no longer pending is one we stopped waiting for (cancel, deadline).
      this.#pending
        .get(frame.id)
        ?.resolve(frame.ok ? { ok: true, result: frame.r } : { ok: false, error: frame.e });
    }
  }

  #onGoaway(error: SerializedError | undefined): void {
    if (error !== undefined) {
      this.#fatal = error;
      this.#setState('draining');
      this.#socket.destroy();
      return;
    }
    this.#setState('draining');
    this.#endIfDrained();
  }

  #abandon(message: string): void {
    this.#fatal = { code: 'UNAVAILABLE', message, details: { retrySafe: false } };
    this.#setState('draining');
    this.#socket.destroy();
  }

  #endIfDrained(): void {
    if (this.#state === 'draining' && this.#pending.size === 0 && !this.#socket.writableEnded)
      this.#socket.end();
  }

  #failPending(): void {
    this.#writeQueue.length = 0;
    const cause = this.#lastError === undefined ? 'closed' : `failed: ${this.#lastError.message}`;
    const message = `connection to ${this.#target} ${cause} before the call was answered`;
    for (const call of this.#pending.values()) {
      call.resolve(
        this.#fatal === undefined ? unavailable(message, !call.sent) : { ok: false, error: this.#fatal },
      );
    }
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state || this.#state === 'closed') return;
    this.#state = state;
    this.#listeners.emit(state);
  }
}

function unsent(error: SerializedError): SerializedError {
  return error.code === 'UNAVAILABLE' ? { ...error, details: { ...error.details, retrySafe: true } } : error;
}
