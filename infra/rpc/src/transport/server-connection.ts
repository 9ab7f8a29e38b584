import type net from 'node:net';
import { DeadlineSweep } from '../deadline/index.ts';
import type { RpcHandler, RpcResponse } from '../protocol.ts';
import { BatchedWriter } from './batched-writer.ts';
import { FrameDecoder, decodeFrameBody, encodeFrame } from './frame-codec.ts';
import { peekRequestId } from './frame-header.ts';
import { FRAME_TYPE, readClientFrame, type ClientFrame, type RequestFrame } from './frame.ts';
import { runHandler, type HandlerRun } from './handler-run.ts';
import { IdTable } from './id-table.ts';
import { describeIssues } from './parse-options.ts';
import { failure, unavailable } from './transport-error.ts';
import type { TransportLogger } from './transport-logger.ts';
import { withVerifiedCaller } from './verified-caller.ts';

/**
 * Calls started per turn of the event loop. A burst of requests read at once (a client's corked
 * batch) is started in groups, each group's answers written before the next group starts, so the
 * two processes overlap instead of passing whole batches back and forth (ADR 0040).
 */
export const CALLS_PER_TURN = 16;

/** How long a refused, misbehaving or departing peer gets to read our last frames, or to close first. */
export const LINGER_MS = 2_000;

/** What a connection needs of the server's options. */
export interface ServerConnectionConfig {
  handler: RpcHandler;
  maxFrameBytes: number;
  maxConcurrentCallsPerConnection: number;
  defaultTimeoutMs: number;
  logger: TransportLogger;
}

/**
 * One accepted connection of the TCP server: reads request and cancel frames, runs handlers under
 * their deadlines and the per-connection bound, answers, and says goaway when the server drains.
 */
export class ServerConnection {
  readonly #socket: net.Socket;
  readonly #peerService: string | undefined;
  readonly #config: ServerConnectionConfig;
  readonly #decoder: FrameDecoder;
  readonly #writer: BatchedWriter;
  /**
   * Requests read but not yet started (the connection is at its concurrency bound, or a burst is
   * being started a group per turn). They wait as bytes: decoded, a ~1 KB request is a tree of
   * objects that lives through a scavenge or two and gets promoted (ADR 0045).
   */
  readonly #queue: QueuedRequest[] = [];
  /** Calls not yet answered, by request id (not Maps: see id-table.ts). */
  readonly #calls = new IdTable<HandlerRun>();
  /** The deadline of each call not yet answered; one sweep timer enforces them all. */
  readonly #deadlines = new IdTable<number>();
  readonly #sweep = new DeadlineSweep((now) => this.#expire(now));
  #running = 0;
  /** Set while a setImmediate will start the rest of the queue (see #pump). */
  #resumeArmed = false;
  #writeBlocked = false;
  #goneAway = false;
  #closeArmed = false;
  #closed = false;
  #drained: (() => void) | undefined;

