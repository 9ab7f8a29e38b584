import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import {
  messageBody,
  parseEnvelope,
  replayTopic,
  topicEndOffsets,
  type DeliveredMessage,
  type EventEnvelope,
  type EventSchemaLookup,
  type MessageProcessor,
  type PartitionOffset,
} from '@strata/events';
import type { Database } from './open-database.ts';

/** The counts every replay rebuild keeps; a rebuild's own progress adds its domain's. */
export interface ReplayProgress {
  /** Events read from the topics. */
  read: number;
  /** Envelopes the contract refuses (or the fold refused); the live consumer dead-letters them too. */
  failed: number;
}

/** Where a refused event sits, and why. */
export interface ReplayFailure {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
}

/** How many times the locked swap is tried when it meets the live consumer in a deadlock. */
const LOCKED_SWAP_ATTEMPTS = 3;

/**
 * Rebuilds a projection table from its topics while the live consumer keeps consuming, in two
 * steps (docs/runbooks/rebuild-learning-outlines.md):
 *
 * 1. Replay, without a lock: every event from each partition's first retained offset up to its end
 *    as of now, then once more for what arrived meanwhile, each envelope the contract accepts
 *    handed to `fold`, which keeps the rebuilt rows in memory. Topics are read one after the
 *    other, in the order given: `fold` sees a topic's events in its partitions' order, not the
 *    topics' events interleaved as the live consumer met them.
 * 2. Swap, in one transaction: `lockLive` locks every live row and the gaps between them
 *    (`select … for update` over the whole key); the topics are read to their ends again (so every
 *    event the live consumer committed before the lock is folded too); `swap` replaces the rows.
 *    A later event is the live consumer's, which reads its row `for update` and so waits for the
 *    commit. When both want the same gap InnoDB picks a deadlock victim: the consumer retries its
 *    event, the rebuild its swap (up to three times).
 *
 * Why not a shadow table renamed over the live one: the live consumer goes on writing into the
 * live table during the replay, and a rename would drop what it wrote after the replay's end. Why
 * not one long transaction: it would hold the live consumer off for the whole replay.
 */
export async function rebuildByReplay<TProgress extends ReplayProgress, TLive, TOutcome>(options: {
  readonly database: Database;
  readonly brokers: string[];
  /** The live consumer's topics, read in this order. */
  readonly topics: readonly string[];
  /** What an envelope is checked against: `contractEventCatalog(contract).schema`. */
  readonly schema: EventSchemaLookup;
  /** The replay's own consumer group, never the live consumer's (it commits no offsets anyway). */
  readonly consumerGroup: string;
  /** The caller's counters, starting at zero; `read` and `failed` are counted here. */
  readonly progress: TProgress;
  /** Folds one envelope into the rows kept in memory; throws to refuse it (counted as failed). */
  fold(envelope: EventEnvelope): 'handled' | 'skipped';
  /** Called with a copy of the counters after every `progressEvery` events read. */
  readonly onProgress?: (progress: TProgress) => void;
  readonly progressEvery: number;
  /** In the swap's transaction, before the last catch-up: read and lock every live row. */
  lockLive(tx: SqlEntityManager): Promise<TLive>;
  /** In the same transaction, every event folded: replace the live rows and answer the outcome. */
  swap(tx: SqlEntityManager, live: TLive, failures: ReplayFailure[]): Promise<TOutcome>;
}): Promise<TOutcome> {
  const { progress } = options;
  const failures: ReplayFailure[] = [];
  const folding: MessageProcessor = {
    consumerGroup: options.consumerGroup,
    process: async (message: DeliveredMessage) => {
      progress.read += 1;
      let outcome: 'handled' | 'skipped' | 'dead-lettered';
      try {
        outcome = options.fold(parseEnvelope(messageBody(message.value), options.schema));
      } catch (error) {
        progress.failed += 1;
        failures.push({
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        outcome = 'dead-lettered';
      }
      if (progress.read % options.progressEvery === 0) options.onProgress?.({ ...progress });
      return outcome;
    },
  };
  /** Per topic, where the previous round stopped; none yet: from the start. */
  const readUpTo = new Map<string, PartitionOffset[]>();
  const catchUp = async (): Promise<void> => {
    for (const topic of options.topics) {
      const ends = await topicEndOffsets(options.brokers, topic);
      const previous = readUpTo.get(topic);
      await replayTopic({
        brokers: options.brokers,
        topic,
        // The first round starts at each partition's first retained event (the earliest at or
        // after the epoch), the next ones where the previous stopped.
        from: previous === undefined ? { time: new Date(0) } : { offsets: previous },
        until: ends,
        processor: folding,
      });
      readUpTo.set(topic, ends);
    }
  };

  // Step 1: from each partition's start, then once more for what arrived meanwhile, without a lock.
  await catchUp();
  await catchUp();

  // Step 2: the locked swap.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.database.em().transactional(async (tx) => {
        const live = await options.lockLive(tx);
        await catchUp();
        return options.swap(tx, live, failures);
      });
    } catch (error) {
      const contention = error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
      if (!contention || attempt >= LOCKED_SWAP_ATTEMPTS) throw error;
    }
  }
}
