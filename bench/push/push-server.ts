// Our row's server: infra/push as learner-api wires it (docs/adr/0023), alone in a process so its
// memory is measured alone. The same WebSocketEndpoint (authenticated upgrade, subscribe message),
// PushHub (one stream per learner, per-user cap, bounded buffers, one heartbeat sweep) and
// RedisFanOut (one Redis channel per learner, on the dev stack's Redis) with learner-api's item
// schema (NotificationView) and access-token verifier (EdDSA JWT, learner-api's code). Two things
// are stand-ins, and the bench says so: storage (`head` answers "no notifications yet" from memory
// instead of an RPC to engagement-service, so connecting costs no database query) and the key set
// (a local JWKS the bench signs with, instead of account-api's).
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NotificationView } from '@strata/notification/contract';
import { PushHub, RedisFanOut, WebSocketEndpoint, type StreamHistory } from '@strata/push';
import { JwtAccessTokenVerifier, type VerifiedCaller } from '@strata/runtime';
import { createLocalJWKSet, type JWK } from 'jose';

interface Caller {
  caller: VerifiedCaller;
  correlationId: string;
}

const redisUrl = process.env.BENCH_REDIS_URL!;
const prefix = process.env.BENCH_REDIS_PREFIX!;
const publicKey = JSON.parse(process.env.BENCH_JWK!) as JWK;

const history: StreamHistory<NotificationView, Caller> = {
  head: () => Promise.resolve({ epoch: null, position: 0 }),
  since: (_stream, _caller, from) =>
    Promise.resolve({ epoch: from.epoch, items: [], recovered: true, latestPosition: from.position }),
};
const errors = new Map<string, number>();
const onError = (_error: unknown, context: string) => {
  const key = context.replace(/[0-9a-f-]{36}/g, '<stream>');
  errors.set(key, (errors.get(key) ?? 0) + 1);
};
const fanOut = await RedisFanOut.connect({
  url: redisUrl,
  prefix,
  onError: (error) => onError(error, 'redis'),
});
const hub = new PushHub<NotificationView, Caller>({
  fanOut,
  history,
  itemSchema: NotificationView,
  itemEvent: 'notification',
  onError,
});
const verifier = new JwtAccessTokenVerifier({
  keys: createLocalJWKSet({ keys: [publicKey] }),
  issuer: 'bench-push',
  audience: 'strata',
});
const server = createServer((_req, res) => res.writeHead(404).end());
const endpoint = new WebSocketEndpoint<Caller>({
  hub,
  path: '/notifications/socket',
  protocol: 'strata.notifications.v1',
  // As learner-api's NotificationPush does: a flat copy of the id (a rope of ~14 pieces otherwise).
  authenticate: async (token) => ({
    caller: await verifier.verify(token),
    correlationId: Buffer.from(randomUUID(), 'latin1').toString('latin1'),
  }),
  streamOf: (request) => request.caller.userId,
  refusal: (error) => ({ status: 401, headers: {}, body: String(error) }),
  onError,
});
endpoint.attach(server);
// As many pending connections as the clients open at once, like any server tuned for this.
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const address = server.address();
  process.send!({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'gc') {
    globalThis.gc?.();
    process.send!({
      type: 'gc',
      heapUsed: process.memoryUsage().heapUsed,
      connections: hub.connectionCount,
      errors: Object.fromEntries(errors),
    });
  }
  if (message.cmd === 'stop') {
    endpoint.close();
    hub.close();
    server.close();
    void fanOut.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
