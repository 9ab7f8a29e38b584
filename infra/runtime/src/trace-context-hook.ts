import type { FastifyInstance } from 'fastify';
import { parseTraceContext, withTraceContext } from '@strata/rpc';

/**
 * Makes an incoming request's W3C `traceparent`/`tracestate` the trace context of every data-service
 * call its handler makes, so the events those calls cause carry the request's trace to Kafka. It is
 * entered after the body is parsed (preHandler), as body parsing runs outside the request's async
 * context; a malformed traceparent is ignored, as the spec asks.
 */
export function carryTraceContext(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    const context = parseTraceContext(request.headers.traceparent, request.headers.tracestate);
    if (context === undefined) done();
    else withTraceContext(context, done);
  });
}
