import type { EventCatalog } from './event-catalog.ts';
import type { Contract, z } from '@strata/shared-kernel';

/** What the outbox needs to know of the events the hosted contracts declare: owning context, version, schema. */
export function contractEventCatalog(...contracts: Contract[]): EventCatalog {
  const events = new Map<string, { context: string; version: number; payload: z.ZodType }>();
  for (const contract of contracts) {
    for (const aggregate of Object.values(contract.aggregates)) {
      for (const [type, definition] of Object.entries(aggregate.events)) {
        events.set(type, {
          context: contract.context,
          version: definition.version,
          payload: definition.payload,
        });
      }
    }
  }
  return {
    describe: (type) => {
      const found = events.get(type);
      return found && { context: found.context, version: found.version };
    },
    schema: (type, version) => {
      const found = events.get(type);
      return found?.version === version ? found.payload : undefined;
    },
  };
}
