import { ProduceAcks, Producer } from '@platformatic/kafka';
import type { BrokerMessage, EventBroker } from '@strata/events';

/**
 * @platformatic/kafka behind Strata's broker port (ADR 0006), for the bench only: the relay runs
 * unchanged on it, so the row beside it differs in the client alone. Same guarantees asked as the
 * kafkajs adapter: idempotent producer, acks from all in-sync replicas, keyed by aggregate id.
 */
export class PlatformaticEventBroker implements EventBroker {
  readonly system = 'kafka';
  readonly #producer: Producer;

  constructor(options: { brokers: string[]; clientId: string }) {
    this.#producer = new Producer({
      clientId: options.clientId,
      bootstrapBrokers: options.brokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
    });
  }

  async publish(messages: readonly BrokerMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.#producer.send({
      messages: messages.map((message) => ({
        topic: message.topic,
        key: Buffer.from(message.key),
        value: message.value,
        headers: new Map(
          Object.entries(message.headers).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]),
        ),
      })),
    });
  }

  async close(): Promise<void> {
    await this.#producer.close();
  }
}
