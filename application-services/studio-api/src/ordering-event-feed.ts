import {
  consumeInProcess,
  topicFor,
  type EventBroker,
  type InProcessEventBroker,
  type MessageProcessor,
} from '@strata/events';

/** Ordering's event topic in a deployment, where commerce-service's outbox relay publishes order events. */
export function orderingEventsTopic(namespace?: string): string {
  return topicFor('ordering', namespace);
}

/**
 * Where studio-api hears about orders: the in-process broker embedded, Kafka distributed. Events
 * that still fail after the processor's retries are dead-lettered through `deadLetters`.
 */
export interface OrderingEventFeed {
  readonly deadLetters: EventBroker;
  /** Starts feeding ordering events to the processor; answers how to stop. */
  start(processor: MessageProcessor): Promise<() => Promise<void>>;
}

/** Embedded mode: the same broker commerce-service's relay publishes to. */
export function inProcessOrderingEvents(broker: InProcessEventBroker, namespace?: string): OrderingEventFeed {
  return {
    deadLetters: broker,
    start: async (processor) => {
      const stop = consumeInProcess(broker, [orderingEventsTopic(namespace)], processor);
      return async () => stop();
    },
  };
}
