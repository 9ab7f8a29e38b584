import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackEndpoints } from '@strata/dev-stack';
import { topicFor } from '@strata/events';
import { databaseNameFor } from '@strata/persistence';
import { ProcessSupervisor, type ServiceSpec } from '@strata/runtime';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createConnection } from 'mysql2/promise';
import { call } from './http.ts';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { OtlpReceiver, type ReceivedSpan } from '@strata/telemetry/test-support';

// One course publication through the gateway, with every process traced (ADR 0025) and exporting
// to a collector in this test: the smallest set of real processes that shows every hop — the
// gateway, studio-api, the RPC call to commerce-service over TCP, its unit of work's commit on
// MariaDB, the outbox relay's publish to Kafka, and learning-service consuming the event.
// Each runs from its own main.ts with the tracing preload, as start:distributed starts it; the
// spans are asserted one by one (names, parents, links, attributes), and a log line carries its trace.

jest.setTimeout(120_000);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const deployment = `tr${randomBytes(4).toString('hex')}`;
const etcdPrefix = `/strata/${deployment}/services`;
const dataServices = ['commerce-service', 'learning-service'];
const ISSUER = 'strata-account-api';
const NODE = ['--import', '@strata/runtime/tracing'];
const SWC = ['--import', '@strata/runtime/typescript'];
// The test is the client: its own span id is the gateway span's remote parent, and names the trace.
const traceId = randomBytes(16).toString('hex');
const clientSpanId = randomBytes(8).toString('hex');

