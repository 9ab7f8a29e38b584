import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

/**
 * The registry `/metrics` answers on a process's admin port: Node's process and event-loop figures
 * (prom-client's default metrics: CPU, memory, handles, GC, event-loop lag and utilisation) and
 * every series the platform's parts register into it. One per process; series that can come from
 * several services of one process (`npm start` hosts them all) carry a `service` label of their own,
 * and Prometheus adds the target's.
 */
export function processMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The registry's metric of this name, made on first use: parts of several services of one process
 * (embedded mode) share one family instead of failing on a second registration.
 */
export function metricOf<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

const sourcesByRegistry = new WeakMap<Registry, Map<string, Map<string, unknown>>>();

/**
 * The sources (by service) a collected family reads at scrape time, the family made with the
 * first: a process hosting several services (`npm start`) adds each service's queue or pool to the
 * one family of its registry.
 */
export function sourcesOf<Source>(
  registry: Registry,
  name: string,
  make: (sources: ReadonlyMap<string, Source>) => Metric,
): Map<string, Source> {
  let families = sourcesByRegistry.get(registry);
  if (families === undefined) sourcesByRegistry.set(registry, (families = new Map()));
  let sources = families.get(name) as Map<string, Source> | undefined;
  if (sources === undefined) {
    families.set(name, (sources = new Map()));
    make(sources);
  }
  return sources;
}
