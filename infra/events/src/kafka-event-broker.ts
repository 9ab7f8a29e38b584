import { CompressionTypes, type ISocketFactory, type Kafka, type Producer } from 'kafkajs';
import { kafkaClient } from '@strata/kafka';
import type { BrokerMessage, EventBroker } from './event-broker.ts';
import { closedWithin, withinPublishDeadline } from './publish-deadline.ts';

export interface KafkaBrokerOptions {
  brokers: string[];
  clientId: string;
  /** Bound on one produce request; kafkajs retries within it a few times. */
  requestTimeoutMs?: number;
  /** How connections are opened (kafkajs' hook), e.g. through a proxy or a network you can cut in a test. */
  socketFactory?: ISocketFactory;
  /**
   * Publishes zstd-compressed record batches (ADR 0062): for large, repetitive messages whose
   * bytes kafkajs would otherwise copy and checksum several times over. Off unless asked.
   */
  compressed?: boolean;
}

/**
 * kafkajs behind the broker port. Idempotent producer with acks from all in-sync replicas and at
 * most one request in flight: the broker drops producer retries it already has, and a retry cannot
 * overtake an earlier batch, so one aggregate's events stay in order.
 *
 * After any failed publish the producer is thrown away and the next publish starts a fresh one:
 * kafkajs' producer can stay wedged after a request timeout (a send that never settles), and a new
 * producer id only risks duplicates, which consumers' inboxes absorb.
 */
export class KafkaEventBroker implements EventBroker {
  readonly system = 'kafka';
  private readonly kafka: Kafka;
  private readonly publishDeadlineMs: number;
  private readonly compression: CompressionTypes;
  private current: { producer: Producer; connected: Promise<void> } | undefined;
  private readonly discarded = new Set<Promise<void>>();

  constructor(options: KafkaBrokerOptions) {
    const requestTimeout = options.requestTimeoutMs ?? 10_000;
    this.kafka = kafkaClient({
      clientId: options.clientId,
      brokers: options.brokers,
      requestTimeout,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
      ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    });
    this.publishDeadlineMs = requestTimeout * 3;
    this.compression = options.compressed === true ? CompressionTypes.ZSTD : CompressionTypes.None;
  }

  async publish(messages: readonly BrokerMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const current = this.producer();
    const byTopic = new Map<string, BrokerMessage[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push(message);
      byTopic.set(message.topic, list);
    }
    try {
      await withinPublishDeadline(
        current.connected.then(() =>
          current.producer.sendBatch({
            acks: -1,
            compression: this.compression,
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic,
              messages: list.map((message) => ({
                key: message.key,
                value: message.value,
                headers: message.headers,
              })),
            })),
          }),
        ),
        this.publishDeadlineMs,
      );
    } catch (error) {
      this.discard(current);
      throw error;
    }
  }

  private producer(): { producer: Producer; connected: Promise<void> } {
    if (!this.current) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
      });
      const connected = producer.connect();
      connected.catch(() => undefined);
      this.current = { producer, connected };
    }
    return this.current;
  }

  private discard(current: { producer: Producer }): void {
    if (this.current !== current) return;
    this.current = undefined;
    // Not awaited here: a wedged producer may never finish disconnecting. close() waits for it,
    // bounded, so a discarded producer's sockets do not outlive the broker.
    const disconnected = current.producer.disconnect().catch(() => undefined);
    this.discarded.add(disconnected);
    void disconnected.finally(() => this.discarded.delete(disconnected));
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.producer.disconnect();
    await closedWithin(this.discarded, this.publishDeadlineMs);
  }
}
