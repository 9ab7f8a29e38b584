import { describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode, TraceFlags, type HrTime } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { encodeSpans } from '../src/span-batch.ts';

/*
 * The encoder must write what OpenTelemetry's serializer writes, byte for byte, whatever a span
 * holds: spans are built here as plain ReadableSpans so every kind of value OTLP carries is covered,
 * including those the SDK's own attribute checks would refuse before they got here (the encoder
 * leaves those to OpenTelemetry's serializer). Spans made by the SDK itself are in
 * otlp-span-encoder-sdk.test.ts.
 */

const process1 = resourceFromAttributes({ 'service.name': 'encoder-test', 'process.pid': 4242 });
const process2 = resourceFromAttributes({ 'service.name': 'other' });
const rpcScope = { name: '@strata/rpc', version: '1.0.0' };
const dbScope = { name: 'mysql2', schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' };

function span(
  overrides: Partial<ReadableSpan> & { ids?: Partial<ReturnType<ReadableSpan['spanContext']>> },
): ReadableSpan {
  const { ids, ...rest } = overrides;
  const context = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    ...ids,
  };
  return {
    name: 'Course/get',
    kind: SpanKind.SERVER,
    spanContext: () => context,
    parentSpanContext: undefined,
    startTime: [1_764_979_200, 123_456_789] as HrTime,
    endTime: [1_764_979_200, 987_654_321] as HrTime,
    status: { code: SpanStatusCode.UNSET },
    attributes: {},
    links: [],
    events: [],
    duration: [0, 864_197_532] as HrTime,
    ended: true,
    resource: process1,
    instrumentationScope: rpcScope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...rest,
  };
}

const expectSameBytes = (spans: ReadableSpan[]): void => {
  const ours = Buffer.from(encodeSpans(spans)!);
  const theirs = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  expect(ours.toString('hex')).toBe(theirs.toString('hex'));
};

describe('encodeSpans', () => {
  it("writes an RPC server span as OpenTelemetry's serializer does", () => {
    expectSameBytes([
      span({
        attributes: { 'rpc.system': 'strata', 'rpc.service': 'course', 'rpc.method': 'Course.get' },
        parentSpanContext: {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: '00f067aa0ba902b7',
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
        },
      }),
    ]);
  });

  it('writes every kind of attribute value, events, links, trace state and a failed status', () => {
    expectSameBytes([
      span({
        kind: SpanKind.CLIENT,
        ids: { traceState: new TraceState('vendor=a,other=b') },
        attributes: {
          text: 'ä ✓ 日本',
          empty: '',
          count: 42,
          negative: -7,
          large: 2 ** 40 + 3,
          negativeLarge: -(2 ** 35),
          ratio: 0.25,
          huge: 2 ** 70,
          flag: true,
          off: false,
          strings: ['a', 'b'],
          numbers: [1, 2.5, -3],
          mixed: [true, null as unknown as string, undefined as unknown as string],
          long: 'x'.repeat(300),
          longer: 'y'.repeat(20_000),
        },
        droppedAttributesCount: 3,
        events: [
          { name: 'exception', time: [1_764_979_200, 500], attributes: { 'exception.message': 'deadlock' } },
          { name: 'bare', time: [1_764_979_201, 0], droppedAttributesCount: 1 },
        ],
        droppedEventsCount: 2,
        links: [
          {
            context: {
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: '00f067aa0ba902b7',
              traceFlags: TraceFlags.NONE,
              isRemote: true,
              traceState: new TraceState('k=v'),
            },
            attributes: { 'messaging.operation': 'publish' },
            droppedAttributesCount: 1,
          },
          {
            context: {
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: '00f067aa0ba902b8',
              traceFlags: 1,
            },
          },
        ],
        droppedLinksCount: 1,
        status: { code: SpanStatusCode.ERROR, message: 'NOT_FOUND: no such course ✗' },
      }),
    ]);
  });

  it("leaves what it does not write to OpenTelemetry's serializer: bytes, maps, a kind outside the API's", () => {
    expectSameBytes([span({ attributes: { raw: new Uint8Array([1, 2, 255]) as unknown as string } })]);
    expectSameBytes([span({ attributes: { map: { a: 1, b: ['x'] } as unknown as string } })]);
    expectSameBytes([span({ name: 'fine' }), span({ kind: 9 as SpanKind })]);
  });

  it('writes a scope with attributes, and the same resource and scope again from what it kept', () => {
    const scope = {
      name: 'scoped',
      version: '2',
      attributes: { 'scope.kind': 'x' },
      droppedAttributesCount: 2,
    };
    const spans = [span({ instrumentationScope: scope }), span({ name: 'plain' })];
    expectSameBytes(spans);
    expectSameBytes(spans);
    expectSameBytes([
      span({ resource: process2 }),
      span({ resource: process2, instrumentationScope: scope }),
    ]);
    expectSameBytes(spans.slice(1));
  });

  it('groups spans by process and scope, in the order they first ended, and spans past 2^32 ns and 2^53', () => {
    expectSameBytes([
      span({ name: 'first', kind: SpanKind.INTERNAL }),
      span({ name: 'commit', instrumentationScope: dbScope, kind: SpanKind.CLIENT }),
      span({ name: 'second', resource: process2, kind: SpanKind.PRODUCER }),
      span({
        name: 'third',
        kind: SpanKind.CONSUMER,
        startTime: [0, 1],
        endTime: [4_294_967_297, 999_999_999],
      }),
      span({ name: 'commit again', instrumentationScope: dbScope }),
    ]);
  });

  it('writes a group large enough that its lengths take several bytes', () => {
    const many = Array.from({ length: 300 }, (_, index) =>
      span({ name: `Course/get-${index}`, attributes: { index, 'rpc.service': 'course'.repeat(index % 7) } }),
    );
    expectSameBytes(many);
    expectSameBytes(many.slice(0, 2));
  });
});
