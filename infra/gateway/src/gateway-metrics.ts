import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Per-route and per-upstream figures for /metrics on the admin port. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly duration: Histogram<'route'>;
  readonly upstreamAttempts: Counter<'service' | 'instance' | 'outcome'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'strata_gateway_' });
    this.requests = new Counter({
      name: 'strata_gateway_requests_total',
      help: 'Requests answered, by route ("none" when no route matched), method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'strata_gateway_request_duration_seconds',
      help: 'Time from request to response head, by route',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.upstreamAttempts = new Counter({
      name: 'strata_gateway_upstream_attempts_total',
      help: 'Attempts sent to upstream instances, by outcome (ok, error, timeout)',
      labelNames: ['service', 'instance', 'outcome'],
      registers: [this.registry],
    });
  }
}
