import { inProcessEventFeed, topicFor, type EventFeed, type InProcessEventBroker } from '@strata/events';

/** Ordering's event topic in a deployment, where commerce-service's outbox relay publishes order events. */
export function orderingEventsTopic(namespace?: string): string {
  return topicFor('ordering', namespace);
}

/** Where studio-api hears about orders: the in-process broker embedded, Kafka distributed. */
export type OrderingEventFeed = EventFeed;

/** Embedded mode: the same broker commerce-service's relay publishes to. */
export function inProcessOrderingEvents(broker: InProcessEventBroker, namespace?: string): OrderingEventFeed {
  return inProcessEventFeed(broker, 'ordering', namespace);
}
