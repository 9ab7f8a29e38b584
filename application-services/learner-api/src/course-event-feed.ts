import {
  consumeInProcess,
  topicFor,
  type EventBroker,
  type InProcessEventBroker,
  type MessageProcessor,
} from '@strata/events';

/** The catalog's event topic in a deployment, where commerce-service's outbox relay publishes course events. */
export function catalogEventsTopic(namespace?: string): string {
  return topicFor('catalog', namespace);
}

/**
 * Where learner-api hears about course changes: the in-process broker embedded, Kafka distributed.
 * Events that still fail after the processor's retries are dead-lettered through `deadLetters`.
 */
export interface CourseEventFeed {
  readonly deadLetters: EventBroker;
  /** Starts feeding catalog events to the processor; answers how to stop. */
  start(processor: MessageProcessor): Promise<() => Promise<void>>;
}

/** Embedded mode: the same broker commerce-service's relay publishes to. */
export function inProcessCourseEvents(broker: InProcessEventBroker, namespace?: string): CourseEventFeed {
  return {
    deadLetters: broker,
    start: async (processor) => {
      const stop = consumeInProcess(broker, [catalogEventsTopic(namespace)], processor);
      return async () => stop();
    },
  };
}
