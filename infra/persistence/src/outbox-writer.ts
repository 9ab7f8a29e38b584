import type { SqlEntityManager } from '@mikro-orm/sql';
import { envelopeFor, topicFor, type EventCatalog, type EventCause } from '@strata/events';
import type { AggregateRoot } from '@strata/shared-kernel';

/** What the outbox rows of one commit are made from besides the events themselves. */
export interface OutboxWriting {
  readonly events: EventCatalog;
  /** The deployment whose topics the rows name; see `topicFor`. */
  readonly topicNamespace: string | undefined;
  readonly cause: EventCause;
  readonly createdAt: number;
}

/**
 * Writes the events the aggregates recorded as outbox rows, in the commit's transaction, in one
 * statement: the relay publishes them after the commit, so an event exists exactly when its
 * change does. Answers how many rows it wrote.
 */
export async function writeOutbox(
  em: SqlEntityManager,
  aggregates: readonly AggregateRoot[],
  writing: OutboxWriting,
): Promise<number> {
  const events = aggregates.flatMap((aggregate) => aggregate.pendingEvents);
  if (events.length === 0) return 0;
  const rows = events.map((event) => {
    const described = writing.events.describe(event.type);
    if (!described) {
      throw new Error(
        `event ${event.type} of ${event.aggregateType} is not declared by any hosted contract; declare it before recording it`,
      );
    }
    const envelope = envelopeFor(event, described.version, writing.cause, writing.events.schema);
    return [
      envelope.id,
      topicFor(described.context, writing.topicNamespace),
      envelope.type,
      envelope.aggregateType,
      envelope.aggregateId,
      envelope.aggregateVersion,
      JSON.stringify(envelope),
      writing.createdAt,
    ];
  });
  await em.execute(
    `insert into outbox (event_id, topic, event_type, aggregate_type, aggregate_id, aggregate_version, envelope, created_at) values ${rows
      .map(() => '(?, ?, ?, ?, ?, ?, ?, ?)')
      .join(', ')}`,
    rows.flat(),
    'run',
  );
  return rows.length;
}
