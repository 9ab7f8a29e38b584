import {
  LabelledChildren,
  LeanCounter,
  LeanHistogram,
  type CounterCell,
  type HistogramCell,
} from '@strata/runtime/plain-process';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamPool } from './upstream-pool.ts';

/**
 * Per-route and per-upstream figures for /metrics on the admin port. Every request counts here, so
 * the families are the runtime's lean ones: each label set's cell is found through nested maps (no
 * key built, no labels hashed per request) and costs an addition or a bucket scan.
 */
export class GatewayMetrics {
  readonly registry: Registry;
  readonly #requests: LabelledChildren<CounterCell>;
  readonly #durations = new Map<string, HistogramCell>();
  readonly #duration: LeanHistogram;
  readonly #attempts: LabelledChildren<CounterCell>;

  /** `shared`: the process's registry, which already collects the process's default metrics. */
  constructor(shared?: Registry) {
    this.registry = shared ?? new Registry();
    if (shared === undefined) collectDefaultMetrics({ register: this.registry, prefix: 'strata_gateway_' });
    const requests = new LeanCounter({
      name: 'strata_gateway_requests_total',
      help: 'Requests answered, by route ("none" when no route matched), method and status',
      registry: this.registry,
    });
    this.#requests = new LabelledChildren((route, method, status) =>
      requests.cell({ route, method, status }),
    );
    this.#duration = new LeanHistogram({
      name: 'strata_gateway_request_duration_seconds',
      help: 'Time from request to response head, by route',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registry: this.registry,
    });
    const attempts = new LeanCounter({
      name: 'strata_gateway_upstream_attempts_total',
      help: 'Attempts sent to upstream instances, by outcome (ok, error, timeout)',
      registry: this.registry,
    });
    this.#attempts = new LabelledChildren((service, instance, outcome) =>
      attempts.cell({ service, instance, outcome }),
    );
  }

  count(route: string, method: string, status: number, seconds: number): void {
    this.#requests.get(route, method, String(status)).inc();
    let duration = this.#durations.get(route);
    if (duration === undefined) {
      duration = this.#duration.cell({ route });
      this.#durations.set(route, duration);
    }
    duration.observe(seconds);
  }

  attempts(service: string, instance: string, outcome: 'ok' | 'error' | 'timeout'): { inc(): void } {
    return this.#attempts.get(service, instance, outcome);
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
