import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { stackEndpoints } from '@strata/dev-stack';

/** Both ends of one connection through the proxy. */
export interface ProxiedConnection {
  readonly client: Socket;
  readonly upstream: Socket;
}

export interface RedisProxyHooks {
  /** Sees each chunk a client sends, before it goes on to Redis. */
  toRedis?(chunk: Buffer): void;
  /** Sees each chunk Redis answers; false keeps it from the client (the hook then owns it). */
  fromRedis?(chunk: Buffer, connection: ProxiedConnection): boolean;
}

/**
 * A TCP proxy to the dev stack's Redis on a free loopback port, for tests that make the network
 * between a client and Redis misbehave at a chosen moment (an answer held back or lost). One end
 * of a connection closing or failing closes the other.
 */
export async function redisProxy(hooks: RedisProxyHooks): Promise<{ url: string; server: Server }> {
  const target = new URL(stackEndpoints().redisUrl);
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    client.on('data', (chunk: Buffer) => {
      hooks.toRedis?.(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (hooks.fromRedis?.(chunk, { client, upstream }) ?? true) client.write(chunk);
    });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `redis://127.0.0.1:${port}`, server };
}
