import type { AggregateRoot } from '../../src/index.ts';

/**
 * The event an aggregate is expected to have recorded by its next save: typed, with the payload
 * given, for the version after the one it was loaded at.
 */
export function expectedEvent(aggregate: AggregateRoot, type: string, payload: unknown, occurredAt: string) {
  return {
    type,
    payload,
    aggregateType: aggregate.aggregateType,
    aggregateId: aggregate.id,
    aggregateVersion: aggregate.version + 1,
    occurredAt: new Date(occurredAt),
  };
}
