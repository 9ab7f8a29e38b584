import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MemoryCache } from '@strata/cache';
import { stackEndpoints } from '@strata/dev-stack';
import { createEngagementService, type EngagementService } from '@strata/engagement-service';
import {
  contractEventCatalog,
  envelopeFor,
  envelopeToMessage,
  InProcessEventBroker,
  KafkaEventBroker,
  topicFor,
  type EventEnvelope,
} from '@strata/events';
import { Gateway, MemoryRateLimiter } from '@strata/gateway';
import { identityContract } from '@strata/identity/contract';
import { dropDatabase, mysqlDatabase, uniqueService } from '@strata/persistence/test-support';
import { RedisFanOut } from '@strata/push';
import { SocketClient, SseClient, type PushClient } from '@strata/push/test-support';
import { inProcessInvoke, StaticRegistry } from '@strata/rpc';
import { createLogger, JwtAccessTokenVerifier } from '@strata/runtime';
import {
  absentDataService,
  listenOnFreePort,
  recordingLogger,
  servedOpenApiDiscrepancies,
} from '@strata/runtime/test-support';
import { newId, systemClock } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  createLearnerApi,
  inProcessCourseEvents,
  kafkaNotificationEvents,
  NOTIFICATION_SOCKET_PROTOCOL,
} from '../src/index.ts';
import { NotificationsController } from '../src/notifications.controller.ts';

// Live notifications on the dev stack: engagement-service on MariaDB makes notifications from
// UserRegistered (handed to its consumer as Kafka would deliver it) and relays NotificationCreated
// to Kafka; two learner-api instances share one consumer group and fan out through Redis; a
// gateway in front of both. "Created" below means committed by engagement-service.

jest.setTimeout(90_000);

const ISSUER = 'strata-account-api';
const AUDIENCE = 'strata';

