import { kafkaClient } from '@strata/kafka';
import { newId } from '@strata/shared-kernel';
import { FETCH_MAX_WAIT_MS } from './fetch-max-wait.ts';
import type { MessageProcessor } from './event-processor.ts';
import { toDelivered } from './kafka-event-consumer.ts';

/** A position on one partition of a topic. */
export interface PartitionOffset {
  partition: number;
  offset: string;
}

/**
 * Each partition's end (the offset the next message will get) as of now. Gives up after a few
 * retries (seconds, not kafkajs's default half minute), so an operator's command says soon that the
 * brokers are unreachable.
 */
export async function topicEndOffsets(brokers: string[], topic: string): Promise<PartitionOffset[]> {
  const kafka = kafkaClient({
    clientId: 'strata-replay',
    brokers,
    connectionTimeout: 3_000,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
  } finally {
    await admin.disconnect();
  }
}

export interface ReplayOptions {
  brokers: string[];
  topic: string;
  /**
   * Start at this offset on every partition, at the first message at or after this time, or at
   * each partition's own offset (where an earlier replay stopped; a partition not named starts at 0).
   */
  from: { offset: string } | { time: Date } | { offsets: readonly PartitionOffset[] };
  /** Stop before these offsets (exclusive), e.g. ends read earlier with `topicEndOffsets`; default: the ends as of the start. */
  until?: readonly PartitionOffset[];
  /**
   * The processor of the read model being rebuilt. Its consumer group names its inbox: rebuilding
   * into a fresh read model uses a fresh group so earlier handled ids do not suppress the replay.
   */
  processor: MessageProcessor;
}

/**
 * Re-reads a topic from an offset or a time up to its end as of the start of the replay, feeding
 * every message to the processor. Commits nothing to the live consumer group. Answers how many
 * messages were read.
 */
export async function replayTopic(options: ReplayOptions): Promise<number> {
  const kafka = kafkaClient({
    clientId: 'strata-replay',
    brokers: options.brokers,
  });
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let ends: { partition: number; high: string }[];
  try {
    ends =
      options.until?.map(({ partition, offset }) => ({ partition, high: offset })) ??
      (await admin.fetchTopicOffsets(options.topic)).map(({ partition, high }) => ({ partition, high }));
    const from = options.from;
    starts =
      'offsets' in from
        ? ends.map(({ partition }) => ({
            partition,
            offset: from.offsets.find((start) => start.partition === partition)?.offset ?? '0',
          }))
        : 'offset' in from
          ? ends.map(({ partition }) => ({ partition, offset: from.offset }))
          : (await admin.fetchTopicOffsetsByTimestamp(options.topic, from.time.getTime())).map(
              ({ partition, offset }) => ({
                partition,
                offset,
              }),
            );
  } finally {
    await admin.disconnect();
  }

  const remaining = new Set<number>();
  for (const { partition, high } of ends) {
    const start = starts.find((candidate) => candidate.partition === partition);
    const startOffset = start && BigInt(start.offset) >= 0n ? BigInt(start.offset) : BigInt(high);
    if (startOffset < BigInt(high)) remaining.add(partition);
  }
  if (remaining.size === 0) return 0;

  const consumer = kafka.consumer({
    groupId: `strata-replay-${newId()}`,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
  });
  let read = 0;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic] });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (!remaining.has(partition)) return;
        const high = BigInt(ends.find((end) => end.partition === partition)?.high ?? '0');
        if (BigInt(message.offset) >= high) return;
        try {
          await options.processor.process(toDelivered(options.topic, partition, message));
        } catch (error) {
          fail(error);
          throw error;
        }
        read += 1;
        if (BigInt(message.offset) + 1n >= high) {
          remaining.delete(partition);
          if (remaining.size === 0) finish();
        }
      },
    });
    for (const { partition, offset } of starts) {
      if (remaining.has(partition)) consumer.seek({ topic: options.topic, partition, offset });
    }
    await done;
    return read;
  } finally {
    await consumer.disconnect();
  }
}
