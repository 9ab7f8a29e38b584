import { compatibilityPartitioner, Producer, stringSerializer } from '@platformatic/kafka';
import type { BrokerMessage, EventBroker } from './event-broker.ts';
import { closedWithin, withinPublishDeadline } from './publish-deadline.ts';
import { setPlatformaticZstdLevel } from './platformatic-zstd-level.ts';

export interface PlatformaticBrokerOptions {
  brokers: string[];
  clientId: string;
  /** Bound on one produce request; the client retries within it a few times. */
  requestTimeoutMs?: number;
  /** Publishes zstd-compressed record batches (ADR 0062). Off unless asked. */
  compressed?: boolean;
}

type BufferProducer = Producer<string, Buffer, string, string>;

/**
 * @platformatic/kafka behind the broker port (ADR 0006, ADR 0066), with the guarantees
 * KafkaEventBroker gives: an idempotent producer (acks from all in-sync replicas, one request in
 * flight), a publish settled only once the broker acknowledged all of it, and after any failed
 * publish a new producer for the next. Its record batches are built from the messages' own
 * buffers (a list of chunks, checksummed by native or WebAssembly crc32c), not copied level by
 * level into zero-filled growing buffers as kafkajs does. Keys go to partitions as kafkajs and
 * Java's client send them (murmur2, positive), so a key's partition does not depend on which
 * client published it.
 */
export class PlatformaticEventBroker implements EventBroker {
  readonly system = 'kafka';
  readonly #options: PlatformaticBrokerOptions;
  readonly #publishDeadlineMs: number;
  #current: BufferProducer | undefined;
  readonly #discarded = new Set<Promise<void>>();

  constructor(options: PlatformaticBrokerOptions) {
    if (options.compressed === true) setPlatformaticZstdLevel();
    this.#options = options;
    this.#publishDeadlineMs = (options.requestTimeoutMs ?? 10_000) * 3;
  }

  async publish(messages: readonly BrokerMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = this.#producer();
    try {
      await withinPublishDeadline(
        producer.send({
          messages: messages.map((message) => ({
            topic: message.topic,
            key: message.key,
            value: message.value,
            headers: message.headers,
          })),
        }),
        this.#publishDeadlineMs,
      );
    } catch (error) {
      this.#discard(producer);
      throw error;
    }
  }

  #producer(): BufferProducer {
    this.#current ??= new Producer<string, Buffer, string, string>({
      clientId: this.#options.clientId,
      bootstrapBrokers: this.#options.brokers,
      idempotent: true,
      autocreateTopics: true,
      compression: this.#options.compressed === true ? 'zstd' : 'none',
      partitioner: compatibilityPartitioner,
      serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
      timeout: this.#options.requestTimeoutMs ?? 10_000,
      connectTimeout: 3_000,
      retries: 3,
      retryDelay: 100,
    });
    return this.#current;
  }

  #discard(producer: BufferProducer): void {
    if (this.#current !== producer) return;
    this.#current = undefined;
    // Forced: a wedged request is not waited for. close() waits for it, bounded.
    const closed = producer.close(true).catch(() => undefined);
    this.#discarded.add(closed);
    void closed.finally(() => this.#discarded.delete(closed));
  }

  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.close();
    await closedWithin(this.#discarded, this.#publishDeadlineMs);
  }
}
