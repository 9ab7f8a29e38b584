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
    // The line names the request's trace (sampled or not) so the services' lines can be found by it.
    const trace = exchange.span?.spanContext();
    this.#logger.info(
      {
        ...(trace === undefined
          ? {}
          : {
              trace_id: trace.traceId,
              span_id: trace.spanId,
              trace_flags: `0${trace.traceFlags.toString(16)}`,
            }),
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
