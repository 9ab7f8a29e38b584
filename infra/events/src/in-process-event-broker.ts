import type { BrokerMessage, DeliveredMessage, EventBroker } from './event-broker.ts';

export type InProcessSubscriber = (message: DeliveredMessage) => Promise<void>;

/**
 * The embedded mode's broker: the relay publishes to it exactly as it publishes to Kafka, and a
 * publish resolves once every subscriber has handled (or dead-lettered) the message, which is the
 * in-process equivalent of the broker's ack.
 */
export class InProcessEventBroker implements EventBroker {
  private readonly subscribers = new Map<string, InProcessSubscriber[]>();
  private readonly offsets = new Map<string, number>();

  subscribe(topic: string, subscriber: InProcessSubscriber): () => void {
    const list = this.subscribers.get(topic) ?? [];
    list.push(subscriber);
    this.subscribers.set(topic, list);
    return () => {
      const current = this.subscribers.get(topic) ?? [];
      this.subscribers.set(
        topic,
        current.filter((candidate) => candidate !== subscriber),
      );
    };
  }

  async publish(messages: readonly BrokerMessage[]): Promise<void> {
    for (const message of messages) {
      const offset = this.offsets.get(message.topic) ?? 0;
      this.offsets.set(message.topic, offset + 1);
      const delivered: DeliveredMessage = { ...message, partition: 0, offset: String(offset) };
      for (const subscriber of this.subscribers.get(message.topic) ?? []) await subscriber(delivered);
    }
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
