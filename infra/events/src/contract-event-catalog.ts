import { ownTopicFor, topicFor, type EventCatalog } from './event-catalog.ts';
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

/**
 * Every topic a context's events travel on: its context's topic, then one per topic suffix its
 * contract declares for events their producer ships itself (`EventDefinition.topicSuffix`; the
 * links' visits, ADR 0063), named as the context's topic with the suffix appended.
 */
export function contractTopics(contract: Contract, namespace?: string): string[] {
  const suffixes = new Set<string>();
  for (const aggregate of Object.values(contract.aggregates)) {
    for (const definition of Object.values(aggregate.events)) {
      if (definition.topicSuffix !== undefined) suffixes.add(definition.topicSuffix);
    }
  }
  return [
    topicFor(contract.context, namespace),
    ...[...suffixes].map((suffix) => ownTopicFor(contract.context, suffix, namespace)),
  ];
}
