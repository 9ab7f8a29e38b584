import * as grpc from '@grpc/grpc-js';
import type { Peer } from '../peer.ts';
import { spawnServer } from '../spawn-server.ts';
import { CourseEcho } from './course-echo-proto.ts';

/** Same deadline as the Strata rows: each call pays for carrying and enforcing one. */
export const CALL_DEADLINE_MS = 5_000;

type EchoClient = grpc.Client & {
  echo(
    request: unknown,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response: unknown) => void,
  ): void;
};

export const grpcPeer: Peer = {
  id: 'grpc',
  name: '@grpc/grpc-js',
  features:
    'one HTTP/2 channel, protobuf via proto-loader, zod validation in the handler, a deadline on every call; default channel options',
  validatesInput: true,
  startServer: (nodeOptions) =>
    spawnServer(new URL('./grpc-server.ts', import.meta.url), { execArgv: [...nodeOptions] }),
  async createClient(port) {
    const client = new CourseEcho(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    ) as unknown as EchoClient;
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + 10_000, (error) => (error ? reject(error) : resolve())),
    );
    return {
      call: (payload) =>
        new Promise((resolve, reject) => {
          const deadline = Date.now() + CALL_DEADLINE_MS;
          client.echo(payload, { deadline }, (error, response) =>
            error ? reject(error) : resolve(response),
          );
        }),
      async close() {
        client.close();
      },
    };
  },
};