describe('one request through the gateway, traced across RPC and Kafka', () => {
  const supervisor = new ProcessSupervisor({ onLine: () => {}, onUnexpectedExit: () => {} });
  let receiver: OtlpReceiver;
  let logDir: string;
  let gateway: string;
  let token: string;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'tracing-test', alg: 'EdDSA', use: 'sig' };
    receiver = await OtlpReceiver.start({ '/jwks.json': { keys: [jwk] } });
    token = await new SignJWT({ roles: ['instructor'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'tracing-test' })
      .setSubject(randomUUID())
      .setIssuer(ISSUER)
      .setAudience('strata')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    logDir = await mkdtemp(join(tmpdir(), 'strata-tracing-'));

    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      STRATA_LOG_LEVEL: 'info',
      STRATA_REGISTRY: 'etcd',
      STRATA_ETCD_HOSTS: stackEndpoints().etcdHosts.join(','),
      STRATA_ETCD_PREFIX: etcdPrefix,
      STRATA_RPC_PLAINTEXT: '1',
      STRATA_DEPLOYMENT: deployment,
      STRATA_EVENT_NAMESPACE: deployment,
    };
    const spec = (
      name: string,
      script: string,
      env: Record<string, string>,
      ready: RegExp,
      layer: 'data-service' | 'application' | 'gateway',
      args: string[] = [],
    ): ServiceSpec => ({
      name,
      command: process.execPath,
      args: [...NODE, ...args, join(root, script)],
      cwd: root,
      env: { ...base, OTEL_SERVICE_NAME: name, ...env },
      logFile: join(logDir, `${name}.log`),
      ready,
      readyTimeoutMs: 90_000,
      // As start:distributed stops them: a layer's processes together, not one after another.
      layer,
    });
    await Promise.all(
      dataServices.map((service) =>
        supervisor.start(
          spec(
            service,
            `data-services/${service}/src/main.ts`,
            {
              STRATA_DATABASE_SERVICE: `${deployment}_${service}`,
              STRATA_MIGRATE: '1',
              // Serving commerce-service asks for a payment provider; publishing a course calls none.
              STRATA_PAYMENT_PROVIDER_URL: 'http://127.0.0.1:9',
            },
            /serving on ([^\s:]+:\d+)/,
            'data-service',
          ),
        ),
      ),
    );
    await supervisor.start(
      spec(
        'studio-api',
        'application-services/studio-api/src/main.ts',
        {
          STRATA_HTTP_PORT: '0',
          STRATA_HTTP_HOST: '127.0.0.1',
          STRATA_JWKS_URL: `${receiver.url}/jwks.json`,
          STRATA_REDIS_KEY_PREFIX: `strata:${deployment}:studio-api:`,
          STRATA_SALES_CONSUMER_GROUP: `${deployment}.studio-api.sales`,
        },
        /studio-api listening on (http:\/\/[^\s,]+)/,
        'application',
        SWC,
      ),
    );
    const started = await supervisor.start(
      spec(
        'gateway',
        'infra/gateway/src/main.ts',
        {
          STRATA_GATEWAY_PORT: '0',
          STRATA_GATEWAY_ADMIN_PORT: '0',
          STRATA_GATEWAY_ADMIN_TOKEN: randomBytes(24).toString('hex'),
          STRATA_GATEWAY_ETCD_PREFIX: etcdPrefix,
          STRATA_GATEWAY_JWKS_URL: `${receiver.url}/jwks.json`,
          STRATA_GATEWAY_JWT_ALGORITHMS: 'EdDSA',
          STRATA_GATEWAY_RATE_LIMIT_STORE: 'memory',
        },
        /"ready":true,"url":"([^"]+)"/,
        'gateway',
      ),
    );
    gateway = started.ready[1]!;
  });

  afterAll(async () => {
    await supervisor.stop(10_000);
    await receiver?.close();
    const connection = await createConnection({ ...stackEndpoints().mysql });
    for (const service of dataServices) {
      await connection.query(`drop database if exists \`${databaseNameFor(`${deployment}_${service}`)}\``);
    }
    await connection.end();
    if (logDir !== undefined) await rm(logDir, { recursive: true, force: true });
  });

  it('yields one trace from the gateway to the commit, and the relay and the consumer link to that commit', async () => {
    const instructor = { token };
    // The gateway learns studio-api's address from etcd; until then it answers 503.
    // 30 s of time (it was 50 tries 200 ms apart, ~10 s), under this file's 120 s.
    const drafted = await waitFor(
      'the gateway to route a draft to studio-api (an answer other than 503)',
      () => call(gateway, 'POST', '/api/studio/courses', { ...instructor, body: { title: 'Traced' } }),
      { done: (answer) => answer.status !== 503, timeoutMs: 30_000, everyMs: 200 },
    );
    expect(drafted.status).toBe(201);
    const coursePath = `/api/studio/courses/${drafted.body.id as string}`;
    expect(
      (await call(gateway, 'POST', `${coursePath}/lessons`, { ...instructor, body: { title: 'One' } }))
        .status,
    ).toBe(201);
    expect(
      (
        await call(gateway, 'PUT', `${coursePath}/price`, {
          ...instructor,
          body: { price: { amount: 900, currency: 'EUR' } },
        })
      ).status,
    ).toBe(200);

    const published = await call(gateway, 'POST', `${coursePath}/publication`, {
      ...instructor,
      headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
    });
    expect(published.status).toBe(200);

    const topic = topicFor('catalog', deployment);
    const inTrace = (spans: ReceivedSpan[]) => spans.filter((span) => span.traceId === traceId);
    const consumed = (spans: ReceivedSpan[]) =>
      spans.find(
        (span) => span.service === 'learning-service' && span.kind === 'consumer' && span.traceId === traceId,
      );
    // Each process exports its spans in batches of its own, in no set order: wait for a span of
    // every process the trace crosses (studio-api's batch can come last).
    const servedBy = (spans: ReceivedSpan[], service: string) =>
      spans.some((span) => span.service === service && span.kind === 'server' && span.traceId === traceId);
    await receiver.waitFor(
      'gateway, studio-api and commerce-service spans, relay publish linked to the request and learning-service handling in its trace',
      (spans) =>
        consumed(spans) !== undefined &&
        spans.some(
          (span) => span.kind === 'producer' && span.links.some((link) => link.traceId === traceId),
        ) &&
        servedBy(spans, 'gateway') &&
        servedBy(spans, 'studio-api') &&
        servedBy(spans, 'commerce-service'),
    );

    const spans = inTrace(receiver.spans);
    const one = (service: string, kind: ReceivedSpan['kind'], name: string | RegExp): ReceivedSpan => {
      const found = spans.filter(
        (span) =>
          span.service === service &&
          span.kind === kind &&
          (typeof name === 'string' ? span.name === name : name.test(span.name)),
      );
      expect(found.map((span) => `${span.service} ${span.kind} ${span.name}`)).toEqual([
        expect.stringContaining(service),
      ]);
      return found[0]!;
    };
    // The edge: a server span continuing the client's trace, naming the instance it proxied to.
    const edge = one('gateway', 'server', /^POST/);
    expect(edge.parentSpanId).toBe(clientSpanId);
    expect(edge.attributes['strata.upstream.status_code']).toBe(200);
    // The application service: its route template names the span.
    const http = one('studio-api', 'server', 'POST /courses/:courseId/publication');
    expect(http.parentSpanId).toBe(edge.spanId);
    expect(http.attributes['http.route']).toBe('/courses/:courseId/publication');
    // The RPC hop, both ends.
    const rpcClient = one('studio-api', 'client', 'commerce-service/Course.publish');
    expect(rpcClient.attributes).toMatchObject({
      'rpc.system': 'strata',
      'rpc.service': 'commerce-service',
      'rpc.method': 'Course.publish',
    });
    expect(ancestors(spans, rpcClient)).toContain(http.spanId);
    const rpcServer = one('commerce-service', 'server', 'commerce-service/Course.publish');
    expect(rpcServer.parentSpanId).toBe(rpcClient.spanId);
    // The unit of work's commit, with its SQL inside it.
    const commit = one('commerce-service', 'internal', 'unit-of-work commit');
    expect(commit.parentSpanId).toBe(rpcServer.spanId);
    expect(commit.attributes['strata.aggregates']).toEqual([`Course:${drafted.body.id as string}`]);
    const statements = spans.filter(
      (span) => span.parentSpanId === commit.spanId && span.attributes['db.system.name'] === 'mysql',
    );
    expect(statements.length).toBeGreaterThan(0);

    // The relay publishes later, in a trace of its own, linking to the commit that wrote the row.
    const send = receiver.spans.find(
      (span) =>
        span.service === 'commerce-service' &&
        span.kind === 'producer' &&
        span.links.some((link) => link.spanId === commit.spanId),
    );
    expect(send).toMatchObject({
      name: `send ${topic}`,
      attributes: expect.objectContaining({
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
      }),
    });
    expect(send!.traceId).not.toBe(traceId);
    expect(send!.links).toContainEqual(expect.objectContaining({ traceId, spanId: commit.spanId }));

    // Another service handles the event as a child of that commit, and links to it too.
    const handled = consumed(receiver.spans)!;
    expect(handled).toMatchObject({
      name: `process ${topic}`,
      parentSpanId: commit.spanId,
      attributes: expect.objectContaining({
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'process',
        'strata.event.type': 'CoursePublished',
        'strata.event.outcome': 'handled',
      }),
    });
    expect(handled.links).toEqual([expect.objectContaining({ traceId, spanId: commit.spanId })]);

    // The gateway's access log line for the request names the trace and the span it was written in.
    const accessLog = (await readFile(join(logDir, 'gateway.log'), 'utf8'))
      .split('\n')
      .filter((line) => line.includes(`"trace_id":"${traceId}"`));
    expect(accessLog.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ trace_id: traceId, span_id: edge.spanId }),
    );
  });
});

/** The span ids above `span` in its trace, nearest first. */
function ancestors(spans: ReceivedSpan[], span: ReceivedSpan): string[] {
  const byId = new Map(spans.map((candidate) => [candidate.spanId, candidate]));
  const found: string[] = [];
  for (let parent = span.parentSpanId; parent !== undefined; parent = byId.get(parent)?.parentSpanId)
    found.push(parent);
  return found;
}
