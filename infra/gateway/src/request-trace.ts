import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Tracer,
} from '@opentelemetry/api';
import {
  decideNewTrace,
  isUnsampledTraceparent,
  LEAN_ROOT_CONTEXT,
  rootsDecidedAtTheSite,
  unsampledParentsDecide,
} from '@strata/telemetry';
import type { Exchange } from './exchange.ts';
import type { UpstreamInstance } from './upstream-pool.ts';

/*
 * The gateway's own span (ADR 0041): one server span per request, continuing the client's trace,
 * whose context goes upstream in `traceparent`; the proxy attempts are its attributes and events,
 * not spans of their own (as Envoy does unless told to spawn upstream spans). OpenTelemetry's http
 * and undici instrumentations made a server and a client span, and paid on every request, sampled
 * or not: attributes gathered, URLs parsed, emitters bound, diagnostics channels published. Here an
 * unsampled request costs the sampler's decision and a non-recording span: its trace context still
 * travels upstream (sampled flag off, so every hop behind agrees), and no attribute, context or
 * active context is made for it. A request whose caller already decided not to sample (a valid
 * unsampled `traceparent`, with a parent-based sampler) costs less still: no span at all, and its
 * trace context goes upstream as it came (ADR 0068); so does a request without one that the
 * gateway's own ratio does not sample, with a trace context made for it (ADR 0077).
 */

let tracer: Tracer | undefined;

/**
 * Opens the request's server span on `exchange`, continuing the client's `traceparent` if it sent
 * a valid one; or, when that parent is unsampled and the sampler follows parents, keeps the header
 * to send upstream as it came instead. Only called when tracing is on.
 */
export function startRequestSpan(exchange: Exchange): void {
  const req = exchange.req;
  const traceparent = req.headers.traceparent;
  if (unsampledParentsDecide() && isUnsampledTraceparent(traceparent)) {
    exchange.callerTraceparent = traceparent;
    return;
  }
  let parent: Context;
  if (traceparent === undefined && rootsDecidedAtTheSite()) {
    // The request starts a trace: decided here, an unsampled one is only its traceparent, sent
    // upstream and logged as a caller's would be (ADR 0077).
    const decided = decideNewTrace();
    if (typeof decided === 'string') {
      exchange.callerTraceparent = decided;
      return;
    }
    parent = decided;
  } else {
    // The lean root (ADR 0040): a sampled request's contexts are then one small object each.
    parent =
      traceparent === undefined ? LEAN_ROOT_CONTEXT : propagation.extract(LEAN_ROOT_CONTEXT, req.headers);
  }
  const method = req.method ?? 'GET';
  const span = (tracer ??= trace.getTracer('@strata/gateway')).startSpan(
    method,
    { kind: SpanKind.SERVER },
    parent,
  );
  exchange.span = span;
  if (!span.isRecording()) return;
  exchange.traceContext = trace.setSpan(parent, span);
  const target = req.url ?? '/';
  const query = target.indexOf('?');
  span.setAttributes({
    'http.request.method': method,
    'url.path': query === -1 ? target : target.slice(0, query),
    'url.scheme': 'http',
    'client.address': req.socket.remoteAddress ?? 'unknown',
  });
  if (query !== -1) span.setAttribute('url.query', target.slice(query + 1));
  const userAgent = req.headers['user-agent'];
  if (userAgent !== undefined) span.setAttribute('user_agent.original', userAgent);
}

/**
 * Runs the request's plugins inside its span's context when the span records, so the work they do
 * (a Redis rate limit, a key set fetch) joins the trace; an unsampled request skips the context.
 */
export function inRequestSpan<T>(exchange: Exchange, work: () => Promise<T>): Promise<T> {
  return exchange.span?.isRecording() === true ? context.with(exchange.traceContext!, work) : work();
}

/** Ends the server span once the response closed, with what the client got. */
export function endRequestSpan(exchange: Exchange): void {
  const span = exchange.span!;
  if (span.isRecording()) {
    const status = exchange.res.statusCode;
    if (exchange.route !== undefined) {
      span.updateName(`${exchange.req.method ?? 'GET'} ${exchange.route.prefix}`);
      span.setAttribute('strata.gateway.route', exchange.route.name);
    }
    span.setAttribute('http.response.status_code', status);
    if (!exchange.res.writableFinished) span.setAttribute('error.type', 'client-closed');
    else if (status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

/**
 * Sets the request's trace context on its upstream headers: the server span's, sampled or not, so
 * the upstream's span is its child and every hop behind follows its sampling decision. Written as
 * the W3C propagator would, without its validity checks: the SDK made these ids. Without a span,
 * the unsampled `traceparent` the request goes on with: the caller's, already forwarded with its
 * `tracestate`, or the one the gateway made for a new trace (ADR 0077).
 */
export function sendTraceContextUpstream(
  exchange: Exchange,
  headers: Record<string, string | string[]>,
): void {
  if (exchange.span === undefined) {
    headers.traceparent = exchange.callerTraceparent!;
    return;
  }
  const { traceId, spanId, traceFlags, traceState } = exchange.span.spanContext();
  headers.traceparent = `00-${traceId}-${spanId}-0${traceFlags & 1}`;
  if (traceState !== undefined) headers.tracestate = traceState.serialize();
}

/**
 * On a sampled request, which instance a proxy attempt went to (the last one's stays on the span),
 * and, as an event, why an attempt failed: a retry on another instance shows as two events.
 */
export function recordAttempt(exchange: Exchange, entry: UpstreamInstance, outcome: number | Error): void {
  const span = exchange.span!;
  if (!span.isRecording()) return;
  span.setAttributes({
    'strata.upstream.instance': entry.instance.id,
    'strata.upstream.origin': entry.origin,
  });
  if (typeof outcome === 'number') span.setAttribute('strata.upstream.status_code', outcome);
  else
    span.addEvent('upstream attempt failed', {
      'strata.upstream.instance': entry.instance.id,
      'error.type': (outcome as NodeJS.ErrnoException).code ?? outcome.name,
      'exception.message': outcome.message,
    });
}
