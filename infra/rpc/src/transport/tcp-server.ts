import net from 'node:net';
import tls from 'node:tls';
import { type ErrorCode, z } from '@strata/shared-kernel';
import type { RpcHandler, RpcResponse } from '../protocol.ts';
import { certificateServiceName, serverTlsSchema } from '../security/index.ts';
import { BatchedWriter } from './batched-writer.ts';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, encodeFrame } from './frame-codec.ts';
import { FRAME_TYPE, clientFrameSchema, type RequestFrame } from './frame.ts';
import { runHandler, type HandlerRun } from './handler-run.ts';
import { describeIssues, parseOptions } from './parse-options.ts';
import type { RpcListener } from './rpc-connection.ts';
import { failure, unavailable } from './transport-error.ts';
import { silentLogger, transportLoggerSchema } from './transport-logger.ts';
import { withVerifiedCaller } from './verified-caller.ts';

const tcpServerOptionsSchema = z.object({
  handler: z.custom<RpcHandler>((value) => typeof value === 'function', 'expected the RpcHandler function'),
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port; read it back from `address`. */
  port: z.number().int().min(0).max(65_535).default(0),
  /** Mutual TLS with an allow-list, or `false` for plaintext, which must be asked for by name. */
  tls: z.union([z.literal(false), serverTlsSchema]),
  maxFrameBytes: z.number().int().positive().default(DEFAULT_MAX_FRAME_BYTES),
  /**
   * Handlers running at once per connection. Past it the server stops reading that socket, so a
   * fast client fills TCP buffers and feels backpressure instead of growing this process's memory.
   */
  maxConcurrentCallsPerConnection: z.number().int().positive().default(256),
  /** Deadline for requests that carry none. */
  defaultTimeoutMs: z.number().int().positive().default(30_000),
  /** How long drain() waits for in-flight calls when not told otherwise. */
  drainTimeoutMs: z.number().int().nonnegative().default(10_000),
  logger: transportLoggerSchema.default(silentLogger),
});

export type TcpServerOptions = z.input<typeof tcpServerOptionsSchema>;
type TcpServerConfig = z.output<typeof tcpServerOptionsSchema>;

/** How long a refused or misbehaving peer gets to read our goaway before its socket is destroyed. */
const LINGER_MS = 2_000;

/**
 * Serves an RpcHandler over TCP (optionally mutual TLS) with the length-prefixed msgpack protocol
 * of docs/rpc-wire-format.md.
 */
export async function listenTcp(options: TcpServerOptions): Promise<RpcListener> {
  const config = parseOptions(tcpServerOptionsSchema, options, 'TCP server options');
  const connections = new Set<ServerConnection>();
  let draining = false;

  const accept = (socket: net.Socket, peerService: string | undefined): void => {
    const connection = new ServerConnection(socket, peerService, config);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
    if (draining) connection.goaway();
  };

  const server =
    config.tls === false ? net.createServer() : createTlsServer(config, config.tls.allowedCallers, accept);
  if (config.tls === false) server.on('connection', (socket: net.Socket) => accept(socket, undefined));
  server.on('error', (error) => config.logger.warn({ err: error }, 'RPC server socket error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  const address = { host: bound.address, port: bound.port };
  const stopped = new Promise<void>((resolve) => server.once('close', () => resolve()));
  const stopAccepting = (): void => {
    if (server.listening) server.close();
  };

  return {
    address,
    get connections() {
      return connections.size;
    },
    get inFlight() {
      let total = 0;
      for (const connection of connections) total += connection.running;
      return total;
    },
    async drain(timeoutMs = config.drainTimeoutMs) {
      draining = true;
      stopAccepting();
      await Promise.all([...connections].map((connection) => connection.drain(timeoutMs)));
      await stopped;
    },
    async close() {
      draining = true;
      stopAccepting();
      for (const connection of connections) connection.destroy('server closed');
      await stopped;
    },
  };
}

function createTlsServer(
  config: TcpServerConfig,
  allowedCallers: string[],
  accept: (socket: net.Socket, peerService: string | undefined) => void,
): tls.Server {
  const material = config.tls === false ? undefined : config.tls;
  const server = tls.createServer({
    ca: material?.ca,
    cert: material?.cert,
    key: material?.key,
    requestCert: true,
    // The certificate is checked below instead of inside the handshake, so a refused caller is
    // told why (a TLS 1.3 handshake refusal reaches the client as a bare close). No frame is read
    // from a connection before that check passes.
    rejectUnauthorized: false,
    minVersion: 'TLSv1.3',
  });
  const allowed = new Set(allowedCallers);
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    const certificate = socket.getPeerCertificate();
    if (Object.keys(certificate).length === 0) {
      refuse(
        socket,
        'UNAUTHENTICATED',
        'no client certificate was presented; this server requires mutual TLS',
        config,
      );
      return;
    }
    if (!socket.authorized) {
      const why = String(socket.authorizationError);
      refuse(
        socket,
        'UNAUTHENTICATED',
        `the client certificate is not trusted by this server's CA (${why})`,
        config,
      );
      return;
    }
    const peerService = certificateServiceName(certificate);
    if (peerService === undefined) {
      refuse(socket, 'UNAUTHENTICATED', 'the client certificate names no service (no CN or DNS SAN)', config);
      return;
    }
    if (!allowed.has(peerService)) {
      refuse(
        socket,
        'PERMISSION_DENIED',
        `service '${peerService}' is not on this server's allow-list`,
        config,
      );
      return;
    }
    accept(socket, peerService);
  });
  server.on('tlsClientError', (error, socket) => {
    config.logger.warn(
      { err: error, remote: `${socket.remoteAddress}:${socket.remotePort}` },
      'RPC client failed the TLS handshake',
    );
  });
  return server;
}

