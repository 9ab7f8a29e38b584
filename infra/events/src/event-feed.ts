import type { Registry } from 'prom-client';
import { meterProcessor } from './consumer-metrics.ts';
import type { EventBroker } from './event-broker.ts';
import type { MessageProcessor } from './event-processor.ts';
import { topicFor } from './event-catalog.ts';
import type { InProcessEventBroker } from './in-process-event-broker.ts';
import { consumeInProcess } from './in-process-event-consumer.ts';
import { KafkaAdminProbe } from './kafka-admin-probe.ts';
import { KafkaEventBroker } from './kafka-event-broker.ts';
import { KafkaEventConsumer } from './kafka-event-consumer.ts';

/**
 * Where an application service hears one context's events: the in-process broker embedded, Kafka
 * distributed. Events that still fail after the processor's retries are dead-lettered through
 * `deadLetters`.
 */
export interface EventFeed {
  readonly deadLetters: EventBroker;
  /** Starts feeding the context's events to the processor; answers how to stop. */
  start(processor: MessageProcessor): Promise<() => Promise<void>>;
}

/** Embedded mode: the same broker the data services' relays publish to. */
export function inProcessEventFeed(
  broker: InProcessEventBroker,
  context: string,
  namespace?: string,
): EventFeed {
  return {
    deadLetters: broker,
    start: async (processor) => {
      const stop = consumeInProcess(broker, [topicFor(context, namespace)], processor);
      return async () => stop();
    },
  };
}

/**
 * Distributed mode: the context's topic on Kafka, in the consumer group the processor names, which
 * every instance of the application service shares. A new group reads the topic from its start.
 * Given the process's registry, the feed is metered as a data service's consumers are: messages
 * by outcome (`strata_events_consumed_total`) and the group's lag per partition, asked of the
 * brokers at scrape time (`strata_kafka_consumer_lag`).
 */
export function kafkaEventFeed(options: {
  brokers: string[];
  clientId: string;
  context: string;
  /** The deployment's name in the topic; see STRATA_EVENT_NAMESPACE. */
  namespace?: string;
  onError: (error: unknown, where: string) => void;
  metrics?: Registry;
}): EventFeed {
  const deadLetters = new KafkaEventBroker({ brokers: options.brokers, clientId: options.clientId });
  return {
    deadLetters,
    start: async (processor) => {
      const topics = [topicFor(options.context, options.namespace)];
      const { metrics } = options;
      const probe =
        metrics === undefined
          ? undefined
          : new KafkaAdminProbe({ brokers: options.brokers, clientId: options.clientId });
      if (probe !== undefined && metrics !== undefined)
        probe.meterLag([{ group: processor.consumerGroup, topics }], metrics);
      const consumer = new KafkaEventConsumer({
        brokers: options.brokers,
        clientId: options.clientId,
        topics,
        processor: metrics === undefined ? processor : meterProcessor(processor, metrics),
        onError: options.onError,
      });
      await consumer.start();
      return async () => {
        await consumer.stop();
        await deadLetters.close();
        await probe?.close();
      };
    },
  };
}
