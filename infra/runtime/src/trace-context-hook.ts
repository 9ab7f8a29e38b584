import { context, trace, type Context } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseTraceContext, withTraceContext } from '@strata/rpc';
import { tracingIsOn } from '@strata/telemetry';

/**
 * Makes an incoming request's W3C `traceparent`/`tracestate` the trace context of every data-service
 * call its handler makes, so the events those calls cause carry the request's trace to Kafka. It is
 * entered after the body is parsed (preHandler), as body parsing runs outside the request's async
 * context; a malformed traceparent is ignored, as the spec asks.
 *
 * With tracing on, the HTTP instrumentation has already continued the trace in a server span, and
 * calls carry their own spans; the hook then only names that span after the route template
 * (`POST /courses/:id/publish`), as the HTTP conventions ask and as dashboards group requests.
 */
export function carryTraceContext(fastify: FastifyInstance): void {
  if (tracingIsOn()) {
    continueServerSpan(fastify);
    return;
  }
  fastify.addHook('preHandler', (request, _reply, done) => {
    const context = parseTraceContext(request.headers.traceparent, request.headers.tracestate);
    if (context === undefined) done();
    else withTraceContext(context, done);
  });
}

/**
 * The request arrives inside the HTTP instrumentation's server span (onRequest runs in it); the
 * handler runs after body parsing, which may have left that context, so the span is entered again.
 */
function continueServerSpan(fastify: FastifyInstance): void {
  const started = new WeakMap<FastifyRequest, Context>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    started.set(request, context.active());
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const active = started.get(request) ?? context.active();
    const span = trace.getSpan(active);
    const route = request.routeOptions.url;
    if (route !== undefined && span !== undefined) {
      span.setAttribute('http.route', route);
      span.updateName(`${request.method} ${route}`);
    }
    context.with(active, done);
  });
}
