import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { markFailed } from '@strata/telemetry';
import type { Exchange } from './exchange.ts';
import type { UpstreamInstance } from './upstream-pool.ts';

/*
 * The gateway's own spans (ADR 0041): a server span per request, continuing the client's trace,
 * and a client span per proxy attempt, whose context goes upstream in `traceparent`. OpenTelemetry's
 * http and undici instrumentations did this before, but paid on every request, sampled or not:
 * attributes gathered, URLs parsed, emitters bound, diagnostics channels published. Here an
 * unsampled request costs the sampler's decision and a non-recording span: its trace context still
 * travels upstream (sampled flag off, so every hop behind agrees), and no attribute, client span,
 * context or active context is made for it.
 */

let tracer: Tracer | undefined;

/**
 * Opens the request's server span on `exchange`, continuing the client's `traceparent` if it sent
 * a valid one; only called when tracing is on.
 */
export function startRequestSpan(exchange: Exchange): void {
  const req = exchange.req;
  const parent =
    req.headers.traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, req.headers);
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
 * Sets `traceparent` (and `tracestate`) on an attempt's upstream headers: a client span's when the
 * request is sampled (returned, for `endAttemptSpan`), else the server span's own context.
 */
export function startAttemptSpan(
  exchange: Exchange,
  entry: UpstreamInstance,
  method: string,
  path: string,
  headers: Record<string, string | string[]>,
): Span | undefined {
  const server = exchange.span!;
  if (!server.isRecording()) {
    // The W3C header written as the propagator would, without its checks: the SDK made these ids.
    const { traceId, spanId, traceFlags, traceState } = server.spanContext();
    headers.traceparent = `00-${traceId}-${spanId}-0${traceFlags & 1}`;
    if (traceState !== undefined) headers.tracestate = traceState.serialize();
    return undefined;
  }
  const span = tracer!.startSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'url.full': entry.origin + path,
        'server.address': entry.instance.host,
        'server.port': entry.instance.port,
      },
    },
    exchange.traceContext,
  );
  propagation.inject(trace.setSpan(exchange.traceContext!, span), headers);
  return span;
}

/** Ends an attempt's client span with the upstream's status, or the error that ended the attempt. */
export function endAttemptSpan(span: Span, outcome: number | Error): void {
  if (typeof outcome !== 'number') markFailed(span, outcome, (outcome as NodeJS.ErrnoException).code);
  else {
    span.setAttribute('http.response.status_code', outcome);
    if (outcome >= 500) {
      span.setAttribute('error.type', String(outcome));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}
