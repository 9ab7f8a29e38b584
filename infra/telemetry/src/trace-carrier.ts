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

const getter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (carrier as Record<string, string | null | undefined>)[key] ?? undefined,
};

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
