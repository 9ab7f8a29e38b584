import { Gauge, type Registry } from 'prom-client';

export type OutboxBacklog = () => Promise<{ unsent: number; oldestCreatedAtMs: number | null }>;

const backlogsByRegistry = new WeakMap<Registry, Map<string, OutboxBacklog>>();

/**
 * `strata_outbox_unsent_events{service}` and `strata_outbox_oldest_unsent_age_seconds{service}`, read
 * from each outbox at scrape time. The gauges are made once per registry and read every outbox
 * registered to it: `npm start` hosts every data service in one process. A database that does not
 * answer leaves its service's figures out rather than failing the whole scrape.
 */
export function meterOutbox(registry: Registry, service: string, backlog: OutboxBacklog): void {
  let backlogs = backlogsByRegistry.get(registry);
  if (backlogs === undefined) {
    const all = (backlogs = new Map());
    backlogsByRegistry.set(registry, all);
    // One backlog query per outbox serves both gauges in a scrape.
    const pending = new Map<string, ReturnType<OutboxBacklog>>();
    const read = (name: string, of: OutboxBacklog) => {
      let figures = pending.get(name);
      if (figures === undefined) {
        figures = of().finally(() => setImmediate(() => pending.delete(name)));
        pending.set(name, figures);
      }
      return figures.catch(() => undefined);
    };
    new Gauge({
      name: 'strata_outbox_unsent_events',
      help: 'Events committed to the outbox and not yet acknowledged by the broker',
      labelNames: ['service'],
      registers: [registry],
      async collect() {
        for (const [name, of] of all) {
          const figures = await read(name, of);
          if (figures === undefined) this.remove({ service: name });
          else this.set({ service: name }, figures.unsent);
        }
      },
    });
    new Gauge({
      name: 'strata_outbox_oldest_unsent_age_seconds',
      help: 'Age of the oldest event waiting in the outbox (0 when none waits): the relay lag',
      labelNames: ['service'],
      registers: [registry],
      async collect() {
        for (const [name, of] of all) {
          const figures = await read(name, of);
          if (figures === undefined) this.remove({ service: name });
          else
            this.set(
              { service: name },
              figures.oldestCreatedAtMs === null
                ? 0
                : Math.max(0, (Date.now() - figures.oldestCreatedAtMs) / 1000),
            );
        }
      },
    });
  }
  backlogs.set(service, backlog);
}