  constructor(socket: net.Socket, peerService: string | undefined, config: ServerConnectionConfig) {
    this.#socket = socket;
    this.#peerService = peerService;
    this.#config = config;
    this.#decoder = new FrameDecoder(config.maxFrameBytes);
    this.#writer = new BatchedWriter(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => {
      this.#writeBlocked = false;
      this.#pump();
    });
    socket.on('error', (error) => {
      this.#config.logger.warn({ err: error, remote: this.#remote }, 'RPC connection error');
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#queue.length = 0;
      for (const run of this.#calls.values()) run.abort(new Error('the caller closed the connection'));
      this.#calls.clear();
      this.#deadlines.clear();
      this.#sweep.stop();
      this.#drained?.();
    });
  }

  /** Handlers still running, answered or not. */
  get running(): number {
    return this.#running;
  }

  goaway(): void {
    if (this.#goneAway || this.#closed) return;
    this.#goneAway = true;
    this.#send({ t: FRAME_TYPE.goaway });
    this.#endIfIdle();
  }

  async drain(timeoutMs: number): Promise<void> {
    if (this.#closed) return;
    const closed = new Promise<void>((resolve) => {
      this.#drained = resolve;
    });
    this.goaway();
    const timer = setTimeout(() => {
      const message = `the server shut down before this call finished (drain timeout ${timeoutMs} ms)`;
      for (const queued of this.#queue.splice(0)) {
        this.#send(
          responseFrame(queued.id, unavailable('the server shut down before this call started', true)),
        );
      }
      // Each answer goes out; the last one leaves the connection idle, to be closed (#endIfIdle).
      for (const run of this.#calls.values()) run.abort(new Error(message), unavailable(message, false));
      this.#endIfIdle();
      setTimeout(() => this.#socket.destroy(), LINGER_MS).unref();
    }, timeoutMs);
    await closed;
    clearTimeout(timer);
  }

  destroy(reason: string): void {
    for (const run of this.#calls.values()) run.abort(new Error(reason));
    this.#socket.destroy();
  }

  get #remote(): string {
    return `${this.#socket.remoteAddress}:${this.#socket.remotePort}`;
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    let bodies: Buffer[];
    try {
      bodies = this.#decoder.pushBodies(chunk);
    } catch (error) {
      this.#protocolViolation((error as Error).message);
      return;
    }
    for (const body of bodies) {
      let id = peekRequestId(body);
      let frame: RequestFrame | undefined;
      if (id === -1) {
        // Not laid out as our clients write a request (a cancel, another client's request): read now.
        const read = this.#read(body);
        if (read === undefined) return;
        if (read.t === FRAME_TYPE.cancel) {
          this.#cancel(read.id);
          continue;
        }
        frame = read;
        id = read.id;
      }
      if (this.#calls.has(id) || this.#queue.some((queued) => queued.id === id)) {
        this.#protocolViolation(`request id ${id} is already in flight on this connection`);
        return;
      } else if (this.#goneAway) {
        this.#send(
          responseFrame(id, unavailable('the server is shutting down; call another instance', true)),
        );
      } else {
        this.#queue.push({ id, body, frame });
      }
    }
    this.#pump();
  }

  /** A frame's body decoded and checked; a bad one closes the connection and answers undefined. */
  #read(body: Buffer): ClientFrame | undefined {
    let parsed: ReturnType<typeof readClientFrame>;
    try {
      parsed = readClientFrame(decodeFrameBody(body));
    } catch (error) {
      this.#protocolViolation((error as Error).message);
      return undefined;
    }
    if (!parsed.success) {
      this.#protocolViolation(`malformed frame: ${describeIssues(parsed.error.issues)}`);
      return undefined;
    }
    return parsed.data;
  }

  #cancel(id: number): void {
    const queued = this.#queue.findIndex((request) => request.id === id);
    if (queued !== -1) this.#queue.splice(queued, 1);
    const run = this.#calls.get(id);
    if (run === undefined) return;
    // The caller has stopped waiting, so the answer is dropped rather than sent.
    this.#forget(id);
    run.abort(new Error('the caller cancelled the call'));
  }

  /** Starts queued calls while there is room, and reads from the socket only while there is. */
  #pump(): void {
    let started = 0;
    while (
      !this.#resumeArmed &&
      this.#queue.length > 0 &&
      this.#running < this.#config.maxConcurrentCallsPerConnection &&
      !this.#writeBlocked
    ) {
      if (started === CALLS_PER_TURN) {
        this.#resumeLater();
        break;
      }
      if (!this.#start(this.#queue.shift() as QueuedRequest)) return;
      started += 1;
    }
    const full = this.#running >= this.#config.maxConcurrentCallsPerConnection || this.#writeBlocked;
    if (full && !this.#socket.isPaused()) this.#socket.pause();
    else if (!full && this.#socket.isPaused()) this.#socket.resume();
  }

  /**
   * The rest of the queue starts on a later turn of the event loop, after this turn's answers have
   * left in their own write: the client works on those while this process runs the next ones.
   */
  #resumeLater(): void {
    this.#resumeArmed = true;
    setImmediate(() => {
      this.#resumeArmed = false;
      if (!this.#closed) this.#pump();
    });
  }

  /** Starts a queued call; false when its frame turned out bad and the connection is closed. */
  #start(queued: QueuedRequest): boolean {
    const frame = queued.frame ?? this.#read(queued.body);
    if (frame === undefined) return false;
    if (frame.t !== FRAME_TYPE.request || frame.id !== queued.id) {
      this.#protocolViolation(
        `request id ${queued.id}: the frame's body says otherwise than its first bytes`,
      );
      return false;
    }
    const deadline = Date.now() + (frame.to ?? this.#config.defaultTimeoutMs);
    const run = runHandler(
      this.#config.handler,
      {
        service: frame.s,
        method: frame.m,
        payload: frame.p,
        metadata: withVerifiedCaller(frame.md ?? undefined, this.#peerService),
        deadline,
      },
      deadline,
      false,
    );
    this.#calls.set(frame.id, run);
    this.#deadlines.set(frame.id, deadline);
    this.#sweep.watch(deadline);
    this.#running += 1;
    void run.response.then((response) => {
      if (this.#calls.get(frame.id) !== run) return;
      this.#forget(frame.id);
      this.#send(responseFrame(frame.id, response));
      this.#endIfIdle();
    });
    void run.finished.then(() => {
      this.#running -= 1;
      this.#pump();
      this.#endIfIdle();
    });
    return true;
  }

  /** A call is answered or cancelled: its deadline no longer needs watching. */
  #forget(id: number): void {
    this.#calls.delete(id);
    this.#deadlines.delete(id);
    if (this.#deadlines.size === 0) this.#sweep.stop();
  }

  /** Called by the sweep: every call past its deadline is answered DEADLINE_EXCEEDED (#start sends it). */
  #expire(now: number): number | undefined {
    let earliest: number | undefined;
    for (const [id, deadline] of this.#deadlines.entries()) {
      if (deadline <= now) this.#calls.get(id)?.expire();
      else if (earliest === undefined || deadline < earliest) earliest = deadline;
    }
    return earliest;
  }

  #send(frame: OutgoingFrame): void {
    if (this.#closed || this.#socket.writableEnded) return;
    let bytes: Buffer;
    try {
      bytes = encodeFrame(frame, this.#config.maxFrameBytes);
    } catch (error) {
      if (frame.t !== FRAME_TYPE.response || frame.id === undefined) throw error;
      const message = `the response could not be sent: ${(error as Error).message}`;
      this.#config.logger.warn({ remote: this.#remote, id: frame.id }, message);
      bytes = encodeFrame(responseFrame(frame.id, failure('INTERNAL', message)), this.#config.maxFrameBytes);
    }
    if (!this.#writer.write(bytes)) this.#writeBlocked = true;
  }

  /**
   * Once goaway is said and nothing is pending, the client closes first (it does so as soon as
   * nothing it sent is pending; the server's socket then closes too). Closing our side first would
   * race a request the client sent before it read goaway: that request would meet a bare close,
   * which the client cannot tell from a call that may have run. Such a request is answered
   * UNAVAILABLE, retry-safe, on arrival (#onData); a client that never closes is closed after LINGER_MS.
   */
  #endIfIdle(): void {
    if (!this.#goneAway || this.#calls.size > 0 || this.#queue.length > 0 || this.#closeArmed) return;
    this.#closeArmed = true;
    setTimeout(() => {
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), LINGER_MS).unref();
    }, LINGER_MS).unref();
  }

  #protocolViolation(message: string): void {
    this.#config.logger.warn({ remote: this.#remote }, `RPC connection closed: ${message}`);
    this.#goneAway = true;
    this.#queue.length = 0;
    for (const run of this.#calls.values()) run.abort(new Error(`connection closed: ${message}`));
    this.#calls.clear();
    this.#deadlines.clear();
    this.#sweep.stop();
    this.#send({ t: FRAME_TYPE.goaway, e: { code: 'INVALID_ARGUMENT', message } });
    this.#closed = true;
    this.#socket.end();
    this.#socket.resume();
    setTimeout(() => this.#socket.destroy(), LINGER_MS).unref();
  }
}

/** A request read but not started: its body, and its decoded frame when it had to be read on arrival. */
interface QueuedRequest {
  readonly id: number;
  readonly body: Buffer;
  readonly frame: RequestFrame | undefined;
}

/** A frame on its way out; the schemas in frame.ts describe the same shapes for the receiving side. */
type OutgoingFrame = { t: number; id?: number } & Record<string, unknown>;

function responseFrame(id: number, response: RpcResponse): OutgoingFrame {
  return response.ok
    ? { t: FRAME_TYPE.response, id, ok: true, r: response.result }
    : { t: FRAME_TYPE.response, id, ok: false, e: response.error };
}
