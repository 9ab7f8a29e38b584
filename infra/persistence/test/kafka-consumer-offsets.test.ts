import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { kafkaClient } from '@strata/kafka';
import {
  KafkaEventConsumer,
  type DeliveredMessage,
  type MessageProcessor,
  type ProcessOutcome,
} from '@strata/events';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { brokers, createTopics, deleteTopics, producer } from './support/kafka.ts';

jest.setTimeout(90_000);

/**
 * The consumer commits offsets beside its fetch loop (ADR 0033, amended); these pin down what that
 * must not lose: every processed message's offset is committed, including the batch in hand when
 * `stop()` is called. (The old in-loop commit passed this too: it guards the new path.)
 */
describe("a Kafka consumer's offset commits", () => {
  const topic = `offsets${Date.now()}`;
  const group = `offsets-${Date.now()}`;
  const kafka = kafkaClient({ clientId: 'offsets-test', brokers });
  const processed: string[] = [];
  let releaseHeld!: () => void;
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));
  let holding = false;

  // Records what it is given; the batch holding message "hold" waits until the test releases it.
  const processor: MessageProcessor = {
    consumerGroup: group,
    async process(message: DeliveredMessage): Promise<ProcessOutcome> {
      if (message.key === 'hold') {
        holding = true;
        await held;
      }
      processed.push(message.key);
      return 'handled';
    },
  };

  async function committed(): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    await createTopics([topic], 1);
  });

  afterAll(async () => {
    await deleteTopics([topic]);
  });

  it('commits every processed offset, the batch in hand at stop() included, before leaving the group', async () => {
    const send = producer();
    await send.connect();
    await send.send({
      topic,
      messages: Array.from({ length: 20 }, (_, index) => ({ key: `m${index}`, value: 'x' })),
    });
    const consumer = new KafkaEventConsumer({
      brokers,
      clientId: 'offsets-test',
      topics: [topic],
      processor,
    });
    await consumer.start();
    await waitFor('the first 20 messages', () => processed.length === 20, { timeoutMs: 30_000 });
    await send.send({ topic, messages: [{ key: 'hold', value: 'x' }] });
    await waitFor('the held batch', () => holding, { timeoutMs: 30_000 });

    const stopped = consumer.stop();
    releaseHeld();
    await stopped;
    await send.disconnect();

    expect(processed).toHaveLength(21);
    expect(await committed()).toBe(21);
  });
});
