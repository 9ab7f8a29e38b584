import net from 'node:net';
import tls from 'node:tls';
import { z } from '@strata/shared-kernel';
import { certificateNames, clientTlsSchema } from '../security/index.ts';
import { DEFAULT_MAX_FRAME_BYTES } from './frame-codec.ts';
import { parseOptions } from './parse-options.ts';
import type { RpcConnection } from './rpc-connection.ts';
import { TcpConnection } from './tcp-connection.ts';

const tcpClientOptionsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  /** Mutual TLS, or `false` for plaintext, which must be asked for by name. */
  tls: z.union([z.literal(false), clientTlsSchema]),
  maxFrameBytes: z.number().int().positive().default(DEFAULT_MAX_FRAME_BYTES),
  connectTimeoutMs: z.number().int().positive().default(5_000),
});

export type TcpClientOptions = z.input<typeof tcpClientOptionsSchema>;

/** Thrown by connectTcp when no connection could be made; governance treats it like UNAVAILABLE. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly code = 'UNAVAILABLE';
}

/**
 * Opens one multiplexed connection to an RPC server (docs/rpc-wire-format.md). It resolves once
 * TCP (and the TLS handshake) is up; with TLS 1.3 a server that refuses this client's certificate
 * says so only after that, and the first calls then fail UNAVAILABLE or with the server's reason.
 */
export async function connectTcp(options: TcpClientOptions): Promise<RpcConnection> {
  const config = parseOptions(tcpClientOptionsSchema, options, 'TCP client options');
  const target = `${config.host}:${config.port}`;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const socket =
      config.tls === false
        ? net.connect({ host: config.host, port: config.port })
        : tls.connect({
            host: config.host,
            port: config.port,
            ca: config.tls.ca,
            cert: config.tls.cert,
            key: config.tls.key,
            minVersion: 'TLSv1.3',
            ...(config.tls.serverService === undefined
              ? {}
              : { checkServerIdentity: namesService(config.tls.serverService) }),
          });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError(`connecting to ${target} took longer than ${config.connectTimeoutMs} ms`));
    }, config.connectTimeoutMs);
    socket.once(config.tls === false ? 'connect' : 'secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error): void => {
      clearTimeout(timer);
      reject(new ConnectError(`cannot connect to RPC server ${target}: ${error.message}`, { cause: error }));
    };
    socket.once('error', onError);
  });
  return new TcpConnection(socket, target, config.maxFrameBytes);
}

function namesService(
  service: string,
): (host: string, certificate: tls.PeerCertificate) => Error | undefined {
  return (_host, certificate) =>
    certificateNames(certificate).includes(service)
      ? undefined
      : new Error(
          `the server's certificate names ${certificateNames(certificate).join(', ') || 'nothing'}, not '${service}'`,
        );
}
