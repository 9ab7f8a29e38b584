import type { Registry } from 'prom-client';
import {
  inProcessEventFeed,
  kafkaEventFeed,
  type EventFeed,
  type InProcessEventBroker,
} from '@strata/events';
import type { Logger } from '@strata/runtime';

/** Embedded mode: notification events from the broker engagement-service's relay publishes to. */
export function inProcessNotificationEvents(broker: InProcessEventBroker, namespace?: string): EventFeed {
  return inProcessEventFeed(broker, 'notification', namespace);
}

/**
 * Distributed mode: the notification topic on Kafka, in one consumer group every learner-api
 * instance shares, so each NotificationCreated is published to the fan-out once (docs/adr/0023).
 */
export function kafkaNotificationEvents(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** The process's registry: the feed's messages and its group's lag are metered into it. */
  metrics?: Registry;
  namespace?: string;
}): EventFeed {
  return kafkaEventFeed({
    ...options,
    context: 'notification',
    onError: (error, where) =>
      options.logger.warn({ err: error }, `notification events from Kafka: ${where}`),
  });
}
