import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { OtlpReceiver, type ReceivedSpan } from '@strata/telemetry/test-support';
import {
  routesDir,
  send,
  setupBoundMs,
  startUpstream,
  uniquePrefix,
  type RoutesDir,
  type Upstream,
} from './fixtures/harness.ts';

// The gateway's own spans (ADR 0041), read from what it exports to a collector in the test: the
// gateway runs as every launcher starts it, with the tracing preload, which loads no http or
// undici instrumentation for it.

const main = new URL('../src/main.ts', import.meta.url).pathname;
const beside = new URL('./fixtures/traced-gateway-beside-a-service.ts', import.meta.url).pathname;

/** Starts `entry` with the tracing preload, exporting every trace as OTLP/JSON to `receiver`. */
function traced(
  entry: string,
  receiver: OtlpReceiver,
  ready: RegExp,
  env: Record<string, string> = {},
): { ready: Promise<{ line: RegExpExecArray; stdout: () => string }>; child: ChildProcess } {
  const child = spawn(process.execPath, ['--import', '@strata/runtime/tracing', entry], {
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    child,
    ready: new Promise((resolve, reject) => {
      child.stdout!.on('data', () => {
        const line = ready.exec(out);
        if (line !== null) resolve({ line, stdout: () => out });
      });
      child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}: ${err}`)));
    }),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const clientSpanId = '00f067aa0ba902b7';
const inTrace = (spans: ReceivedSpan[], id: string) => spans.filter((span) => span.traceId === id);
const upstreamTraceparent = (body: string) =>
  (JSON.parse(body) as { headers?: Record<string, string>; traceparent?: string }).headers?.traceparent ??
  (JSON.parse(body) as { traceparent: string }).traceparent;

describe('the gateway traces its own requests', () => {
  const prefix = uniquePrefix();
  let receiver: OtlpReceiver;
  let upstream: Upstream;
  let routes: RoutesDir;
  let gateway: ChildProcess;
  let url: string;
  let stdout: () => string;
  /** A gateway of this test's routes and registry, keeping new traces at `ratio`. */
  const gatewayEnv = (ratio: string) => ({
    STRATA_GATEWAY_ADMIN_TOKEN: 'a'.repeat(32),
    STRATA_GATEWAY_PORT: '0',
    STRATA_GATEWAY_ADMIN_PORT: '0',
    STRATA_GATEWAY_ROUTES: routes.path,
    STRATA_GATEWAY_ETCD_PREFIX: prefix,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
  });

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    upstream = await startUpstream(prefix, 'alpha-api', 'traced-1');
    routes = await routesDir();
    await routes.write({
      version: 1,
      routes: [{ name: 'alpha', prefix: '/api/alpha', service: 'alpha-api' }],
    });
    const started = traced(main, receiver, /\{"ready":true.*\}/, {
      ...gatewayEnv('0'),
      STRATA_GATEWAY_LOG_LEVEL: 'info',
    });
    gateway = started.child;
    const ready = await started.ready;
    url = (JSON.parse(ready.line[0]) as { url: string }).url;
    stdout = ready.stdout;
  }, setupBoundMs);

  afterAll(async () => {
    await stop(gateway);
    await upstream.kill();
    await routes.remove();
    await receiver.close();
  }, setupBoundMs);

  it("continues a sampled client's trace in one server span, whose context goes upstream", async () => {
    const reply = await send(url, '/api/alpha/courses?page=2', {
      headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
    });
    expect(reply.status).toBe(200);
    await receiver.waitFor('the gateway server span', (spans) => inTrace(spans, traceId).length >= 1);
    const spans = inTrace(receiver.spans, traceId);
    expect(spans.map((span) => `${span.service} ${span.kind}`)).toEqual(['gateway server']);
    const server = spans[0]!;
    expect(server).toMatchObject({
      name: 'GET /api/alpha',
      parentSpanId: clientSpanId,
      attributes: expect.objectContaining({
        'http.request.method': 'GET',
        'url.path': '/api/alpha/courses',
        'url.query': 'page=2',
        'http.response.status_code': 200,
        'strata.gateway.route': 'alpha',
        'strata.upstream.instance': 'traced-1',
        'strata.upstream.status_code': 200,
      }),
    });
    // One traceparent, the gateway span's: the client's own is not forwarded beside it.
    expect(upstreamTraceparent(reply.text)).toBe(`00-${traceId}-${server.spanId}-01`);
    // The access log line names the trace and the server span.
    const line = stdout()
      .split('\n')
      .find((candidate) => candidate.includes(`"trace_id":"${traceId}"`));
    expect(JSON.parse(line!)).toMatchObject({ msg: 'request', trace_id: traceId, span_id: server.spanId });
  });

  it('sends an unsampled trace on as it came, logs it, and records nothing of it', async () => {
    const unsampled = 'aaaabbbbccccddddeeeeffff00001111';
    const reply = await send(url, '/api/alpha/x', {
      headers: { traceparent: `00-${unsampled}-${clientSpanId}-00`, tracestate: 'vendor=opaque' },
    });
    expect(reply.status).toBe(200);
    // The caller decided (the sampler follows parents): no span, so its own context goes on as is.
    expect(upstreamTraceparent(reply.text)).toBe(`00-${unsampled}-${clientSpanId}-00`);
    expect((JSON.parse(reply.text) as { headers: Record<string, string> }).headers.tracestate).toBe(
      'vendor=opaque',
    );
    // The access line is written once the response closed, which may be after the reply arrived.
    const line = await waitFor("the unsampled request's access line", () =>
      stdout()
        .split('\n')
        .find((candidate) => candidate.includes(`"trace_id":"${unsampled}"`)),
    );
    expect(JSON.parse(line)).toMatchObject({
      msg: 'request',
      trace_id: unsampled,
      span_id: clientSpanId,
      trace_flags: '00',
    });
    // A request without a trace starts one; the sampler (ratio 0 here) keeps none of them. The
    // gateway decides it itself (ADR 0077): the trace it made goes upstream and into its log line.
    const fresh = upstreamTraceparent((await send(url, '/api/alpha/y')).text);
    expect(fresh).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const freshLine = await waitFor("the new unsampled trace's access line", () =>
      stdout()
        .split('\n')
        .find((candidate) => candidate.includes(`"trace_id":"${fresh.slice(3, 35)}"`)),
    );
    expect(JSON.parse(freshLine)).toMatchObject({ span_id: fresh.slice(36, 52), trace_flags: '00' });
    // A sampled request after both: once its spans arrived, the two before would have too.
    await send(url, '/api/alpha/z', { headers: { traceparent: `00-${'1'.repeat(32)}-${clientSpanId}-01` } });
    await receiver.waitFor('the sampled request', (spans) => inTrace(spans, '1'.repeat(32)).length >= 1);
    expect(inTrace(receiver.spans, unsampled)).toEqual([]);
    expect(inTrace(receiver.spans, fresh.slice(3, 35))).toEqual([]);
  });

  it('starts a trace its ratio keeps as a root server span of its own, whose context goes upstream', async () => {
    const started = traced(main, receiver, /\{"ready":true.*\}/, gatewayEnv('1'));
    try {
      const { line } = await started.ready;
      const keptUrl = (JSON.parse(line[0]) as { url: string }).url;
      const reply = await send(keptUrl, '/api/alpha/kept');
      expect(reply.status).toBe(200);
      const sent = upstreamTraceparent(reply.text);
      expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const kept = sent.slice(3, 35);
      await receiver.waitFor('the kept trace', (spans) => inTrace(spans, kept).length >= 1);
      const [root] = inTrace(receiver.spans, kept);
      expect(root).toMatchObject({ name: 'GET /api/alpha', kind: 'server', spanId: sent.slice(36, 52) });
      expect(root!.parentSpanId).toBeUndefined();
    } finally {
      await stop(started.child);
    }
  });

  it("in one process with instrumented services (npm start), the instrumentations leave the gateway's requests to it", async () => {
    const started = traced(beside, receiver, /ready (\S+)/);
    try {
      const { line } = await started.ready;
      const besideTrace = 'cccccccccccccccccccccccccccccccc';
      const reply = await send(line[1]!, '/api/beside/hello', {
        headers: { traceparent: `00-${besideTrace}-${clientSpanId}-01` },
      });
      expect(reply.status).toBe(200);
      await receiver.waitFor('the service span', (spans) =>
        inTrace(spans, besideTrace).some((span) => span.scope.includes('instrumentation-http')),
      );
      const spans = inTrace(receiver.spans, besideTrace);
      const gatewaySpan = spans.find((span) => span.scope === '@strata/gateway')!;
      // The gateway's span and the service's server span, its child: no http-instrumentation span
      // for the gateway's request, no undici span for its proxying.
      expect(spans.map((span) => `${span.scope} ${span.kind}`).sort()).toEqual([
        '@opentelemetry/instrumentation-http server',
        '@strata/gateway server',
      ]);
      expect(spans.find((span) => span.scope.includes('instrumentation-http'))!.parentSpanId).toBe(
        gatewaySpan.spanId,
      );
      expect(upstreamTraceparent(reply.text)).toBe(`00-${besideTrace}-${gatewaySpan.spanId}-01`);

      // A failed proxy attempt is an event on the request's span, which ends as a server error.
      const goneTrace = 'dddddddddddddddddddddddddddddddd';
      const refused = await send(line[1]!, '/api/gone/hello', {
        headers: { traceparent: `00-${goneTrace}-${clientSpanId}-01` },
      });
      expect(refused.status).toBeGreaterThanOrEqual(500);
      await receiver.waitFor('the failed request span', (spans) => inTrace(spans, goneTrace).length >= 1);
      const [gone] = inTrace(receiver.spans, goneTrace);
      expect(gone!.attributes['http.response.status_code']).toBe(refused.status);
      expect(gone!.events).toContainEqual({
        name: 'upstream attempt failed',
        attributes: expect.objectContaining({
          'strata.upstream.instance': 'gone-1',
          'error.type': 'ECONNREFUSED',
        }),
      });
    } finally {
      await stop(started.child);
    }
  });
});
