import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Kafka, Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';
import { ChunkGatherer } from './chunk-gatherer.ts';
import { FETCH_MAX_WAIT_MS } from './fetch-max-wait.ts';
import { kafkaClient } from '@strata/kafka';
import type { DeliveredMessage } from './event-broker.ts';
import type { MessageProcessor } from './event-processor.ts';

/**
 * A topic just created, by this process or another, can be listed before the broker serves its
 * partitions: creating it and subscribing to it then fail with UNKNOWN_TOPIC_OR_PARTITION for a
 * moment, which kafkajs does not retry there.
 */
const unknownTopicRetry = retry(
  handleWhen((error) => (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION'),
  { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }) },
);

export interface KafkaConsumerOptions {
  brokers: string[];
  clientId: string;
  topics: string[];
  processor: MessageProcessor;
  /** Where a group with no committed offset starts; a new read model wants the beginning. */
  fromBeginning?: boolean;
  /** Partitions handled in parallel; each partition stays in offset order, so per-key order holds. */
  partitionsConsumedConcurrently?: number;
  /**
   * At most this many consecutive messages of a partition go to the processor's batch (with the
   * other partitions' chunks of the same fetch: one inbox transaction); 1 handles and commits
   * message by message.
   */
  maxBatchSize?: number;
  onError?: (error: unknown, context: string) => void;
}

export function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

export function toDelivered(topic: string, partition: number, message: KafkaMessage): DeliveredMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers: headersOf(message.headers),
    system: 'kafka',
  };
}

interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * A kafkajs consumer group feeding the processor the messages of each fetched partition batch, in
 * offset order, in chunks of at most `maxBatchSize`. The chunks the partitions of one fetch hand in
 * together go to the processor in one call (`ChunkGatherer`; through `processBatch` when the
 * processor has it: one inbox transaction per fetch, not per partition). A chunk's offset is
 * committed only after the processor resolves, i.e. after the handlers' transaction (with its inbox
 * rows) committed or the messages were dead-lettered; a crash in between redelivers the chunk, and
 * the inbox makes it a no-op.
 *
 * The commit to the broker runs beside the fetch loop instead of in it: the next fetch does not
 * wait for it. One commit request is in flight at a time and carries the latest processed offset of
 * every partition that moved since the last (so a partition's committed offset only moves
 * forward). A commit that fails is reported and dropped: the next chunk of its partition commits a
 * later offset, and until then a restart redelivers what the inbox already recorded. `stop()`
 * lets the batch in hand finish and commits what it processed before leaving the group.
 */
export class KafkaEventConsumer {
  private readonly options: KafkaConsumerOptions;
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;
  /** Processed, not yet committed: the next offset to read, per topic and partition. */
  private readonly uncommitted = new Map<string, PartitionOffset>();
  private committing: Promise<void> | undefined;
  private stopping = false;
  private readonly inHand = new Set<Promise<void>>();
  private readonly gatherer = new ChunkGatherer<DeliveredMessage>((messages) => this.processChunk(messages));

  constructor(options: KafkaConsumerOptions) {
    this.options = options;
    this.kafka = kafkaClient({
      clientId: options.clientId,
      brokers: options.brokers,
    });
    this.consumer = this.kafka.consumer({
      groupId: options.processor.consumerGroup,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
  }

  async start(): Promise<void> {
    await this.ensureTopics();
    await this.consumer.connect();
    // Subscribing to a topic another process has just created meets the same moment (seen once in
    // CI: a data service exiting at start). A failed subscribe leaves the client's target topics as
    // they were, so it is tried again.
    await unknownTopicRetry.execute(() =>
      this.consumer.subscribe({
        topics: this.options.topics,
        fromBeginning: this.options.fromBeginning ?? true,
      }),
    );
    const maxBatchSize = Math.max(1, this.options.maxBatchSize ?? 200);
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
      eachBatch: (payload) => {
        // A batch fetched while stopping is left unprocessed and uncommitted: delivered again.
        if (this.stopping) return Promise.resolve();
        const handling = this.handleBatch(payload, maxBatchSize);
        const settled = handling.catch(() => undefined);
        this.inHand.add(settled);
        void settled.finally(() => this.inHand.delete(settled));
        return handling;
      },
    });
  }

  private async handleBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    maxBatchSize: number,
  ): Promise<void> {
    const { topic, partition } = batch;
    for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
      // After a rebalance or stop the rest belongs to whoever owns the partition next.
      if (!isRunning() || isStale() || this.stopping) return;
      const chunk = batch.messages.slice(start, start + maxBatchSize);
      const last = chunk[chunk.length - 1] as KafkaMessage;
      try {
        const messages = chunk.map((message) => toDelivered(topic, partition, message));
        // A consumer that handles message by message keeps its partitions apart too.
        await (maxBatchSize > 1 ? this.gatherer.submit(messages) : this.processChunk(messages));
      } catch (error) {
        this.options.onError?.(
          error,
          `consuming ${topic}[${partition}]@${chunk[0]?.offset}..${last.offset}; it will be delivered again`,
        );
        throw error;
      }
      this.commitLater({ topic, partition, offset: (BigInt(last.offset) + 1n).toString() });
      resolveOffset(last.offset);
      await heartbeat();
    }
  }

  /** Queues a processed offset for the committer, and starts it if idle. */
  private commitLater(offset: PartitionOffset): void {
    this.uncommitted.set(`${offset.topic}\u0000${offset.partition}`, offset);
    // Started on the next turn, so the other partitions of a gathered call join the same request.
    this.committing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.commitQueued())
      .finally(() => {
        this.committing = undefined;
      });
  }

  /** Commits the queued offsets, again while more were queued during a commit. */
  private async commitQueued(): Promise<void> {
    while (this.uncommitted.size > 0) {
      const offsets = [...this.uncommitted.values()];
      this.uncommitted.clear();
      try {
        await this.consumer.commitOffsets(offsets);
      } catch (error) {
        this.options.onError?.(
          error,
          `committing offsets ${offsets.map((o) => `${o.topic}[${o.partition}]@${o.offset}`).join(', ')}; a restart before the next commit delivers those messages again`,
        );
        return;
      }
    }
  }

  private async processChunk(messages: DeliveredMessage[]): Promise<void> {
    const processor = this.options.processor;
    if (processor.processBatch && messages.length > 1) {
      await processor.processBatch(messages);
      return;
    }
    for (const message of messages) await processor.process(message);
  }

  /**
   * A consumer may start before any producer has published (a fresh broker, a new context): then
   * its topics do not exist yet and kafkajs' subscribe fails with UNKNOWN_TOPIC_OR_PARTITION.
   * Creating them here, with the broker's defaults, is idempotent.
   */
  private async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = this.options.topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        // Two processes creating the same topic at once: the loser's wait for leaders can read
        // metadata the controller has not propagated yet and fail with UNKNOWN_TOPIC_OR_PARTITION,
        // which kafkajs does not retry there. The topic exists a moment later.
        await unknownTopicRetry.execute(() =>
          admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true }),
        );
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    try {
      // No more fetches while the batches in hand finish (a consumer never run has nothing to pause).
      this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
    } catch {
      // not running
    }
    // Still a member of the group here, so what the batches in hand processed can be committed.
    await Promise.all(this.inHand);
    await this.committing;
    if (this.uncommitted.size > 0) await this.commitQueued();
    await this.consumer.disconnect();
  }
}
