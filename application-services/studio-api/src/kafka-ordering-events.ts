import { KafkaEventBroker, KafkaEventConsumer } from '@strata/events';
import type { Logger } from '@strata/runtime';
import { orderingEventsTopic, type OrderingEventFeed } from './ordering-event-feed.ts';

/**
 * Distributed mode: ordering events from Kafka, in one consumer group shared by every studio-api
 * instance (they share the Redis read model, so one instance counting an event counts it for all).
 * A new group reads the topic from the beginning, which is what a new read model needs.
 */
export function kafkaOrderingEvents(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** The deployment's name in the topic; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
}): OrderingEventFeed {
  const deadLetters = new KafkaEventBroker({ brokers: options.brokers, clientId: options.clientId });
  return {
    deadLetters,
    start: async (processor) => {
      const consumer = new KafkaEventConsumer({
        brokers: options.brokers,
        clientId: options.clientId,
        topics: [orderingEventsTopic(options.namespace)],
        processor,
        onError: (error, context) =>
          options.logger.warn({ err: error }, `ordering events from Kafka: ${context}`),
      });
      await consumer.start();
      return async () => {
        await consumer.stop();
        await deadLetters.close();
      };
    },
  };
}
