import { SpanKind, trace, type Span } from '@opentelemetry/api';
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
  return inSpan(
    tracer,
    `${service}/${method}`,
    { kind: SpanKind.CLIENT, attributes: attributesOf(service, method) },
    async (span) => {
      const response = await send();
      recordAnswer(span, response);
      return response;
    },
  );
}

/**
 * The server's side of a call as a SERVER span, a child of the span the request's metadata names,
 * so the handler's work (the unit of work's commit, its SQL) lands in the caller's trace. With
 * tracing off the handler is returned as it is: served calls pay nothing.
 */
export function tracedHandler(handler: RpcHandler): RpcHandler {
  if (!tracingIsOn()) return handler;
  return (request, signal) =>
    inSpan(
      tracer,
      `${request.service}/${request.method}`,
      { kind: SpanKind.SERVER, attributes: attributesOf(request.service, request.method) },
      async (span) => {
        const response = await handler(request, signal);
        recordAnswer(span, response);
        return response;
      },
      contextFrom(request.metadata),
    );
}

function attributesOf(service: string, method: string): Record<string, string> {
  return { 'rpc.system': 'strata', 'rpc.service': service, 'rpc.method': method };
}

/** A refused or failed call marks its span failed, with the error's code (NOT_FOUND, CONFLICT…). */
function recordAnswer(span: Span, response: RpcResponse): void {
  if (response.ok) return;
  span.setAttribute('rpc.response.status_code', response.error.code);
  markFailed(span, new Error(response.error.message), response.error.code);
}
