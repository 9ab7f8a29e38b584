import type { BrokerMessage, EventBroker } from '@strata/events';
import type { RuntimeLogger } from '@strata/rpc';
import { visitMessagesOf } from './queued-visit.ts';
import { ReusedValueBytes } from './reused-value-bytes.ts';
import type { VisitQueue } from './visit-ledger.ts';

/** Queue entries per round; an entry holds the visits of one of the ledger's commits (≤ 1,000). */
const ENTRIES = 200;
/**
 * After a round that was not full, the next waits this long: visits gather into fewer, larger
 * messages and fewer round trips to Redis and Kafka, each of which costs the redirect host's CPU
 * a round of system calls (ADR 0031). Statistics follow the visits by this much more.
 */
const LINGER_MS = 100;
/**
 * Bytes of messages per publish at most. Kafka refuses a partition's record batch over its
 * `message.max.bytes` (1 MB by default) and kafkajs puts all of a publish's messages for one
 * partition in one batch; a LinkVisitsRecorded of 1,000 visits is about 250 KB (under 500 KB with
 * the longest referrer hosts), so each publish holds at least one whole message.
 */
const PUBLISH_BYTES = 600_000;
/**
 * The region a round's message values are written into (ReusedValueBytes): a full round at the
 * bench's rate (200 entries of ~13 visits) is ~650 KB; a larger round's values past it are buffers
 * of their own.
 */
const VALUE_BYTES = 2 * 1024 * 1024;
/** How long a shipper waits for visits before looking again (and at others' left-overs). */
const WAIT_MS = 200;
const RETRY_MS = 1_000;

/**
 * Ships queued visits to the visits' topic (ADR 0063) in batches, at least once: a link's visits of a round
 * travel in one LinkVisitsRecorded (ADR 0031), and a queue entry is acknowledged only after the
 * broker acknowledged its visits, so a crash or a refused publish ships them again, and consumers
 * deduplicate by each visit's id.
 */
export class VisitShipper {
  readonly #queue: VisitQueue;
  readonly #broker: EventBroker;
  readonly #topic: string;
  readonly #logger: Pick<RuntimeLogger, 'warn'>;
  #running: Promise<void> | undefined;
  #stopping = false;
  readonly #values = new ReusedValueBytes(VALUE_BYTES);
  shipped = 0;

  constructor(options: {
    queue: VisitQueue;
    broker: EventBroker;
    topic: string;
    logger: Pick<RuntimeLogger, 'warn'>;
  }) {
    this.#queue = options.queue;
    this.#broker = options.broker;
    this.#topic = options.topic;
    this.#logger = options.logger;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      try {
        const taken = await this.#shipOnce(WAIT_MS);
        if (taken > 0 && taken < ENTRIES && !this.#stopping) {
          await new Promise((resolve) => setTimeout(resolve, LINGER_MS));
        }
      } catch (error) {
        this.#values.abandon();
        this.#queue.release();
        this.#logger.warn({ err: error }, 'shipping visits failed; retrying (they stay queued)');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
    // What was queued before the stop leaves now; what cannot stays queued for the next start.
    try {
      while ((await this.#shipOnce(0)) > 0);
    } catch (error) {
      this.#logger.warn({ err: error }, 'visits left queued at stop; they ship at the next start');
    }
  }

  /** Answers how many queue entries it took. */
  async #shipOnce(waitMs: number): Promise<number> {
    const entries = await this.#queue.take(ENTRIES, waitMs);
    if (entries.length === 0) return 0;
    const batches = entries.flatMap((entry) => entry.batches);
    // The round before this one was acknowledged by the broker (or abandoned its values when a
    // publish failed): no producer reads what it wrote any more.
    this.#values.reuse();
    const messages = visitMessagesOf(this.#topic, batches, this.#values.join);
    let batch: BrokerMessage[] = [];
    let bytes = 0;
    for (const message of messages) {
      if (batch.length > 0 && bytes + message.value.length > PUBLISH_BYTES) {
        await this.#broker.publish(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(message);
      bytes += message.value.length;
    }
    await this.#broker.publish(batch);
    await this.#queue.acknowledge(entries.map(({ handle }) => handle));
    this.shipped += batches.reduce((sum, batch) => sum + batch.count, 0);
    return entries.length;
  }
}
