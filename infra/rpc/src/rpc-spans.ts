import {
  context,
  propagation,
  SpanKind,
  trace,
  TraceFlags,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import {
  contextFrom,
  decideNewTrace,
  LEAN_ROOT_CONTEXT,
  leanIfRoot,
  markFailed,
  rootsDecidedAtTheSite,
  tracingIsOn,
  unsampledParentsDecide,
} from '@strata/telemetry';
import type { CallMetadata, RpcHandler, RpcResponse } from './protocol.ts';

/*
 * A call's two spans, named and attributed as OpenTelemetry's RPC conventions say
 * (`<service>/<Aggregate.method>`, `rpc.service`, `rpc.method`, the error code of a failed answer).
 * The client's span travels in the request's metadata as W3C `traceparent`/`tracestate`
 * (docs/rpc-wire-format.md) and the server's span is its child. Both exist only with tracing on.
 */

const tracer = trace.getTracer('@strata/rpc');

/**
 * One CLIENT span per contract call, around every attempt governance makes (retries, hedges and
 * failover are one call to the caller). The span's context is written into `carrier` (the
 * request's metadata) when one is given, so the server continues the trace.
 *
 * The SDK decides sampling once, when the span starts. An unsampled call (nine in ten at the
 * platform's ratio, ADR 0032) records nothing anywhere, so it only writes its context, with the
 * sampled flag off, and sends: no active context, no wrapper promise, no end (ADR 0040). A call
 * that starts a trace is decided before any span is made (ADR 0077): unsampled, it makes none.
 */
export function inClientSpan(
  service: string,
  method: string,
  carrier: CallMetadata | undefined,
  send: () => Promise<RpcResponse>,
): Promise<RpcResponse> {
  const shape = shapeOf(service, method);
  // A root call (no HTTP request or event around it) starts from the lean root: see lean-context.ts.
  let parent = leanIfRoot(context.active());
  if (parent === LEAN_ROOT_CONTEXT && rootsDecidedAtTheSite()) {
    // It starts a trace: decided here, an unsampled one is only its traceparent (ADR 0077).
    const decided = decideNewTrace();
    if (typeof decided === 'string') {
      if (carrier !== undefined) carrier.traceparent = decided;
      return send();
    }
    parent = decided;
  }
  const span = tracer.startSpan(shape.name, shape.client, parent);
  const active = trace.setSpan(parent, span);
  if (carrier !== undefined) propagation.inject(active, carrier);
  if (!span.isRecording()) return send();
  return context.with(active, () => recorded(span, send));
}

/**
 * The server's side of a call as a SERVER span, a child of the span the request's metadata names,
 * so the handler's work (the unit of work's commit, its SQL) lands in the caller's trace. With
 * tracing off the handler is returned as it is: served calls pay nothing. An unsampled call runs
 * the handler in the incoming context (so what it causes, an event's envelope, carries the trace
 * with the sampled flag off) without the span's bookkeeping.
 */
export function tracedHandler(handler: RpcHandler): RpcHandler {
  if (!tracingIsOn()) return handler;
  return (request, signal) => {
    const shape = shapeOf(request.service, request.method);
    const parent = contextFrom(request.metadata, LEAN_ROOT_CONTEXT);
    // The caller decided: with a parent-based sampler its unsampled call is unsampled here too, so
    // no span is started (no id, no sampler, no attributes); the handler runs in its context.
    if (unsampledParentsDecide()) {
      const caller = trace.getSpanContext(parent);
      if (caller !== undefined && (caller.traceFlags & TraceFlags.SAMPLED) === 0)
        return context.with(parent, handler, undefined, request, signal);
    }
    const span = tracer.startSpan(shape.name, shape.server, parent);
    const active = trace.setSpan(parent, span);
    if (!span.isRecording()) return context.with(active, handler, undefined, request, signal);
    return context.with(active, () => recorded(span, () => handler(request, signal)));
  };
}

/** Runs `work` for a recording span, records its answer (or what it threw) and ends the span. */
async function recorded(span: Span, work: () => Promise<RpcResponse>): Promise<RpcResponse> {
  try {
    const response = await work();
    recordAnswer(span, response);
    return response;
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** A method's span name and options, both sides. */
interface CallSpanShape {
  readonly name: string;
  readonly client: SpanOptions;
  readonly server: SpanOptions;
}

const shapes = new Map<string, Map<string, CallSpanShape>>();
/** A caller naming methods that do not exist must not grow the cache without end. */
const MAX_CACHED_METHODS = 1_024;

/**
 * Made once per service and method (the data service refuses requests for other services before
 * this) and reused by every call: a name string and two options objects
 * fewer per span. The SDK copies the attributes into each span it records, so sharing them is safe.
 */
function shapeOf(service: string, method: string): CallSpanShape {
  let methods = shapes.get(service);
  if (methods === undefined) shapes.set(service, (methods = new Map()));
  let shape = methods.get(method);
  if (shape === undefined) {
    const attributes = Object.freeze({
      'rpc.system': 'strata',
      'rpc.service': service,
      'rpc.method': method,
    });
    shape = {
      name: `${service}/${method}`,
      client: { kind: SpanKind.CLIENT, attributes },
      server: { kind: SpanKind.SERVER, attributes },
    };
    if (methods.size < MAX_CACHED_METHODS) methods.set(method, shape);
  }
  return shape;
}

/** A refused or failed call marks its span failed, with the error's code (NOT_FOUND, CONFLICT…). */
function recordAnswer(span: Span, response: RpcResponse): void {
  if (response.ok) return;
  span.setAttribute('rpc.response.status_code', response.error.code);
  markFailed(span, new Error(response.error.message), response.error.code);
}
