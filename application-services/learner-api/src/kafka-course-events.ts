import type { Registry } from 'prom-client';
import { kafkaEventFeed } from '@strata/events';
import type { Logger } from '@strata/runtime';
import type { CourseEventFeed } from './course-event-feed.ts';

/**
 * Distributed mode: catalog events from Kafka, in one consumer group shared by every learner-api
 * instance (they share the Redis cache, so one invalidation serves all). A new group reads the topic
 * from the beginning: replayed events only delete keys, while starting at the latest offset could
 * miss an event published while the group was still joining.
 */
export function kafkaCourseEvents(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** The process's registry: the feed's messages and its group's lag are metered into it. */
  metrics?: Registry;
  /** The deployment's name in the topic; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
}): CourseEventFeed {
  return kafkaEventFeed({
    ...options,
    context: 'catalog',
    onError: (error, where) => options.logger.warn({ err: error }, `catalog events from Kafka: ${where}`),
  });
}
