import { describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { AlwaysOffSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import {
  decideNewTrace,
  isRootSampledAtItsSite,
  rootsDecidedAtTheSite,
  SLICE_MS,
  SLICE_TRACES,
} from '../src/root-decision.ts';
import { RootsDecidedAtTheSite } from '../src/roots-decided-at-the-site.ts';
import { switchTracingOn } from '../src/tracing-switch.ts';
import { isUnsampledTraceparent } from '../src/unsampled-traceparent.ts';

// Each jest test file has its own module registry, so the switch starts off here. Every test gives
// the clock from a start of its own, so no slice's decision carries over from another test.
let clock = 0;
/** `count` new traces, each in a slice of its own. */
const decisions = (count: number) => {
  clock += 1_000_000;
  return Array.from({ length: count }, (_, index) => decideNewTrace(clock + index * SLICE_MS));
};

describe('a new trace decided at its span site (ADR 0077)', () => {
  it('is left to the SDK until tracing is on, and for every sampler but the parent-based ratio ones', () => {
    expect(rootsDecidedAtTheSite()).toBe(false);
    for (const sampler of ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on']) {
      switchTracingOn(sampler, 0.1);
      expect(rootsDecidedAtTheSite()).toBe(false);
    }
    switchTracingOn('parentbased_traceidratio', 0.1);
    expect(rootsDecidedAtTheSite()).toBe(true);
    switchTracingOn('parentbased_always_off');
    expect(rootsDecidedAtTheSite()).toBe(true);
  });

  it('carries an unsampled trace on as a valid traceparent with fresh ids and the sampled flag off', () => {
    switchTracingOn('parentbased_always_off');
    const made = decisions(1_000);
    for (const traceparent of made) {
      expect(typeof traceparent).toBe('string');
      expect(isUnsampledTraceparent(traceparent)).toBe(true);
    }
    const traceIds = new Set(made.map((traceparent) => (traceparent as string).slice(3, 35)));
    const parentIds = new Set(made.map((traceparent) => (traceparent as string).slice(36, 52)));
    expect(traceIds.size).toBe(1_000);
    expect(parentIds.size).toBe(1_000);
  });

  it('keeps as many slices of new traces as the ratio says, each trace as a root context the sampler recognises', () => {
    switchTracingOn('parentbased_traceidratio', 1);
    for (const decided of decisions(100)) expect(isRootSampledAtItsSite(decided as Context)).toBe(true);
    switchTracingOn('parentbased_traceidratio', 0.25);
    const sampled = decisions(20_000).filter((decided) => typeof decided !== 'string').length;
    // 20,000 draws at 0.25: the share's standard deviation is 0.003; ±0.02 is over six of them.
    expect(sampled / 20_000).toBeGreaterThan(0.23);
    expect(sampled / 20_000).toBeLessThan(0.27);
  });

  it('keeps or drops together the traces that start in one slice of time, and decides each slice anew', () => {
    switchTracingOn('parentbased_traceidratio', 0.5);
    clock += 1_000_000;
    const slices = Array.from({ length: 400 }, (_, index) => {
      const start = clock + index * SLICE_MS;
      const inSlice = [0, 1, SLICE_MS / 2, SLICE_MS - 0.01].map((at) => typeof decideNewTrace(start + at));
      expect(new Set(inSlice).size).toBe(1);
      return inSlice[0];
    });
    const kept = slices.filter((kind) => kind !== 'string').length;
    // 400 slices at 0.5: the kept share's standard deviation is 0.025; ±0.15 is six of them.
    expect(kept / 400).toBeGreaterThan(0.35);
    expect(kept / 400).toBeLessThan(0.65);
  });

  it('keeps the ratio of new traces when a kept trace takes longer than a dropped one (ADR 0082)', () => {
    // A saturated process: each trace starts when the one before it is done, a kept one five times
    // dearer. A slice of time alone then holds a fifth as many traces when kept, and kept ~2 % at 0.1.
    switchTracingOn('parentbased_traceidratio', 0.1);
    clock += 1_000_000;
    let kept = 0;
    for (let trace = 0; trace < 200_000; trace += 1) {
      const sampled = typeof decideNewTrace(clock) !== 'string';
      if (sampled) kept += 1;
      clock += sampled ? 0.25 : 0.05;
    }
    // 6,250 slices of SLICE_TRACES at 0.1: the kept share's standard deviation is 0.004; ±0.02 is five.
    expect(kept / 200_000).toBeGreaterThan(0.08);
    expect(kept / 200_000).toBeLessThan(0.12);
  });

  it('keeps or drops together at most SLICE_TRACES new traces, however close together they start', () => {
    switchTracingOn('parentbased_traceidratio', 0.5);
    clock += 1_000_000;
    const runs: number[] = [];
    let previous: string | undefined;
    for (let trace = 0; trace < 20_000; trace += 1) {
      const kind = typeof decideNewTrace(clock);
      if (kind === previous) runs[runs.length - 1]! += 1;
      else runs.push(1);
      previous = kind;
    }
    // Runs of one decision are whole slices strung together: each a multiple of SLICE_TRACES.
    for (const run of runs.slice(0, -1)) expect(run % SLICE_TRACES).toBe(0);
    expect(runs.length).toBeGreaterThan(100);
  });

  it("samples a root its site sampled, and leaves every other span, the root's children too, to the wrapped sampler", () => {
    switchTracingOn('parentbased_traceidratio', 1);
    const root = decisions(1)[0] as Context;
    const sampler = new RootsDecidedAtTheSite(new AlwaysOffSampler());
    const decide = (context: Context) =>
      sampler.shouldSample(context, '4bf92f3577b34da6a3ce929d0e0e4736', 'call', SpanKind.CLIENT, {}, [])
        .decision;
    expect(decide(root)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(ROOT_CONTEXT)).toBe(SamplingDecision.NOT_RECORD);
    const child = trace.setSpanContext(root, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    });
    expect(decide(child)).toBe(SamplingDecision.NOT_RECORD);
    expect(sampler.toString()).toBe('RootsDecidedAtTheSite{AlwaysOffSampler}');
  });
});
