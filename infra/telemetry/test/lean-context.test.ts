import { beforeAll, describe, expect, it } from '@jest/globals';
import { createContextKey, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { contextFrom, LEAN_ROOT_CONTEXT, leanIfRoot } from '../src/index.ts';

const key = createContextKey('a');
const other = createContextKey('b');

describe('LEAN_ROOT_CONTEXT', () => {
  // As startTracing registers it.
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  it('behaves as an immutable OpenTelemetry context: set, read, shadow, delete', () => {
    const one = LEAN_ROOT_CONTEXT.setValue(key, 1);
    const two = one.setValue(other, 2).setValue(key, 3);
    expect(LEAN_ROOT_CONTEXT.getValue(key)).toBeUndefined();
    expect(one.getValue(key)).toBe(1);
    expect(one.getValue(other)).toBeUndefined();
    expect(two.getValue(key)).toBe(3);
    expect(two.getValue(other)).toBe(2);
    const deleted = two.deleteValue(key);
    expect(deleted.getValue(key)).toBeUndefined();
    expect(deleted.getValue(other)).toBe(2);
    expect(two.getValue(key)).toBe(3);
  });

  it('carries an incoming trace context as the API root does', () => {
    const carrier = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00',
      tracestate: 'a=1',
    };
    const lean = trace.getSpanContext(contextFrom(carrier, LEAN_ROOT_CONTEXT));
    const standard = trace.getSpanContext(contextFrom(carrier));
    expect(standard).toBeDefined();
    expect(lean?.traceId).toBe(standard?.traceId);
    expect(lean?.spanId).toBe(standard?.spanId);
    expect(lean?.traceFlags).toBe(TraceFlags.NONE);
    expect(lean?.isRemote).toBe(standard?.isRemote);
    expect(lean?.traceState?.serialize()).toBe(standard?.traceState?.serialize());
  });

  it('replaces only the API root', () => {
    expect(leanIfRoot(ROOT_CONTEXT)).toBe(LEAN_ROOT_CONTEXT);
    const set = ROOT_CONTEXT.setValue(key, 1);
    expect(leanIfRoot(set)).toBe(set);
  });
});
