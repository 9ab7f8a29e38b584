import type { Registry } from 'prom-client';
import { kafkaEventFeed } from '@strata/events';
import type { Logger } from '@strata/runtime';
import type { OrderingEventFeed } from './ordering-event-feed.ts';

/**
 * Distributed mode: ordering events from Kafka, in one consumer group shared by every studio-api
 * instance (they share the Redis read model, so one instance counting an event counts it for all).
 * A new group reads the topic from the beginning, which is what a new read model needs.
 */
export function kafkaOrderingEvents(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** The process's registry: the feed's messages and its group's lag are metered into it. */
  metrics?: Registry;
  /** The deployment's name in the topic; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
}): OrderingEventFeed {
  return kafkaEventFeed({
    ...options,
    context: 'ordering',
    onError: (error, where) => options.logger.warn({ err: error }, `ordering events from Kafka: ${where}`),
  });
}
