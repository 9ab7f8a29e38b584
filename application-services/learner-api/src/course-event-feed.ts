import { inProcessEventFeed, topicFor, type EventFeed, type InProcessEventBroker } from '@strata/events';

/** The catalog's event topic in a deployment, where commerce-service's outbox relay publishes course events. */
export function catalogEventsTopic(namespace?: string): string {
  return topicFor('catalog', namespace);
}

/** Where learner-api hears about course changes: the in-process broker embedded, Kafka distributed. */
export type CourseEventFeed = EventFeed;

/** Embedded mode: the same broker commerce-service's relay publishes to. */
export function inProcessCourseEvents(broker: InProcessEventBroker, namespace?: string): CourseEventFeed {
  return inProcessEventFeed(broker, 'catalog', namespace);
}
