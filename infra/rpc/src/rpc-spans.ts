import { SpanKind, trace, type Span, type SpanOptions } from '@opentelemetry/api';
import { contextFrom, inSpan, markFailed, tracingIsOn } from '@strata/telemetry';
import type { RpcHandler, RpcResponse } from './protocol.ts';

/*
 * A call's two spans, named and attributed as OpenTelemetry's RPC conventions say
 * (`<service>/<Aggregate.method>`, `rpc.service`, `rpc.method`, the error code of a failed answer).
 * The client's span travels in the request's metadata as W3C `traceparent`/`tracestate`
 * (docs/rpc-wire-format.md) and the server's span is its child. Both exist only with tracing on.
 */

const tracer = trace.getTracer('@strata/rpc');

/**
 * One CLIENT span per contract call, around every attempt governance makes (retries, hedges and
 * failover are one call to the caller). `send` runs with the span active, so it can put the span
 * in the request's metadata.
 */
export function inClientSpan(
  service: string,
  method: string,
  send: () => Promise<RpcResponse>,
): Promise<RpcResponse> {
  const shape = shapeOf(service, method);
  return inSpan(tracer, shape.name, shape.client, async (span) => {
    const response = await send();
    recordAnswer(span, response);
    return response;
  });
}

/**
 * The server's side of a call as a SERVER span, a child of the span the request's metadata names,
 * so the handler's work (the unit of work's commit, its SQL) lands in the caller's trace. With
 * tracing off the handler is returned as it is: served calls pay nothing.
 */
export function tracedHandler(handler: RpcHandler): RpcHandler {
  if (!tracingIsOn()) return handler;
  return (request, signal) => {
    const shape = shapeOf(request.service, request.method);
    return inSpan(
      tracer,
      shape.name,
      shape.server,
      async (span) => {
        const response = await handler(request, signal);
        recordAnswer(span, response);
        return response;
      },
      contextFrom(request.metadata),
    );
  };
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
