import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  context,
  diag,
  DiagConsoleLogger,
  DiagLogLevel,
  SpanKind,
  SpanStatusCode,
  trace,
  type Link,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { EncodingSpanProcessor } from '../src/encoding-span-processor.ts';
import { decodeTraceRequest } from './support/otlp-protobuf.ts';
import { OtlpReceiver } from './support/otlp-receiver.ts';

/** A provider whose spans go to `receiver` through the processor under test, and to memory as the SDK keeps them. */
function providerFor(receiver: OtlpReceiver, options: { maxExportBatchSize?: number } = {}) {
  const processor = new EncodingSpanProcessor({
    url: `${receiver.url}/v1/traces`,
    scheduledDelayMillis: 60_000,
    ...options,
  });
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'encoding-test' }),
    spanProcessors: [processor, new SimpleSpanProcessor({ exporter: memory })],
  });
  return { provider, processor, memory };
}

describe('EncodingSpanProcessor', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
  });
  afterAll(() => receiver.close());

  it("sends each span with its attributes, events and links, under its scope, as OpenTelemetry's own serializer encodes it", async () => {
    receiver.spans.length = 0;
    const { provider, processor, memory } = providerFor(receiver);
    const rpc = provider.getTracer('strata.rpc', '1.0.0');
    const db = provider.getTracer('strata.persistence');
    const parent = rpc.startSpan('Course.get', { kind: SpanKind.SERVER });
    const link: Link = { context: parent.spanContext(), attributes: { 'messaging.operation': 'publish' } };
    const child = db.startSpan(
      'commit',
      {
        kind: SpanKind.CLIENT,
        links: [link],
        attributes: { text: 'ä ✓', count: 42, ratio: 0.25, flag: true, tags: ['a', 'b'] },
      },
      trace.setSpan(context.active(), parent),
    );
    child.addEvent('exception', { 'exception.message': 'deadlock' });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
    child.end();
    parent.end();
    await processor.forceFlush();

    const expected = decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!);
    const expectedSpans = expected.resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ scope: scope.scope.name, span }))),
    );
    expect(
      receiver.spans.map(({ scope, name, traceId, spanId, parentSpanId }) => ({
        scope,
        name,
        traceId,
        spanId,
        parentSpanId,
      })),
    ).toEqual(
      expectedSpans.map(({ scope, span }) => ({
        scope,
        name: span.name,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
      })),
    );
    const commit = receiver.spans.find((span) => span.name === 'commit');
    expect(commit).toMatchObject({
      service: 'encoding-test',
      scope: 'strata.persistence',
      kind: 'client',
      parentSpanId: parent.spanContext().spanId,
      attributes: { text: 'ä ✓', count: 42, ratio: 0.25, flag: true, tags: ['a', 'b'] },
      links: [
        {
          traceId: parent.spanContext().traceId,
          spanId: parent.spanContext().spanId,
          attributes: { 'messaging.operation': 'publish' },
        },
      ],
      events: [{ name: 'exception', attributes: { 'exception.message': 'deadlock' } }],
    });
    await provider.shutdown();
  });

  it('sends a full batch at once and the rest on flush, every span once, in the order they ended', async () => {
    receiver.spans.length = 0;
    const { provider, processor } = providerFor(receiver, { maxExportBatchSize: 100 });
    const tracer = provider.getTracer('strata.test');
    const ended = Array.from({ length: 250 }, (_, index) => {
      const span = tracer.startSpan(`span ${index}`);
      span.end();
      return span.spanContext().spanId;
    });
    // Two batches of 100 went as they filled; the last 50 wait for the delay, or a flush.
    await receiver.waitFor('the two full batches', (spans) => spans.length === 200);
    expect(receiver.spans.map((span) => span.spanId)).toEqual(ended.slice(0, 200));
    await processor.forceFlush();
    expect(receiver.spans.map((span) => span.spanId)).toEqual(ended);
    await provider.shutdown();
  });
});

