import { beforeAll, describe, expect, it } from '@jest/globals';
import { propagation, ROOT_CONTEXT, SpanKind, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  LEAN_ROOT_CONTEXT,
  unsampledCallerIn,
  unsampledSpanUnder,
  unsampledTraceparent,
} from '../src/index.ts';
import { pooledIdGenerator } from '../src/trace-ids.ts';
import { switchTracingOn } from '../src/tracing-switch.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const VALID_ID = /^[0-9a-f]+$/;

/** What OpenTelemetry's W3C propagator reads from `traceparent` and `tracestate`. */
function propagatorReads(traceparent: string, tracestate?: string): SpanContext | undefined {
  const carrier: Record<string, string> = { traceparent };
  if (tracestate !== undefined) carrier.tracestate = tracestate;
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
}

// Each jest test file has its own module registry: the switch is set here as startTracing sets it.
const root = new TraceIdRatioBasedSampler(0.5);
const seen: string[] = [];
const provider = new TracerProvider({
  sampler: new ParentBasedSampler({ root }),
  spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  idGenerator: pooledIdGenerator,
});
const tracer = provider.getTracer('test');

beforeAll(() => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  switchTracingOn('parentbased_traceidratio', (traceId) => {
    seen.push(traceId);
    return root.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
  });
});

describe('unsampledCallerIn', () => {
  it('reads a plain unsampled traceparent as the W3C propagator does', () => {
    for (const flags of ['00', '02', 'fe']) {
      const traceparent = `00-${TRACE}-${SPAN}-${flags}`;
      expect(unsampledCallerIn(traceparent, undefined)).toEqual(propagatorReads(traceparent));
    }
  });

  it('leaves to the propagator what is sampled, carries a tracestate, or is not the plain form', () => {
    const others = [
      `00-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-03`,
      `01-${TRACE}-${SPAN}-00`,
      `00-${TRACE}-${SPAN}-00-extra`,
      ` 00-${TRACE}-${SPAN}-00`,
    ];
    for (const traceparent of others) expect(unsampledCallerIn(traceparent, undefined)).toBeUndefined();
    expect(unsampledCallerIn(`00-${TRACE}-${SPAN}-00`, 'a=1')).toBeUndefined();
    expect(unsampledCallerIn(`00-${TRACE}-${SPAN}-00`, '')).toBeDefined();
    expect(unsampledCallerIn(undefined, undefined)).toBeUndefined();
    expect(unsampledCallerIn([`00-${TRACE}-${SPAN}-00`], undefined)).toBeUndefined();
  });

  it('refuses what the propagator refuses: zero ids, upper case, other characters', () => {
    const invalid = [
      `00-${'0'.repeat(32)}-${SPAN}-00`,
      `00-${TRACE}-${'0'.repeat(16)}-00`,
      `00-${TRACE.toUpperCase()}-${SPAN}-00`,
      `00-${TRACE}-${SPAN}-0g`,
      `00-${TRACE.slice(0, 31)}x-${SPAN}-00`,
      `00_${TRACE}-${SPAN}-00`,
    ];
    for (const traceparent of invalid) {
      expect(unsampledCallerIn(traceparent, undefined)).toBeUndefined();
      expect(propagatorReads(traceparent)).toBeUndefined();
    }
  });
});

describe('unsampledSpanUnder', () => {
  it('makes a child of an unsampled parent: its trace, a new span id, flags 00', () => {
    const parent = trace.setSpanContext(
      LEAN_ROOT_CONTEXT,
      unsampledCallerIn(`00-${TRACE}-${SPAN}-00`, undefined)!,
    );
    const child = unsampledSpanUnder(parent)!;
    expect(child.traceId).toBe(TRACE);
    expect(child.spanId).toMatch(VALID_ID);
    expect(child.spanId).toHaveLength(16);
    expect(child.spanId).not.toBe(SPAN);
    expect(child.traceFlags).toBe(TraceFlags.NONE);
    expect(unsampledTraceparent(child)).toBe(`00-${TRACE}-${child.spanId}-00`);
  });

  it('leaves a sampled parent, a parent with a tracestate and suppressed tracing to the SDK', () => {
    const sampled = propagation.extract(LEAN_ROOT_CONTEXT, { traceparent: `00-${TRACE}-${SPAN}-01` });
    const withState = propagation.extract(LEAN_ROOT_CONTEXT, {
      traceparent: `00-${TRACE}-${SPAN}-00`,
      tracestate: 'a=1',
    });
    expect(unsampledSpanUnder(sampled)).toBeUndefined();
    expect(unsampledSpanUnder(withState)).toBeUndefined();
    const before = seen.length;
    expect(unsampledSpanUnder(suppressTracing(LEAN_ROOT_CONTEXT))).toBeUndefined();
    expect(seen).toHaveLength(before);
  });

  it("decides a new trace as the SDK's sampler does, on the same trace id", () => {
    let kept = 0;
    for (let call = 0; call < 400; call += 1) {
      const unsampled = unsampledSpanUnder(LEAN_ROOT_CONTEXT);
      const drawn = seen.at(-1)!;
      expect(drawn).toMatch(VALID_ID);
      expect(drawn).toHaveLength(32);
      if (unsampled !== undefined) {
        expect(unsampled.traceId).toBe(drawn);
        expect(unsampled.traceFlags).toBe(TraceFlags.NONE);
        expect(root.shouldSample(ROOT_CONTEXT, drawn).decision).toBe(SamplingDecision.NOT_RECORD);
        continue;
      }
      // Kept: the SDK's span, started next, carries the drawn id and is sampled.
      const span = tracer.startSpan('call', { kind: SpanKind.CLIENT }, LEAN_ROOT_CONTEXT);
      expect(span.spanContext().traceId).toBe(drawn);
      expect(span.isRecording()).toBe(true);
      span.end();
      kept += 1;
    }
    // One in two, give or take: neither always nor never.
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(300);
    // The primed id was used once: the next root span the SDK starts has an id of its own.
    expect(pooledIdGenerator.generateTraceId()).not.toBe(seen.at(-1));
  });
});

describe('pooledIdGenerator', () => {
  it('hands out distinct lowercase hex ids of the W3C lengths, across refills of its pool', () => {
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    for (let id = 0; id < 1_000; id += 1) {
      traceIds.add(pooledIdGenerator.generateTraceId());
      spanIds.add(pooledIdGenerator.generateSpanId());
    }
    expect(traceIds.size).toBe(1_000);
    expect(spanIds.size).toBe(1_000);
    for (const traceId of traceIds) expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const spanId of spanIds) expect(spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});
