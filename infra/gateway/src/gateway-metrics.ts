import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamPool } from './upstream-pool.ts';

type Child = { inc(): void };
type HistogramChild = { observe(value: number): void };

/** Per-route and per-upstream figures for /metrics on the admin port. */
export class GatewayMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly duration: Histogram<'route'>;
  readonly upstreamAttempts: Counter<'service' | 'instance' | 'outcome'>;

  // Children are looked up once per label set: hashing the labels on every request costs more
  // than the increment itself.
  readonly #requestChildren = new Map<string, Child>();
  readonly #durationChildren = new Map<string, HistogramChild>();
  readonly #attemptChildren = new Map<string, Child>();

  /** `shared`: the process's registry, which already collects the process's default metrics. */
  constructor(shared?: Registry) {
    this.registry = shared ?? new Registry();
    if (shared === undefined) collectDefaultMetrics({ register: this.registry, prefix: 'strata_gateway_' });
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

  count(route: string, method: string, status: number, seconds: number): void {
    const key = `${route} ${method} ${status}`;
    let requests = this.#requestChildren.get(key);
    if (requests === undefined) {
      requests = this.requests.labels(route, method, String(status));
      this.#requestChildren.set(key, requests);
    }
    requests.inc();
    let duration = this.#durationChildren.get(route);
    if (duration === undefined) {
      duration = this.duration.labels(route);
      this.#durationChildren.set(route, duration);
    }
    duration.observe(seconds);
  }

  attempts(service: string, instance: string, outcome: 'ok' | 'error' | 'timeout'): Child {
    const key = `${service} ${instance} ${outcome}`;
    let child = this.#attemptChildren.get(key);
    if (child === undefined) {
      child = this.upstreamAttempts.labels(service, instance, outcome);
      this.#attemptChildren.set(key, child);
    }
    return child;
  }

  /**
   * `strata_gateway_upstream_instances{service, state}`: each service's instances the registry
   * lists, `healthy` or `ejected` (breaker open, until a health check passes), read at scrape time.
   */
  watchUpstreams(pools: ReadonlyMap<string, UpstreamPool>): void {
    new Gauge({
      name: 'strata_gateway_upstream_instances',
      help: 'Upstream instances by service and state: healthy, or ejected (circuit breaker open)',
      labelNames: ['service', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [service, pool] of pools) {
          const views = pool.views();
          const healthy = views.filter((view) => view.healthy).length;
          this.set({ service, state: 'healthy' }, healthy);
          this.set({ service, state: 'ejected' }, views.length - healthy);
        }
      },
    });
  }
}