describe('EncodingSpanProcessor, the bytes it sends', () => {
  it("sends spans of two scopes, ended one scope after the other, as the very request OpenTelemetry's serializer writes for them", async () => {
    const bodies: Buffer[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    const { port } = collector.address() as AddressInfo;
    const processor = new EncodingSpanProcessor({
      url: `http://127.0.0.1:${port}/v1/traces`,
      scheduledDelayMillis: 60_000,
    });
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'encoding-test', 'process.pid': 4242 }),
      spanProcessors: [processor, new SimpleSpanProcessor({ exporter: memory })],
    });
    try {
      const rpc = provider.getTracer('strata.rpc', '1.0.0');
      const db = provider.getTracer('strata.persistence', undefined, { schemaUrl: 'https://example.com/s' });
      for (let index = 0; index < 6; index += 1) {
        const server = rpc.startSpan(`Course.get ${index}`, {
          kind: SpanKind.SERVER,
          attributes: { 'rpc.system': 'strata', 'rpc.method': 'Course.get', attempt: index },
        });
        if (index % 2 === 0)
          db.startSpan(
            'commit',
            { attributes: { 'db.rows': [index, index + 1] } },
            trace.setSpan(context.active(), server),
          ).end();
        server.end();
      }
      await processor.forceFlush();

      expect(bodies).toHaveLength(1);
      const sent = bodies[0]!;
      // OpenTelemetry groups the spans by scope, each scope where its first span ended: so does the batch.
      expect(sent.toString('hex')).toBe(
        Buffer.from(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!).toString('hex'),
      );
      const decoded = decodeTraceRequest(sent).resourceSpans[0]!.scopeSpans;
      expect(decoded.map((scope) => [scope.scope.name, scope.spans.map((span) => span.name)])).toEqual([
        ['strata.persistence', ['commit', 'commit', 'commit']],
        ['strata.rpc', Array.from({ length: 6 }, (_, index) => `Course.get ${index}`)],
      ]);
      expect(decoded[1]!.spans[3]!.attributes).toEqual([
        { key: 'rpc.system', value: { stringValue: 'strata' } },
        { key: 'rpc.method', value: { stringValue: 'Course.get' } },
        { key: 'attempt', value: { intValue: 3 } },
      ]);
    } finally {
      collector.closeAllConnections();
      collector.close();
      await provider.shutdown();
    }
  });
});

describe('EncodingSpanProcessor with a collector that does not answer', () => {
  it('keeps at most maxQueueBytes of spans in flight or waiting, drops the later ones with a warning, and sends what it kept', async () => {
    const received: string[] = [];
    const held: (() => void)[] = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        for (const resource of decodeTraceRequest(Buffer.concat(chunks)).resourceSpans)
          for (const scope of resource.scopeSpans) for (const span of scope.spans) received.push(span.name);
        held.push(() => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
      });
    });
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    const warnings: string[] = [];
    diag.setLogger(
      { ...new DiagConsoleLogger(), warn: (message: string) => warnings.push(message) },
      DiagLogLevel.WARN,
    );
    const { port } = collector.address() as AddressInfo;
    const processor = new EncodingSpanProcessor({
      url: `http://127.0.0.1:${port}/v1/traces`,
      scheduledDelayMillis: 60_000,
      maxExportBatchSize: 10,
      // About two batches of ten spans (~950 bytes each here): the rest must wait or be dropped.
      maxQueueBytes: 2_000,
    });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'encoding-test' }),
      spanProcessors: [processor],
    });
    try {
      const tracer = provider.getTracer('strata.test');
      for (let index = 0; index < 50; index += 1) tracer.startSpan(`span ${index}`).end();
      let flushed = false;
      const flushing = processor.forceFlush().then(() => (flushed = true));
      // Every span has ended, and every export so far waits for an answer; now the collector answers.
      await waitFor('two exports held by the collector', () => held.length >= 2, { everyMs: 10 });
      while (!flushed) {
        for (const answer of held.splice(0)) answer();
        await sleep(10);
      }
      await flushing;

      const kept = received.length;
      expect(kept).toBeGreaterThanOrEqual(20);
      expect(kept).toBeLessThan(30);
      expect(received).toEqual(Array.from({ length: kept }, (_, index) => `span ${index}`));
      // The 21 or more dropped are said at the first and the tenth.
      expect(warnings).toEqual(
        [1, 10].map(
          (count) => `${count} spans dropped: the collector is not taking exports as fast as spans end`,
        ),
      );
    } finally {
      diag.disable();
      collector.closeAllConnections();
      collector.close();
      await provider.shutdown();
    }
  });
});