describe('learner-api notifications live (SSE and WebSocket, two instances, MariaDB, Kafka, Redis, gateway)', () => {
  const namespace = `psh${newId().replaceAll('-', '').slice(-10)}`;
  const schema = uniqueService('learner_push');
  const redisPrefix = `t:learner-push:${newId()}:`;
  const clients: PushClient[] = [];
  let broker: KafkaEventBroker;
  let engagement: EngagementService;
  let jwks: Server;
  let sign: (userId: string) => Promise<string>;
  let apps: NestFastifyApplication[] = [];
  let fanOuts: RedisFanOut[] = [];
  let a: string;
  let b: string;
  let gateway: Gateway;
  let edge: string;
  let gatewayStopped = false;

  /** Makes a notification for the learner (a welcome) and answers once it is committed. */
  const notify = async (learnerId: string): Promise<void> => {
    const catalog = contractEventCatalog(identityContract);
    const envelope: EventEnvelope = envelopeFor(
      {
        type: 'UserRegistered',
        aggregateType: 'User',
        aggregateId: learnerId,
        aggregateVersion: 1,
        payload: {
          userId: learnerId,
          email: `${newId()}@example.org`,
          displayName: 'Ada',
          roles: ['learner'],
        },
        occurredAt: new Date(),
      },
      catalog.describe('UserRegistered')!.version,
      { correlationId: newId() },
      catalog.schema,
    );
    const consumer = engagement.consumers.find((candidate) =>
      candidate.processor.consumerGroup.endsWith('.notification'),
    )!;
    const outcome = await consumer.processor.process({
      ...envelopeToMessage(topicFor('identity', namespace), envelope),
      partition: 0,
      offset: '0',
    });
    expect(outcome).toBe('handled');
  };

  const bearer = async (userId: string) => ({ authorization: `Bearer ${await sign(userId)}` });

  const sse = async (url: string, userId: string, lastEventId?: string) => {
    const client = new SseClient(`${url}/notifications/stream`, {
      ...(await bearer(userId)),
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    });
    clients.push(client);
    return client;
  };

  const socket = (url: string, options: ConstructorParameters<typeof SocketClient>[1]) => {
    const client = new SocketClient(`${url.replace(/^http/, 'ws')}/notifications/socket`, options);
    clients.push(client);
    return client;
  };

  const ready = (client: PushClient) =>
    client.until((all) => all.some((message) => message.event === 'ready'), 'ready');

  const lastId = (client: PushClient) =>
    client.received.filter((message) => message.id !== undefined).at(-1)!.id!;

  const startLearnerApi = async (name: string) => {
    const fanOut = await RedisFanOut.connect({ url: stackEndpoints().redisUrl, prefix: redisPrefix });
    fanOuts.push(fanOut);
    const app = await createLearnerApi({
      commerce: absentDataService('commerce-service', 'this suite follows notifications'),
      learning: absentDataService('learning-service', 'this suite follows notifications'),
      engagement: inProcessInvoke(engagement.handler),
      links: { publicApiUrl: 'http://learn.strata.test', shortLinkUrl: 'http://short.strata.test' },
      accessTokens: new JwtAccessTokenVerifier({
        keys: async () => (await keys).publicKey,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
      }),
      paymentWebhook: { secret: 'push-test-webhook-secret', toleranceSeconds: 300 },
      cache: new MemoryCache({ maxEntries: 10 }),
      events: inProcessCourseEvents(new InProcessEventBroker()),
      push: {
        fanOut,
        events: kafkaNotificationEvents({
          brokers: stackEndpoints().kafkaBrokers,
          clientId: `learner-push-test-${name}`,
          logger: createLogger({ service: `learner-api-${name}`, level: 'silent' }),
          namespace,
        }),
        consumerGroup: `${namespace}.learner-api.push`,
        maxConnectionsPerUser: 2,
        heartbeatMs: 1_000,
        subscribeTimeoutMs: 2_000,
      },
      logger: createLogger({ service: `learner-api-${name}`, level: 'silent' }),
    });
    apps.push(app);
    return listenOnFreePort(app, `learner-api ${name}`);
  };

  const keys = generateKeyPair('EdDSA', { crv: 'Ed25519' });

  beforeAll(async () => {
    const { privateKey, publicKey } = await keys;
    sign = (userId) =>
      new SignJWT({ roles: ['learner'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'push-test' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
    const jwk = { ...(await exportJWK(publicKey)), kid: 'push-test', alg: 'EdDSA', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));

    broker = new KafkaEventBroker({ brokers: stackEndpoints().kafkaBrokers, clientId: 'learner-push-test' });
    engagement = await createEngagementService({
      database: mysqlDatabase(schema),
      clock: systemClock,
      broker,
      eventNamespace: namespace,
      logger: recordingLogger(),
      shortDomain: 'strata.link',
    });
    // The first notification makes the notification topic, so the learner-api consumers find it.
    await notify(newId());
    await engagement.relay.publishBatch();
    engagement.relay.start();
    a = await startLearnerApi('a');
    b = await startLearnerApi('b');
    const address = (url: string) => Number(new URL(url).port);
    gateway = new Gateway({
      registry: new StaticRegistry([
        { id: 'learner-a', service: 'learner-api', host: '127.0.0.1', port: address(a) },
        { id: 'learner-b', service: 'learner-api', host: '127.0.0.1', port: address(b) },
      ]),
      routesPath: new URL('../../../infra/gateway/routes.json', import.meta.url).pathname,
      rateLimiter: new MemoryRateLimiter(),
      adminToken: newId(),
      auth: {
        jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
        jwksCooldownMs: 0,
        clockToleranceSeconds: 5,
      },
      watchRoutes: false,
      drainTimeoutMs: 2_000,
      logger: createLogger({ service: 'gateway', level: 'silent' }),
    });
    edge = (await gateway.start()).url;
    // Both instances' consumers have joined the group once a fresh notification reaches a connection.
    const probe = newId();
    const warm = await sse(a, probe);
    await ready(warm);
    // 75 s of time (it was 120 notifications 500 ms apart, ~60 s), under the 90 s of this beforeAll.
    await waitFor(
      'the push consumers to receive a notification',
      async () => {
        if (warm.positions().length > 0) return true;
        await notify(probe);
        return false;
      },
      { timeoutMs: 75_000, everyMs: 500 },
    );
    warm.close();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    if (!gatewayStopped) await gateway?.stop();
    for (const app of apps) await app.close();
    for (const fanOut of fanOuts) await fanOut.close();
    await new Promise((resolve) => jwks?.close(resolve));
    await engagement?.relay.stop();
    await engagement?.close();
    await broker?.close();
    await dropDatabase(schema);
    apps = [];
    fanOuts = [];
  });

  it('SSE: lists, streams from the list’s mark, and after a dropped connection resumes on the other instance with exactly what was missed', async () => {
    const learner = newId();
    const headers = await bearer(learner);
    const list = (await (await fetch(`${a}/notifications`, { headers })).json()) as { streamMark: string };
    expect(list).toMatchObject({ items: [], unread: 0, epoch: null, latestPosition: 0, streamMark: '0' });

    const first = await sse(b, learner, list.streamMark);
    await ready(first);
    await notify(learner);
    await first.until(() => first.positions().length === 1, 'the first notification, live');
    first.close();
    await first.closed;

    await notify(learner);
    await notify(learner);
    const again = await sse(a, learner, lastId(first));
    await ready(again);
    await notify(learner);
    await again.until(() => again.positions().length === 3, 'the two missed, then one live');
    await sleep(300);
    expect(again.positions()).toEqual([2, 3, 4]);
    expect(again.received.find((message) => message.event === 'ready')).toMatchObject({
      data: { position: 3, recovered: true },
    });

    const page = (await (await fetch(`${b}/notifications?limit=2`, { headers })).json()) as {
      items: { id: string; position: number }[];
      unread: number;
      nextCursor: string | null;
    };
    expect(page.items.map((item) => item.position)).toEqual([4, 3]);
    expect(page.unread).toBe(4);
    expect(page.nextCursor).not.toBeNull();
    const read = await fetch(`${b}/notifications/${page.items[0]!.id}/read`, { method: 'POST', headers });
    expect(await read.json()).toMatchObject({ position: 4, readAt: expect.any(String) });
    expect(await (await fetch(`${a}/notifications/unread-count`, { headers })).json()).toMatchObject({
      unread: 3,
    });
    const all = await fetch(`${a}/notifications/read-all`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ upTo: 2 }),
    });
    expect(await all.json()).toMatchObject({ readUpTo: 2, latestPosition: 4 });
    expect(await (await fetch(`${a}/notifications/unread-count`, { headers })).json()).toMatchObject({
      unread: 1,
    });
  });

  it('WebSocket: resumes from the last position sent in the first message, on the other instance, with the token as a subprotocol', async () => {
    const learner = newId();
    const first = socket(a, { headers: await bearer(learner), subscribe: { type: 'subscribe' } });
    await ready(first);
    await notify(learner);
    await first.until(() => first.positions().length === 1, 'the first notification, live');
    first.close();
    await first.closed;

    await notify(learner);
    await notify(learner);
    const [epoch, position] = lastId(first).split(':');
    const again = socket(b, {
      protocols: [NOTIFICATION_SOCKET_PROTOCOL, `bearer.${await sign(learner)}`],
      subscribe: { type: 'subscribe', since: { epoch, position: Number(position) } },
    });
    await again.opened;
    expect(again.socket.protocol).toBe(NOTIFICATION_SOCKET_PROTOCOL);
    await ready(again);
    await notify(learner);
    await again.until(() => again.positions().length === 3, 'the two missed, then one live');
    await sleep(300);
    expect(again.positions()).toEqual([2, 3, 4]);
  });

  it('refuses precisely: a malformed Last-Event-ID, a socket without a token or with a bad first message, a connection over the cap', async () => {
    const learner = newId();
    const malformed = await fetch(`${a}/notifications/stream`, {
      headers: { ...(await bearer(learner)), 'last-event-id': 'yesterday' },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      reason: 'invalid-last-event-id',
      errors: [{ path: 'headers.last-event-id' }],
    });

    const anonymous = socket(a, { subscribe: { type: 'subscribe' } });
    const refused = await anonymous.refusal;
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ reason: 'access-token-required' });

    const confused = socket(a, {
      headers: await bearer(learner),
      subscribe: { type: 'subscribe', since: { position: -1 } },
    });
    await confused.closed;
    expect(confused.closeCode).toBe(4400);
    expect(confused.received).toEqual([
      expect.objectContaining({
        event: 'error',
        data: expect.objectContaining({ reason: 'invalid-subscribe-message', errors: expect.any(Array) }),
      }),
    ]);

    const held = [
      await sse(a, learner),
      socket(a, { headers: await bearer(learner), subscribe: { type: 'subscribe' } }),
    ];
    for (const client of held) await ready(client);
    const third = await fetch(`${a}/notifications/stream`, { headers: await bearer(learner) });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ reason: 'too-many-connections' });
    const fourth = socket(a, { headers: await bearer(learner), subscribe: { type: 'subscribe' } });
    expect((await fourth.refusal).status).toBe(429);
    // Elsewhere the learner may still connect: the cap is per instance.
    const onB = await sse(b, learner);
    await ready(onB);
  });

  it('answers a HEAD on the stream with the stream’s head and ends it, holding no connection', async () => {
    const learner = newId();
    // More HEADs than the cap allows connections: none of them may count against it.
    for (let probe = 0; probe < 3; probe += 1) {
      const head = await fetch(`${a}/notifications/stream`, {
        method: 'HEAD',
        headers: await bearer(learner),
      });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
    const held = [await sse(a, learner), await sse(a, learner)];
    for (const client of held) await ready(client);
  });

  it('documents every notification route in its OpenAPI, as the gateway routes them', async () => {
    expect(
      await servedOpenApiDiscrepancies({
        baseUrl: a,
        controllers: [NotificationsController],
        service: 'learner-api',
      }),
    ).toEqual([]);
  });

  it('through the gateway: SSE unbuffered and WebSocket upgrades, authenticated like any route; a stopping gateway ends them cleanly', async () => {
    const learner = newId();
    const stream = new SseClient(`${edge}/api/learner/notifications/stream`, await bearer(learner));
    const ws = new SocketClient(`${edge.replace(/^http/, 'ws')}/api/learner/notifications/socket`, {
      protocols: [NOTIFICATION_SOCKET_PROTOCOL, `bearer.${await sign(learner)}`],
      subscribe: { type: 'subscribe' },
    });
    clients.push(stream, ws);
    await ready(stream);
    await ready(ws);
    await notify(learner);
    await notify(learner);
    for (const client of [stream, ws])
      await client.until(() => client.positions().join() === '1,2', 'both notifications through the gateway');

    const anonymousStream = await fetch(`${edge}/api/learner/notifications/stream`);
    expect(anonymousStream.status).toBe(401);
    const anonymousSocket = new SocketClient(
      `${edge.replace(/^http/, 'ws')}/api/learner/notifications/socket`,
      {},
    );
    clients.push(anonymousSocket);
    expect((await anonymousSocket.refusal).status).toBe(401);
    const notStreaming = new SocketClient(`${edge.replace(/^http/, 'ws')}/api/learner/notifications`, {
      headers: await bearer(learner),
    });
    clients.push(notStreaming);
    expect((await notStreaming.refusal).status).toBe(400);

    const list = await fetch(`${edge}/api/learner/notifications`, { headers: await bearer(learner) });
    expect(await list.json()).toMatchObject({ unread: 2, latestPosition: 2 });

    // Clients of a stopping gateway are let go at once (to reconnect through another), not after its
    // drain timeout: the event stream is ended, where the timeout would cut it (not complete).
    await gateway.stop();
    gatewayStopped = true;
    await Promise.all([stream.closed, ws.closed]);
    expect((await stream.response).complete).toBe(true);
  });

  it('closing an instance says goodbye to its connections, sending them elsewhere, and does not wait on them', async () => {
    const learner = newId();
    const stream = await sse(b, learner);
    const ws = socket(b, { headers: await bearer(learner), subscribe: { type: 'subscribe' } });
    await ready(stream);
    await ready(ws);
    const closing = performance.now();
    await apps.splice(1, 1)[0]!.close();
    await Promise.all([stream.closed, ws.closed]);
    // Not a speed claim: a bound between the goodbye's grace (GOODBYE_GRACE_MS, 5 s, after which
    // the socket is destroyed) and `ws`'s own 30 s wait for a close handshake, which it would be
    // without the grace; the grace itself may be spent on a loaded machine.
    expect(performance.now() - closing).toBeLessThan(20_000);
    for (const client of [stream, ws])
      expect(client.received.at(-1)).toMatchObject({
        event: 'goodbye',
        data: { reason: 'server-shutdown', reconnect: true },
      });
    expect(ws.closeCode).toBe(1012);
  });
});
