import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type SpanContext,
  type TextMapGetter,
} from '@opentelemetry/api';

/**
 * W3C trace context as it travels in RPC metadata, Kafka headers and the outbox envelope: the two
 * header values, nothing else. Propagation goes through the globally registered propagator (W3C
 * trace context), so the wire format is the standard's and not ours.
 */
export interface TraceCarrier {
  traceparent?: string | null | undefined;
  tracestate?: string | null | undefined;
}

/**
 * A sampled parent's header values are read as strings of their own. The ids the propagator parses
 * out of a value are slices of it, and a value msgpackr decoded is itself a slice of one string
 * holding every string of its RPC frame, payload included. A recorded span keeps its parent's ids
 * until its batch is exported, and with them the whole request it came from: ~1 KB per sampled
 * call in bench:rpc, kept past scavenges and promoted. An unsampled parent is kept by no span, so
 * its values are read as they are, at no cost.
 */
const getter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = (carrier as Record<string, string | null | undefined>)[key] ?? undefined;
    if (value === undefined || !isSampledTraceparent(carrier.traceparent)) return value;
    return Buffer.from(value, 'latin1').toString('latin1');
  },
};

/** W3C traceparent `00-<trace id>-<parent id>-<flags>`: the flags' lowest bit says sampled. */
function isSampledTraceparent(traceparent: string | null | undefined): boolean {
  if (typeof traceparent !== 'string' || traceparent.length < 55) return false;
  return (Number.parseInt(traceparent.slice(53, 55), 16) & 1) === 1;
}

/** The trace context of `from` (the active context by default) as header values; empty without a span. */
export function traceCarrierOf(from: Context = context.active()): {
  traceparent?: string;
  tracestate?: string;
} {
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagation.inject(from, carrier);
  return carrier;
}

/**
 * A context whose parent is the span `carrier` names. A served call or a consumed message starts
 * from the root, not from whatever happened to be active, so only what the caller sent is its
 * parent; a missing or malformed traceparent gives the bare root (the W3C spec says to ignore it).
 * `root` is the empty context to start from (LEAN_ROOT_CONTEXT for a per-call hot path).
 */
export function contextFrom(carrier: TraceCarrier, root: Context = ROOT_CONTEXT): Context {
  return propagation.extract(root, carrier, getter);
}

/** The span context `carrier` names, for a link; undefined when it names none. */
function spanContextFrom(carrier: TraceCarrier): SpanContext | undefined {
  return trace.getSpanContext(contextFrom(carrier));
}

/** A link to the span `carrier` names (e.g. an event's creation), or none. */
export function linkTo(carrier: TraceCarrier, attributes?: Link['attributes']): Link[] {
  const linked = spanContextFrom(carrier);
  if (linked === undefined) return [];
  return [attributes === undefined ? { context: linked } : { context: linked, attributes }];
}
