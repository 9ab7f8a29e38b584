import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { stackEndpoints } from '@strata/dev-stack';
import kafkajs, { type Kafka } from 'kafkajs';
import { FETCH_MAX_WAIT_MS } from '../src/fetch-max-wait.ts';
import { kafkaClient } from '@strata/kafka';
import { KafkaEventBroker } from '../src/kafka-event-broker.ts';
import { PlatformaticEventBroker } from '../src/platformatic-event-broker.ts';

// ADR 0066: what PlatformaticEventBroker publishes is what KafkaEventBroker would have: the same
// value, key and headers, zstd-compressed when asked (read by kafkajs' registered codec, ADR 0062),
// and each key on the partition kafkajs puts it on. On the real broker.

interface Read {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
  readonly partition: number;
}

async function readAll(kafka: Kafka, topic: string, count: number): Promise<Read[]> {
  // Its disconnect waits for the fetch in hand: not kafkajs's 5 s (ADR 0071).
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: FETCH_MAX_WAIT_MS });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const read: Read[] = [];
  try {
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
          read.push({ key: String(message.key), value: message.value!, headers, partition });
          if (read.length === count) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return read;
}

describe('PlatformaticEventBroker', () => {
  it('publishes zstd batches a Strata consumer reads back byte for byte, keys on kafkajs’ partitions', async () => {
    const brokers = stackEndpoints().kafkaBrokers;
    const run = randomBytes(4).toString('hex');
    const topics = { ours: `strata-test.pf-${run}`, kafkajs: `strata-test.pf-${run}-kafkajs` };
    const admin = kafkaClient({ clientId: `pf-${run}-admin`, brokers }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })),
      waitForLeaders: true,
    });
    const keys = Array.from({ length: 12 }, (_, index) => `link-${index}-${randomBytes(4).toString('hex')}`);
    const valueOf = (key: string) =>
      Buffer.from(
        `{"linkId":"${key}","visits":[${Array.from({ length: 200 }, (_, index) => `{"n":${index},"host":"news.example.com"}`).join(',')}]}`,
      );
    const ours = new PlatformaticEventBroker({ brokers, clientId: `pf-${run}`, compressed: true });
    const theirs = new KafkaEventBroker({ brokers, clientId: `pf-${run}-kafkajs` });
    // Made before the codec is wrapped below: kafkaClient registers Strata's codec each time.
    const kafka = kafkaClient({ clientId: `pf-${run}-reader`, brokers });
    const registered = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD]!;
    let decompressed = 0;
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD] = () => {
      const codec = registered();
      return {
        compress: (encoder: { buffer: Buffer }) => codec.compress(encoder),
        decompress: (buffer: Buffer) => ((decompressed += 1), codec.decompress(buffer)),
      };
    };
    try {
      for (const [topic, broker] of [
        [topics.ours, ours],
        [topics.kafkajs, theirs],
      ] as const) {
        await broker.publish(
          keys.map((key) => ({
            topic,
            key,
            value: valueOf(key),
            headers: { 'event-type': 'Test', 'aggregate-id': key },
          })),
        );
      }
      const read = await readAll(kafka, topics.ours, keys.length);
      const byKafkajs = new Map(
        (await readAll(kafka, topics.kafkajs, keys.length)).map((message) => [message.key, message]),
      );
      expect(decompressed).toBeGreaterThan(0);
      expect(read.map(({ key }) => key).sort()).toEqual([...keys].sort());
      for (const message of read) {
        expect(message.value.equals(valueOf(message.key))).toBe(true);
        expect(message.headers).toEqual({ 'event-type': 'Test', 'aggregate-id': message.key });
        expect(message.partition).toBe(byKafkajs.get(message.key)!.partition);
      }
      // The keys spread over several partitions, so the comparison above compares something.
      expect(new Set(read.map(({ partition }) => partition)).size).toBeGreaterThan(1);
    } finally {
      kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD] = registered;
      await ours.close();
      await theirs.close();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('refuses a publish Kafka did not take, and the next publish goes through on a new producer', async () => {
    const brokers = stackEndpoints().kafkaBrokers;
    const run = randomBytes(4).toString('hex');
    const topic = `strata-test.pf-refused-${run}`;
    const admin = kafkaClient({ clientId: `pf-${run}-admin`, brokers }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const broker = new PlatformaticEventBroker({ brokers, clientId: `pf-${run}` });
    try {
      // Over the broker's message.max.bytes (1 MB by default), uncompressed: the broker refuses it.
      const tooLarge = { topic, key: 'big', value: Buffer.alloc(2_000_000, 'x'), headers: {} };
      await expect(broker.publish([tooLarge])).rejects.toThrow();
      await broker.publish([{ topic, key: 'small', value: Buffer.from('{"ok":true}'), headers: {} }]);
      const read = await readAll(kafkaClient({ clientId: `pf-${run}-reader`, brokers }), topic, 1);
      expect(read.map(({ key, value }) => [key, value.toString()])).toEqual([['small', '{"ok":true}']]);
      // Nothing of the refused publish is on the topic: one message in all.
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((sum, { low, high }) => sum + Number(high) - Number(low), 0)).toBe(1);
    } finally {
      await broker.close();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('fails a publish to an unreachable broker with an error, and closes', async () => {
    const broker = new PlatformaticEventBroker({
      brokers: ['127.0.0.1:1'],
      clientId: 'pf-unreachable',
      requestTimeoutMs: 500,
    });
    const outcome = await broker
      .publish([{ topic: 'strata-test.nowhere', key: 'k', value: Buffer.from('{}'), headers: {} }])
      .then(
        () => 'published',
        (error: Error) => error.constructor.name,
      );
    expect(outcome).not.toBe('published');
    await broker.close();
  });
});
