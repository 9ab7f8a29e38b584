import { createContextKey, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';
import { newSpanId, newTraceId, primeTraceId } from './trace-ids.ts';
import { rootDecision } from './tracing-switch.ts';

/*
 * An unsampled span without the SDK (ADR 0064). At the platform's one trace in ten (ADR 0032) nine
 * calls and requests in ten are not sampled, and each paid the SDK's `startSpan` for that answer:
 * ids, the span's attributes sanitized before the sampler is asked, the sampler chain, a
 * non-recording span, then a context and the propagator to write a `traceparent` with the flag off
 * (~2.6 µs per RPC root call under the profiler, bench/README.md). With a `parentbased_*` sampler
 * the answer is known beforehand: a child of an unsampled parent is not sampled, and a new trace is
 * sampled as the root sampler says of its trace id. A span site asks here first, and only a span
 * that will be sampled goes to the SDK, which decides the same way on the same id.
 */

/** The key OpenTelemetry's core sets in a context to suppress tracing (an exporter's own requests). */
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * The span context of the span `startSpan` would start under `parent` and not sample, made without
 * the SDK, when the configured sampler is a `parentbased_*` one: a child of an unsampled parent
 * (its trace id, a new span id, flags 00), or a new trace whose root sampler says no about the
 * trace id drawn here. Undefined when the SDK must start the span: any other sampler or tracing
 * off, a sampled parent, a parent with a tracestate (the SDK carries it over), tracing suppressed,
 * or a new trace the root sampler keeps: its trace id is then primed, so the SDK's `startSpan`,
 * called next and synchronously, carries it and decides the same. Only for span sites that are not
 * database statements (`OrphanStatementsDropped` decides those apart).
 */
export function unsampledSpanUnder(parent: Context): SpanContext | undefined {
  const rootKeeps = rootDecision();
  if (rootKeeps === undefined || parent.getValue(SUPPRESS_TRACING) === true) return undefined;
  const caller = trace.getSpanContext(parent);
  if (caller === undefined || !trace.isSpanContextValid(caller)) {
    const traceId = newTraceId();
    if (!rootKeeps(traceId)) return { traceId, spanId: newSpanId(), traceFlags: TraceFlags.NONE };
    primeTraceId(traceId);
    return undefined;
  }
  if ((caller.traceFlags & TraceFlags.SAMPLED) !== 0 || caller.traceState !== undefined) return undefined;
  return { traceId: caller.traceId, spanId: newSpanId(), traceFlags: TraceFlags.NONE };
}

/** An unsampled span's W3C `traceparent` (version 00, flags 00). */
export function unsampledTraceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-00`;
}

/**
 * The caller's span context from an incoming `traceparent` that says "not sampled", read without
 * the propagator and with the W3C checks it makes (version 00, lowercase hex, non-zero ids), in
 * its plain form only: exactly 55 characters and no `tracestate` beside it. Undefined for anything
 * else (sampled, another version, a tracestate, malformed), which the propagator then reads.
 */
export function unsampledCallerIn(traceparent: unknown, tracestate: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string' || traceparent.length !== 55) return undefined;
  if (tracestate !== undefined && tracestate !== null && tracestate !== '') return undefined;
  if (traceparent.charCodeAt(0) !== 48 || traceparent.charCodeAt(1) !== 48) return undefined;
  if (
    traceparent.charCodeAt(2) !== 45 ||
    traceparent.charCodeAt(35) !== 45 ||
    traceparent.charCodeAt(52) !== 45
  )
    return undefined;
  const flags = (hexDigit(traceparent.charCodeAt(53)) << 4) | hexDigit(traceparent.charCodeAt(54));
  if (flags < 0 || (flags & TraceFlags.SAMPLED) !== 0) return undefined;
  if (!isNonZeroHex(traceparent, 3, 35) || !isNonZeroHex(traceparent, 36, 52)) return undefined;
  return {
    traceId: traceparent.slice(3, 35),
    spanId: traceparent.slice(36, 52),
    traceFlags: flags,
    isRemote: true,
  };
}

/** A lowercase hex digit's value, or a negative number for any other character. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -256;
}

/** Whether `value[from, to)` is lowercase hex and not all zeros. */
function isNonZeroHex(value: string, from: number, to: number): boolean {
  let any = 0;
  for (let i = from; i < to; i += 1) {
    const digit = hexDigit(value.charCodeAt(i));
    if (digit < 0) return false;
    any |= digit;
  }
  return any !== 0;
}
