import { envelopeToMessage, type EventBroker } from '@strata/events';
import type { RuntimeLogger } from '@strata/rpc';
import { visitEnvelopeOf } from './queued-visit.ts';
import type { VisitQueue } from './visit-ledger.ts';

/** Queue entries per round; an entry holds the visits of one of the ledger's commits. */
const ENTRIES = 50;
/**
 * Visits per publish: large enough to amortise the broker's round trip, small enough that a batch
 * stays under the broker's message size limit (1 MB by default; a visit is under 1 KB).
 */
const BATCH = 500;
/** How long a shipper waits for visits before looking again (and at others' left-overs). */
const WAIT_MS = 200;
const RETRY_MS = 1_000;

/**
 * Ships queued visits to the links topic in batches, at least once: a batch is acknowledged in the
 * queue only after the broker acknowledged it, so a crash or a refused publish ships it again, and
 * consumers deduplicate by the envelope id, which is the visit id.
 */
export class VisitShipper {
  readonly #queue: VisitQueue;
  readonly #broker: EventBroker;
  readonly #topic: string;
  readonly #logger: Pick<RuntimeLogger, 'warn'>;
  #running: Promise<void> | undefined;
  #stopping = false;
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
        await this.#shipOnce(WAIT_MS);
      } catch (error) {
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
    const messages = entries.flatMap(({ visits }) =>
      visits.map((visit) => envelopeToMessage(this.#topic, visitEnvelopeOf(visit))),
    );
    for (let from = 0; from < messages.length; from += BATCH) {
      await this.#broker.publish(messages.slice(from, from + BATCH));
    }
    await this.#queue.acknowledge(entries.map(({ handle }) => handle));
    this.shipped += messages.length;
    return entries.length;
  }
}
