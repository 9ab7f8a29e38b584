import { describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { OrphanStatementsDropped } from '../src/orphan-statements-dropped.ts';

const sampler = new OrphanStatementsDropped(new AlwaysOnSampler());
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const inTrace = trace.setSpanContext(ROOT_CONTEXT, {
  traceId,
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
});
const decide = (context: typeof ROOT_CONTEXT, kind: SpanKind, attributes: Record<string, string>) =>
  sampler.shouldSample(context, traceId, 'select', kind, attributes, []).decision;

describe('OrphanStatementsDropped', () => {
  it('drops a database statement outside any trace (a poll), and keeps one inside traced work', () => {
    expect(decide(ROOT_CONTEXT, SpanKind.CLIENT, { 'db.system.name': 'mysql' })).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(decide(ROOT_CONTEXT, SpanKind.CLIENT, { 'db.system': 'redis' })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(inTrace, SpanKind.CLIENT, { 'db.system.name': 'mysql' })).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('leaves every other span to the sampler it wraps', () => {
    expect(decide(ROOT_CONTEXT, SpanKind.SERVER, {})).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(ROOT_CONTEXT, SpanKind.CLIENT, { 'rpc.system': 'strata' })).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(sampler.toString()).toBe('OrphanStatementsDropped{AlwaysOnSampler}');
  });
});
