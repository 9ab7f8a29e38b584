import { CompressionTypes, Kafka, type Producer, logLevel } from 'kafkajs';
import type { BrokerMessage, EventBroker } from './event-broker.ts';

export interface KafkaBrokerOptions {
  brokers: string[];
  clientId: string;
  /** Bound on one publish; past it the relay retries the same rows. */
  requestTimeoutMs?: number;
}

/**
 * kafkajs behind the broker port. Idempotent producer with acks from all in-sync replicas and at
 * most one request in flight: the broker drops producer retries it already has, and a retry cannot
 * overtake an earlier batch, so one aggregate's events stay in order.
 */
export class KafkaEventBroker implements EventBroker {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;

  constructor(options: KafkaBrokerOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  }

  async publish(messages: readonly BrokerMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, BrokerMessage[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push(message);
      byTopic.set(message.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((message) => ({ key: message.key, value: message.value, headers: message.headers })),
      })),
    });
  }

  private connect(): Promise<void> {
    // A failed connect is forgotten so the next publish tries again instead of replaying the failure.
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    this.connecting = undefined;
    await this.producer.disconnect();
  }
}