/** Tells the peer why, then closes without ever reading a request from it. */
function refuse(socket: net.Socket, code: ErrorCode, message: string, config: TcpServerConfig): void {
  config.logger.warn(
    { remote: `${socket.remoteAddress}:${socket.remotePort}`, code },
    `RPC caller refused: ${message}`,
  );
  socket.on('error', () => {});
  socket.on('data', () => {});
  socket.end(encodeFrame({ t: FRAME_TYPE.goaway, e: { code, message } }, config.maxFrameBytes));
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

class ServerConnection {
  readonly #socket: net.Socket;
  readonly #peerService: string | undefined;
  readonly #config: TcpServerConfig;
  readonly #decoder: FrameDecoder;
  readonly #writer: BatchedWriter;
  /** Requests read but not yet started because the connection is at its concurrency bound. */
  readonly #queue: RequestFrame[] = [];
  /** Calls not yet answered, by request id. */
  readonly #calls = new Map<number, HandlerRun>();
  #running = 0;
  #writeBlocked = false;
  #goneAway = false;
  #closed = false;
  #drained: (() => void) | undefined;

  constructor(socket: net.Socket, peerService: string | undefined, config: TcpServerConfig) {
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
      // Each answer goes out and the last one ends the socket (#endIfIdle).
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
    let frames: unknown[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.#protocolViolation((error as Error).message);
      return;
    }
    for (const raw of frames) {
      const parsed = clientFrameSchema.safeParse(raw);
      if (!parsed.success) {
        this.#protocolViolation(`malformed frame: ${describeIssues(parsed.error.issues)}`);
        return;
      }
      const frame = parsed.data;
      if (frame.t === FRAME_TYPE.cancel) {
        this.#cancel(frame.id);
      } else if (this.#calls.has(frame.id) || this.#queue.some((queued) => queued.id === frame.id)) {
        this.#protocolViolation(`request id ${frame.id} is already in flight on this connection`);
        return;
      } else if (this.#goneAway) {
        this.#send(
          responseFrame(frame.id, unavailable('the server is shutting down; call another instance', true)),
        );
      } else {
        this.#queue.push(frame);
      }
    }
    this.#pump();
  }

  #cancel(id: number): void {
    const queued = this.#queue.findIndex((frame) => frame.id === id);
    if (queued !== -1) this.#queue.splice(queued, 1);
    const run = this.#calls.get(id);
    if (run === undefined) return;
    // The caller has stopped waiting, so the answer is dropped rather than sent.
    this.#calls.delete(id);
    run.abort(new Error('the caller cancelled the call'));
  }

  /** Starts queued calls while there is room, and reads from the socket only while there is. */
  #pump(): void {
    while (
      this.#queue.length > 0 &&
      this.#running < this.#config.maxConcurrentCallsPerConnection &&
      !this.#writeBlocked
    ) {
      this.#start(this.#queue.shift() as RequestFrame);
    }
    const full = this.#running >= this.#config.maxConcurrentCallsPerConnection || this.#writeBlocked;
    if (full && !this.#socket.isPaused()) this.#socket.pause();
    else if (!full && this.#socket.isPaused()) this.#socket.resume();
  }

  #start(frame: RequestFrame): void {
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
    );
    this.#calls.set(frame.id, run);
    this.#running += 1;
    void run.response.then((response) => {
      if (this.#calls.get(frame.id) !== run) return;
      this.#calls.delete(frame.id);
      this.#send(responseFrame(frame.id, response));
      this.#endIfIdle();
    });
    void run.finished.then(() => {
      this.#running -= 1;
      this.#pump();
      this.#endIfIdle();
    });
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

  #endIfIdle(): void {
    if (this.#goneAway && this.#calls.size === 0 && this.#queue.length === 0 && !this.#socket.writableEnded) {
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), LINGER_MS).unref();
    }
  }

  #protocolViolation(message: string): void {
    this.#config.logger.warn({ remote: this.#remote }, `RPC connection closed: ${message}`);
    this.#goneAway = true;
    this.#queue.length = 0;
    for (const run of this.#calls.values()) run.abort(new Error(`connection closed: ${message}`));
    this.#calls.clear();
    this.#send({ t: FRAME_TYPE.goaway, e: { code: 'INVALID_ARGUMENT', message } });
    this.#closed = true;
    this.#socket.end();
    this.#socket.resume();
    setTimeout(() => this.#socket.destroy(), LINGER_MS).unref();
  }
}

/** A frame on its way out; the schemas in frame.ts describe the same shapes for the receiving side. */
type OutgoingFrame = { t: number; id?: number } & Record<string, unknown>;

function responseFrame(id: number, response: RpcResponse): OutgoingFrame {
  return response.ok
    ? { t: FRAME_TYPE.response, id, ok: true, r: response.result }
    : { t: FRAME_TYPE.response, id, ok: false, e: response.error };
}
