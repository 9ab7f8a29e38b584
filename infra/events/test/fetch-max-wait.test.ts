import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { FETCH_MAX_WAIT_MS } from '../src/fetch-max-wait.ts';
import { KafkaEventBroker } from '../src/kafka-event-broker.ts';
import { KafkaEventConsumer } from '../src/kafka-event-consumer.ts';
import { replayTopic } from '../src/replay-topic.ts';
import type { MessageProcessor } from '../src/event-processor.ts';

/** kafkajs's broker connection: every fetch a consumer sends goes through its `fetch`. */
const { prototype: broker } = createRequire(import.meta.url)('kafkajs/src/broker/index.js') as {
  prototype: { fetch(request: { maxWaitTime?: number }): Promise<unknown> };
};

/** The `maxWaitTime` of every fetch sent while `run` runs. */
async function fetchWaits(run: () => Promise<void>): Promise<number[]> {
  const fetch = broker.fetch;
  const waits: number[] = [];
  broker.fetch = function (this: unknown, request) {
    waits.push(request.maxWaitTime ?? 5_000);
    return fetch.call(this, request);
  };
  try {
    await run();
  } finally {
    broker.fetch = fetch;
  }
  return waits;
}

const brokers = stackEndpoints().kafkaBrokers;
const handled = (consumerGroup: string, seen: string[] = []): MessageProcessor => ({
  consumerGroup,
  process: async (message) => {
    seen.push(message.key);
    return 'handled';
  },
});

// A consumer's stop and a replay's end wait for the fetch in hand: kafkajs's 5 s made every idle
// consumer's stop take that long (ADR 0071). What is asserted is the wait asked of the broker.
describe('the wait of a fetch at the broker', () => {
  const topic = `strata-test.fetch-wait-${randomBytes(4).toString('hex')}`;

  it("is FETCH_MAX_WAIT_MS, half a second, for a live consumer's fetches and a replay's", async () => {
    const producer = new KafkaEventBroker({ brokers, clientId: 'fetch-wait-test' });
    try {
      await producer.publish([{ topic, key: 'k', value: Buffer.from('{}'), headers: {} }]);
      const seen: string[] = [];
      const live = await fetchWaits(async () => {
        const consumer = new KafkaEventConsumer({
          brokers,
          clientId: 'fetch-wait-test',
          topics: [topic],
          processor: handled(`${topic}.live`, seen),
        });
        await consumer.start();
        try {
          await waitFor('the live consumer to handle the message', () => seen.length === 1, {
            timeoutMs: 30_000,
          });
        } finally {
          await consumer.stop();
        }
      });
      const replay = await fetchWaits(async () => {
        expect(
          await replayTopic({ brokers, topic, from: { offset: '0' }, processor: handled(`${topic}.replay`) }),
        ).toBe(1);
      });
      expect({ live: new Set(live), replay: new Set(replay) }).toEqual({
        live: new Set([FETCH_MAX_WAIT_MS]),
        replay: new Set([FETCH_MAX_WAIT_MS]),
      });
    } finally {
      await producer.close();
    }
  }, 60_000);
});
