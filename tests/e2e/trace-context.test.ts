import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { catalogContract } from '@strata/catalog/contract';
import { createCommerceService, type CommerceService } from '@strata/commerce-service';
import { stackEndpoints } from '@strata/dev-stack';
import {
  contractEventCatalog,
  EventProcessor,
  InProcessEventBroker,
  KafkaEventBroker,
  KafkaEventConsumer,
  topicFor,
  type DeliveredMessage,
  type EventEnvelope,
} from '@strata/events';
import { databaseNameFor, SqlInbox } from '@strata/persistence';
import { connectTcp, listenTcp, type RpcConnection, type RpcListener } from '@strata/rpc';
import { createLogger, JwtAccessTokenVerifier } from '@strata/runtime';
import { newId, systemClock } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { createStudioApi, inProcessOrderingEvents, MemorySalesReadModel } from '@strata/studio-api';
import { generateKeyPair, SignJWT } from 'jose';
import { createConnection } from 'mysql2/promise';
import { SimulatorPaymentProvider } from '@strata/payments';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { absentDataService } from '@strata/runtime/test-support';

// commerce-service's checkout needs a real provider; this file's simulator process is it.
const simulator = usePaymentSimulator();

jest.setTimeout(90_000);

// HTTP request → studio-api → RPC over TCP → commerce-service's unit of work → outbox row on
// MariaDB → relay → Kafka message → a consumer's handler: the request's W3C trace context must
// reach every one of them. A trace id of its own lets this run pick its messages out of the shared topic.
const traceId = randomBytes(16).toString('hex');
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
const tracestate = 'strata=e2e,congo=t61rcWkgMzE';
const service = `t_trace_${traceId.slice(0, 12)}`;
const consumerGroup = `trace-context-${traceId}`;
const ISSUER = 'https://account-api.strata.test';
const AUDIENCE = 'strata';

describe('the trace context of an HTTP request', () => {
  const endpoints = stackEndpoints();
  const delivered: DeliveredMessage[] = [];
  const handled: EventEnvelope[] = [];
  let broker: KafkaEventBroker;
  let commerce: CommerceService;
  let listener: RpcListener;
  let connection: RpcConnection;
  let app: NestFastifyApplication;
  let consumer: KafkaEventConsumer;
  let url: string;
  let token: string;
  const instructor = { userId: newId(), roles: ['learner', 'instructor'] };

  beforeAll(async () => {
    const logger = createLogger({
      service: 'trace-context-test',
      level: 'warn',
      destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    broker = new KafkaEventBroker({ brokers: endpoints.kafkaBrokers, clientId: 'trace-context-test' });
    commerce = await createCommerceService({
      paymentProvider: new SimulatorPaymentProvider({ baseUrl: simulator.url }),
      database: { kind: 'mysql', service, ...endpoints.mysql, poolSize: 3, migrateOnStart: true },
      clock: systemClock,
      broker,
      logger,
    });
    commerce.relay.start();
    listener = await listenTcp({ handler: commerce.handler, tls: false });
    connection = await connectTcp({ host: listener.address.host, port: listener.address.port, tls: false });

    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    app = await createStudioApi({
      commerce: (request) => connection.call(request),
      learning: absentDataService('learning-service', "this test follows one course request's trace"),
      engagement: absentDataService('engagement-service', "this test follows one course request's trace"),
      links: { publicApiUrl: 'http://learn.strata.test', shortLinkUrl: 'http://short.strata.test' },
      accessTokens: new JwtAccessTokenVerifier({
        keys: async () => publicKey,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
      }),
      // This test follows one course request's trace; no ordering event reaches the sales read model.
      sales: new MemorySalesReadModel(),
      orderingEvents: inProcessOrderingEvents(new InProcessEventBroker()),
      logger,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = await app.getUrl();
    token = await new SignJWT({ roles: instructor.roles })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
      .setSubject(instructor.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    const processor = new EventProcessor({
      consumerGroup,
      handlers: { CourseDrafted: async (envelope) => void handled.push(envelope) },
      inbox: new SqlInbox(commerce.database),
      schema: contractEventCatalog(catalogContract).schema,
      deadLetters: broker,
    });
    consumer = new KafkaEventConsumer({
      brokers: endpoints.kafkaBrokers,
      clientId: 'trace-context-test-consumer',
      topics: [topicFor('catalog')],
      processor: {
        consumerGroup,
        // The topic is shared with every other run: only this run's trace goes to the handler.
        process: async (message) => {
          if (!message.headers.traceparent?.includes(traceId)) return 'skipped';
          delivered.push(message);
          return processor.process(message);
        },
      },
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await app?.close();
    await connection?.close(0);
    await listener?.close();
    await commerce?.close();
    await broker?.close();
    const admin = await createConnection({ ...endpoints.mysql });
    await admin.query(`drop database if exists \`${databaseNameFor(service)}\``);
    await admin.end();
  });

  it('reaches the outbox row, the Kafka message headers and envelope, and the consumer’s handler', async () => {
    const response = await fetch(`${url}/courses`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent,
        tracestate,
      },
      body: JSON.stringify({ title: 'Traced from the edge' }),
    });
    expect(response.status).toBe(201);
    const course = (await response.json()) as { id: string };

    const [row] = await commerce.database
      .em()
      .execute<{ envelope: string }[]>('select envelope from outbox where aggregate_id = ?', [course.id]);
    expect(JSON.parse(row!.envelope)).toMatchObject({ traceparent, tracestate });

    // 45 s of time (it was 300 checks 100 ms apart, ~30 s), under this file's 90 s.
    await waitFor('the consumer to handle the relayed event', () => handled.length > 0, {
      timeoutMs: 45_000,
      everyMs: 100,
    });
    const [message] = delivered;
    expect(message?.key).toBe(course.id);
    expect(message?.headers).toMatchObject({ traceparent, tracestate, 'aggregate-id': course.id });
    expect(JSON.parse(message!.value.toString('utf8'))).toMatchObject({ traceparent, tracestate });
    expect(handled).toEqual([
      expect.objectContaining({ type: 'CourseDrafted', aggregateId: course.id, traceparent, tracestate }),
    ]);
  });
});
