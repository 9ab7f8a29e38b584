import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import kafkajs from 'kafkajs';
import { FETCH_MAX_WAIT_MS } from '../src/fetch-max-wait.ts';
import { kafkaClient } from '@strata/kafka';
import { KafkaEventBroker } from '../src/kafka-event-broker.ts';

// ADR 0062: a broker asked to compress publishes zstd record batches, and every Strata Kafka
// client reads them (kafkaClient gives kafkajs the codec). On the real broker.

describe('KafkaEventBroker, compressed', () => {
  it('publishes zstd batches that a Strata consumer reads back byte for byte', async () => {
    const brokers = stackEndpoints().kafkaBrokers;
    const topic = `strata-test.zstd-${randomBytes(4).toString('hex')}`;
    const value = Buffer.from(
      `{"visits":[${Array.from({ length: 200 }, (_, index) => `{"n":${index},"host":"news.example.com"}`).join(',')}]}`,
    );
    const broker = new KafkaEventBroker({ brokers, clientId: 'zstd-test', compressed: true });
    const kafka = kafkaClient({ clientId: 'zstd-test-reader', brokers });
    // Its disconnect waits for the fetch in hand: not kafkajs's 5 s (ADR 0071).
    const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: FETCH_MAX_WAIT_MS });
    // Counts what went through the registered codec: the batch was compressed, and read back by it.
    const registered = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD]!;
    const used = { compress: 0, decompress: 0 };
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD] = () => {
      const codec = registered();
      return {
        compress: (encoder: { buffer: Buffer }) => ((used.compress += 1), codec.compress(encoder)),
        decompress: (buffer: Buffer) => ((used.decompress += 1), codec.decompress(buffer)),
      };
    };
    try {
      await broker.publish([{ topic, key: 'k', value, headers: { kind: 'test' } }]);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const read = await new Promise<Buffer>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            if (message.value) resolve(message.value);
          },
        });
      });
      expect(read.equals(value)).toBe(true);
      expect(used).toEqual({ compress: 1, decompress: 1 });
    } finally {
      kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD] = registered;
      await consumer.disconnect();
      await broker.close();
    }
  });
});
