import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
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
