import net from 'node:net';
import tls from 'node:tls';
import { type ErrorCode, z } from '@strata/shared-kernel';
import type { RpcHandler } from '../protocol.ts';
import { certificateServiceName, serverTlsSchema } from '../security/index.ts';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame } from './frame-codec.ts';
import { FRAME_TYPE } from './frame.ts';
import { parseOptions } from './parse-options.ts';
import type { RpcListener } from './rpc-connection.ts';
import { LINGER_MS, ServerConnection } from './server-connection.ts';
import { silentLogger, transportLoggerSchema } from './transport-logger.ts';

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
