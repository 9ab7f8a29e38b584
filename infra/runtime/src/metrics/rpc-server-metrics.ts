import type { RpcHandler } from '@strata/rpc';
import { Histogram, type Registry } from 'prom-client';
import { metricOf } from './process-metrics.ts';
import { LabelledChildren } from './labelled-children.ts';

/** Fine at the fast end: an aggregate call on a warm pool answers in about a millisecond. */
export const RPC_SECONDS_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/**
 * A data service's handler, timed: `strata_rpc_server_duration_seconds{service, method, code}`, one
 * histogram whose count is the rate, whose `code` (OK or the typed error code) gives the errors and
 * whose buckets give the duration (RED). Wrapped around the handler, so the transport's hot path
 * gains nothing but this one call; the label children are looked up without building a key.
 */
export function meterRpcHandler(handler: RpcHandler, registry: Registry): RpcHandler {
  const histogram = metricOf(
    registry,
    'strata_rpc_server_duration_seconds',
    () =>
      new Histogram({
        name: 'strata_rpc_server_duration_seconds',
        help: 'Aggregate RPC calls served, by service, method and answer code (OK or the error code)',
        labelNames: ['service', 'method', 'code'],
        buckets: RPC_SECONDS_BUCKETS,
        registers: [registry],
      }),
  );
  const children = new LabelledChildren((service, method, code) => histogram.labels(service, method, code));
  return async (request, signal) => {
    const started = performance.now();
    let code = 'INTERNAL';
    try {
      const response = await handler(request, signal);
      code = response.ok ? 'OK' : response.error.code;
      return response;
    } finally {
      children.get(request.service, request.method, code).observe((performance.now() - started) / 1000);
    }
  };
}
