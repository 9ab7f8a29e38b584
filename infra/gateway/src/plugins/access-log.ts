import type { Logger } from 'pino';
import type { Exchange } from '../exchange.ts';
import type { GatewayMetrics } from '../gateway-metrics.ts';
import type { GatewayPlugin } from './plugin.ts';

/** The log phase: counts every request in the metrics and writes one access log line at info. */
export class AccessLogPlugin implements GatewayPlugin {
  readonly name = 'access-log';
  readonly #metrics: GatewayMetrics;
  readonly #logger: Logger;

  constructor(metrics: GatewayMetrics, logger: Logger) {
    this.#metrics = metrics;
    this.#logger = logger;
  }

  log(exchange: Exchange): void {
    const { req, res } = exchange;
    const route = exchange.route?.name ?? 'none';
    const status = res.statusCode;
    const durationMs = performance.now() - exchange.started;
    this.#metrics.count(route, req.method ?? 'UNKNOWN', status, durationMs / 1000);
    if (!this.#logger.isLevelEnabled('info')) return;
    this.#logger.info(
      {
        ...traceFieldsOf(exchange),
        requestId: exchange.requestId,
        method: req.method,
        url: req.url,
        route,
        status,
        durationMs: Math.round(durationMs * 100) / 100,
        upstream: exchange.upstream?.instance.id,
        userId: exchange.identity?.userId,
        completed: res.writableFinished,
      },
      'request',
    );
  }
}

/**
 * The fields that name the request's trace (sampled or not), so the services' lines can be found by
 * it: the gateway's span, or, for a caller's unsampled trace passed on as it came, the caller's span,
 * which is then the parent of the upstream's work (as a served RPC call's lines name it, ADR 0040).
 */
function traceFieldsOf(exchange: Exchange): { trace_id?: string; span_id?: string; trace_flags?: string } {
  if (exchange.span !== undefined) {
    const trace = exchange.span.spanContext();
    return {
      trace_id: trace.traceId,
      span_id: trace.spanId,
      trace_flags: `0${trace.traceFlags.toString(16)}`,
    };
  }
  const caller = exchange.callerTraceparent;
  if (caller === undefined) return {};
  return { trace_id: caller.slice(3, 35), span_id: caller.slice(36, 52), trace_flags: caller.slice(53, 55) };
}
