import { describe, expect, it } from '@jest/globals';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type AttributeValue,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { encodeSpans } from '../src/span-batch.ts';
import { decodeTraceRequest } from './support/otlp-protobuf.ts';

/*
 * Spans as the SDK makes them (its attribute checks, limits, events, links, remote parents,
 * several tracers), drawn by fast-check, encoded by the encoder and by OpenTelemetry's serializer:
 * the bytes must be the same. This is what the encoding processor hands the encoder in a process.
 */

const memory = new InMemorySpanExporter();
const provider = new TracerProvider({
  resource: resourceFromAttributes({
    'service.name': 'encoder-sdk-test',
    'process.pid': 4242,
    'host.arch': 'x64',
  }),
  spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  spanLimits: { attributeCountLimit: 6, eventCountLimit: 3, linkCountLimit: 2 },
});
const scopes = ['@strata/rpc', '@strata/http', 'mysql2'].map((name, index) =>
  provider.getTracer(name, index === 2 ? undefined : '1.0.0'),
);

type Drawn<A> = A extends fc.Arbitrary<infer T> ? T : never;

const key = fc.constantFrom(
  'rpc.system',
  'rpc.service',
  'rpc.method',
  'server.address',
  'server.port',
  'k',
  'ü',
);
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }),
  fc.array(fc.integer({ min: -5, max: 1 << 20 }), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 3 }),
  fc.constant([]),
);
const attributes = fc.dictionary(key, value, { maxKeys: 8 });
const hexOf = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const remoteParent = fc.record({
  traceId: hexOf(32).filter((id) => id !== '0'.repeat(32)),
  spanId: hexOf(16).filter((id) => id !== '0'.repeat(16)),
  traceFlags: fc.constantFrom(TraceFlags.SAMPLED, TraceFlags.NONE),
  isRemote: fc.boolean(),
  traceState: fc.option(fc.constantFrom('vendor=a', 'a=1,b=2'), { nil: undefined }),
});

const shape = fc.record({
  scope: fc.nat({ max: scopes.length - 1 }),
  name: fc.string({ maxLength: 30 }),
  kind: fc.constantFrom(
    SpanKind.INTERNAL,
    SpanKind.SERVER,
    SpanKind.CLIENT,
    SpanKind.PRODUCER,
    SpanKind.CONSUMER,
  ),
  attributes,
  later: attributes,
  parent: fc.option(remoteParent, { nil: undefined }),
  events: fc.array(fc.record({ name: fc.string({ maxLength: 10 }), attributes: fc.option(attributes) }), {
    maxLength: 4,
  }),
  links: fc.array(
    fc.record({ context: remoteParent, attributes: fc.option(attributes, { nil: undefined }) }),
    {
      maxLength: 3,
    },
  ),
  status: fc.option(
    fc.record({
      code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
      message: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    }),
    { nil: undefined },
  ),
  exception: fc.boolean(),
  start: fc.tuple(fc.integer({ min: 0, max: 2 ** 33 }), fc.integer({ min: 0, max: 999_999_999 })),
});

const spanContext = (drawn: Drawn<typeof remoteParent>) => ({
  ...drawn,
  traceState: drawn.traceState === undefined ? undefined : new TraceState(drawn.traceState),
});

function made(shapes: Drawn<typeof shape>[]) {
  memory.reset();
  for (const drawn of shapes) {
    const parent =
      drawn.parent === undefined
        ? context.active()
        : trace.setSpanContext(context.active(), spanContext(drawn.parent));
    const links = drawn.links.map((link) => ({ ...link, context: spanContext(link.context) }));
    const span = scopes[drawn.scope]!.startSpan(
      drawn.name,
      { kind: drawn.kind, attributes: drawn.attributes, links, startTime: drawn.start },
      parent,
    );
    span.setAttributes(drawn.later);
    for (const event of drawn.events) span.addEvent(event.name, event.attributes ?? undefined);
    if (drawn.exception) span.recordException(new Error('boom ✗'));
    if (drawn.status !== undefined) span.setStatus(drawn.status);
    span.end([drawn.start[0] + 1, drawn.start[1]]);
  }
  return memory.getFinishedSpans();
}

describe('encodeSpans on the SDK’s spans', () => {
  it("writes any group of them as OpenTelemetry's serializer does, byte for byte", () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 12 }), (shapes) => {
        const spans = made(shapes);
        const theirs = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!).toString('hex');
        expect(Buffer.from(encodeSpans(spans)!).toString('hex')).toBe(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('gives bytes a protobuf reader decodes to the spans made', () => {
    const [server, client] = made([
      { ...fixed, name: 'Course/get', kind: SpanKind.SERVER },
      { ...fixed, name: 'Course/list', kind: SpanKind.CLIENT, scope: 2 },
    ]);
    const request = decodeTraceRequest(encodeSpans([server!, client!])!);
    const scopeSpans = request.resourceSpans[0]!.scopeSpans;
    expect(scopeSpans.map((of) => of.scope.name)).toEqual(['@strata/rpc', 'mysql2']);
    expect(scopeSpans[0]!.spans[0]).toMatchObject({
      name: 'Course/get',
      spanId: server!.spanContext().spanId,
    });
    expect(scopeSpans[1]!.spans[0]).toMatchObject({
      name: 'Course/list',
      traceId: client!.spanContext().traceId,
    });
  });
});

const fixed: Drawn<typeof shape> = {
  scope: 0,
  name: '',
  kind: SpanKind.INTERNAL,
  attributes: { 'rpc.system': 'strata' },
  later: {},
  parent: undefined,
  events: [],
  links: [],
  status: undefined,
  exception: false,
  start: [1_764_979_200, 5],
};
