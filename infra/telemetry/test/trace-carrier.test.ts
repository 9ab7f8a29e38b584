import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { propagation, trace, type SpanContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { contextFrom } from '../src/trace-carrier.ts';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const FRAME_BYTES = 100_000;

/**
 * A traceparent as msgpackr hands it over: a slice of one long string that holds every string of
 * its frame (the payload's too). The long string is made flat first, so the slice is a V8 sliced
 * string that keeps it alive.
 */
function traceparentInFrame(traceparent: string): string {
  const frame = Buffer.from(`${'p'.repeat(FRAME_BYTES)}${traceparent}`, 'latin1').toString('latin1');
  return frame.slice(FRAME_BYTES);
}

/** Heap bytes still used per span context kept, after the carriers they came from are dropped. */
function heapKeptPerContext(traceparent: (index: number) => string): number {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const count = 100;
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const kept: SpanContext[] = [];
  for (let index = 0; index < count; index += 1) {
    const spanContext = trace.getSpanContext(
      contextFrom({ traceparent: traceparentInFrame(traceparent(index)) }),
    );
    if (spanContext !== undefined) kept.push(spanContext);
  }
  collectGarbage();
  const perContext = (process.memoryUsage().heapUsed - before) / count;
  expect(kept).toHaveLength(count);
  propagation.disable();
  return perContext;
}

const hex = (index: number, length: number): string => (index + 1).toString(16).padStart(length, '0');

describe('contextFrom', () => {
  it('keeps a sampled parent’s ids apart from the frame they were decoded from', () => {
    const perContext = heapKeptPerContext((index) => `00-${hex(index, 32)}-${hex(index, 16)}-01`);
    // Each frame is 100 KB; a context that kept its frame would keep that much.
    expect(perContext).toBeLessThan(FRAME_BYTES / 10);
  });

  it('reads the same span context from a sampled traceparent as the propagator does', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(
      trace.getSpanContext(contextFrom({ traceparent: traceparentInFrame(traceparent), tracestate: 'a=1' })),
    ).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
      traceState: expect.objectContaining({}),
    });
    propagation.disable();
  });
});
