import type { TargetStats } from '@strata/rpc';
import { Gauge, type Registry } from 'prom-client';
import { sourcesOf } from './process-metrics.ts';

/**
 * `strata_rpc_client_instances{target, state}` — the instances of each data service a caller sees
 * (`registered`) and how many of them its circuit breakers hold `open` or `half_open` — and
 * `strata_rpc_client_pending{target}`, its calls in flight; read from the invokers at scrape time.
 */
export function meterRpcClients(
  caller: string,
  connections: readonly { stats(): TargetStats[] }[],
  registry: Registry,
): void {
  const sources = sourcesOf<readonly { stats(): TargetStats[] }[]>(
    registry,
    'strata_rpc_client_instances',
    (all) => {
      const statsOf = () =>
        [...all.values()].flatMap((list) => list.flatMap((connection) => connection.stats()));
      new Gauge({
        name: 'strata_rpc_client_pending',
        help: 'RPC calls in flight from this process, by target service',
        labelNames: ['target'],
        registers: [registry],
        collect() {
          for (const stats of statsOf()) this.set({ target: stats.service }, stats.pending);
        },
      });
      return new Gauge({
        name: 'strata_rpc_client_instances',
        help: 'Instances of a target service this process sees, and those its circuit breakers hold open or half-open',
        labelNames: ['target', 'state'],
        registers: [registry],
        collect() {
          for (const stats of statsOf()) {
            this.set({ target: stats.service, state: 'registered' }, stats.instances);
            this.set({ target: stats.service, state: 'open' }, stats.openBreakers);
            this.set({ target: stats.service, state: 'half_open' }, stats.halfOpenBreakers);
          }
        },
      });
    },
  );
  sources.set(caller, connections);
}
