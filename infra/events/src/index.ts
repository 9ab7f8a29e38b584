export type { BrokerMessage, DeliveredMessage, EventBroker } from './event-broker.ts';
export { deadLetterTopicFor, ownTopicFor, topicFor, type EventCatalog } from './event-catalog.ts';
export {
  envelopeFor,
  InvalidEnvelopeError,
  parseEnvelope,
  type EventCause,
  type EventEnvelope,
  type EventSchemaLookup,
} from './event-envelope.ts';
export { envelopeToMessage, messageBody, type ValueJoin } from './event-message.ts';
export {
  EventProcessor,
  type EventHandler,
  type EventProcessorOptions,
  type MessageProcessor,
  type ProcessOutcome,
} from './event-processor.ts';
export { meterProcessor } from './consumer-metrics.ts';
export { FETCH_MAX_WAIT_MS } from './fetch-max-wait.ts';
export { KafkaAdminProbe, type ConsumerGroupTopics, type PartitionLag } from './kafka-admin-probe.ts';
export { consumeInProcess } from './in-process-event-consumer.ts';
export { inProcessEventFeed, kafkaEventFeed, type EventFeed } from './event-feed.ts';
export { InProcessEventBroker, type InProcessSubscriber } from './in-process-event-broker.ts';
export type { Inbox, InboxItem } from './inbox.ts';
export { KafkaEventBroker, type KafkaBrokerOptions } from './kafka-event-broker.ts';
export { PlatformaticEventBroker, type PlatformaticBrokerOptions } from './platformatic-event-broker.ts';
export { headersOf, KafkaEventConsumer, type KafkaConsumerOptions } from './kafka-event-consumer.ts';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
export { SoleLeader, type LeaderLock, type OutboxRow, type OutboxStore } from './outbox-store.ts';
export { replayTopic, topicEndOffsets, type PartitionOffset, type ReplayOptions } from './replay-topic.ts';
export { contractEventCatalog, contractTopics } from './contract-event-catalog.ts';
