import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { tracingIsOn } from '@strata/telemetry';
import type { BrokerMessage, EventBroker } from './event-broker.ts';
import { envelopeToMessage } from './event-message.ts';
import { inPublishSpan } from './messaging-spans.ts';
import { meterOutbox } from './outbox-metrics.ts';
import type { LeaderLock, OutboxRow, OutboxStore } from './outbox-store.ts';

export interface OutboxRelayOptions {
  /** The data service whose outbox this is; names the metrics' label. */
  service: string;
  store: OutboxStore;
  broker: EventBroker;
  lock: LeaderLock;
  batchSize?: number;
  /**
   * Poll interval while the outbox is empty. A commit in this process wakes the relay at once
   * (when the store can tell, `OutboxStore.onCommit`); the poll finds the rows of other processes
   * and of a relay that crashed before marking them sent.
   */
  idleMs?: number;
  /**
   * Least time between the starts of two reads. Each round (read, one produce request, mark) costs
   * about the same whatever its size, so while commits keep coming a relay that waits out the rest
   * of this interval publishes them in fewer, larger rounds; a commit after a quiet spell is read
   * at once. 0 reads again as soon as a round ends.
   */
  minRoundMs?: number;
  /** How often a standby tries the lock, and a leader checks it still holds it. */
  leaderCheckMs?: number;
  /** Where relay lag is exposed; omit to expose nothing. */
  metrics?: Registry;
  onError?: (error: unknown, context: string) => void;
}

interface AggregateBatch {
  rows: OutboxRow[];
  messages: BrokerMessage[];
}

/**
 * Publishes the outbox in insertion order and marks rows sent only after the broker's ack. Only the
 * leader publishes: two relays claiming rows concurrently would reorder one aggregate's events.
 * Delivery is at least once (a crash between ack and mark republishes); consumers' inboxes absorb it.
 */
export class OutboxRelay {
  private readonly options: Required<Omit<OutboxRelayOptions, 'metrics' | 'onError'>> &
    Pick<OutboxRelayOptions, 'onError'>;
  private running = false;
  private loop: Promise<void> | undefined;
  private leader = false;
  private lastLeaderCheck = 0;
  private published = 0;
  private commitSeen = false;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  /** The running loop's marks: rows the broker acked, being marked sent, and the mark itself. */
  private readonly beingMarked = new Set<number>();
  private marking: Promise<void> | undefined;
  private lastRoundAt = 0;

  constructor(options: OutboxRelayOptions) {
    this.options = {
      batchSize: 500,
      idleMs: 50,
      minRoundMs: 15,
      leaderCheckMs: 1_000,
      ...options,
    };
    if (options.metrics) this.registerMetrics(options.metrics);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Rows this relay has published since it started. */
  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.store.onCommit?.(() => {
      this.commitSeen = true;
      this.wake?.();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.loop;
    await this.marking;
    // A standby holds a connection from its last try too; left open, it keeps the process alive.
    await this.options.lock.release();
    this.leader = false;
  }

  /**
   * Publishes one batch of the oldest unsent rows. Rows of an aggregate whose publish failed stay
   * unsent, and so do its later rows: the next batch starts again from the oldest unsent row.
   */
  async publishBatch(): Promise<number> {
    const rows = await this.options.store.fetchUnsent(this.options.batchSize);
    if (rows.length === 0) return 0;
    const retried = await this.publishOrRetry(rows);
    if (retried !== undefined) return retried;
    await this.options.store.markSent(rows.map((row) => row.sequence));
    this.published += rows.length;
    return rows.length;
  }

  /**
   * `publishBatch` as the running loop does it: the acked rows are marked sent beside the next
   * read and publish instead of before them, so a batch's round trip is the read and the broker's
   * ack, not also the mark's commit. The rows being marked when a read starts are left out of it
   * (they are still unsent in the table until the mark commits). At most one mark runs and one waits: a
   * batch's mark starts after the previous one finished. A failed mark is reported and its rows
   * are read and published again (at least once; the consumers' inboxes absorb it), as after a
   * crash between ack and mark.
   */
  private async publishNext(): Promise<number> {
    const pending = this.beingMarked;
    const limit = this.options.batchSize;
    // The marks running when the read starts: one that commits during the read has already left
    // `pending` when the read answers, yet the read's snapshot may predate it and hold its rows.
    const marking = new Set(pending);
    const rows = (await this.options.store.fetchUnsent(limit + marking.size))
      .filter((row) => !marking.has(row.sequence))
      .slice(0, limit);
    if (rows.length === 0) return 0;
    const retried = await this.publishOrRetry(rows);
    if (retried !== undefined) return retried;
    const sequences = rows.map((row) => row.sequence);
    for (const sequence of sequences) pending.add(sequence);
    const previous = this.marking;
    const mark = (async () => {
      await previous;
      try {
        await this.options.store.markSent(sequences);
        this.published += sequences.length;
      } catch (error) {
        this.report(
          error,
          `marking ${sequences.length} published outbox rows sent; they will be published again`,
        );
      } finally {
        for (const sequence of sequences) pending.delete(sequence);
      }
    })();
    this.marking = mark;
    void mark.finally(() => {
      if (this.marking === mark) this.marking = undefined;
    });
    return rows.length;
  }

  /**
   * Publishes `rows` in one send: undefined when the broker acked them all. When the send fails,
   * they are sent again aggregate by aggregate (once a running mark has finished), and the answer
   * is how many of them that sent and marked.
   */
  private async publishOrRetry(rows: OutboxRow[]): Promise<number | undefined> {
    const messages = rows.map((row) => envelopeToMessage(row.topic, row.envelope));
    try {
      await this.publish(rows, messages);
      return undefined;
    } catch (error) {
      this.report(error, `publishing ${rows.length} outbox rows; retrying aggregate by aggregate`);
      await this.marking;
      return this.publishPerAggregate(rows, messages);
    }
  }

  private async publishPerAggregate(rows: OutboxRow[], messages: BrokerMessage[]): Promise<number> {
    const batches = new Map<string, AggregateBatch>();
    rows.forEach((row, index) => {
      const key = `${row.topic}\u0000${row.envelope.aggregateId}`;
      const batch = batches.get(key) ?? { rows: [], messages: [] };
      batch.rows.push(row);
      batch.messages.push(messages[index] as BrokerMessage);
      batches.set(key, batch);
    });
    const outcomes = await Promise.allSettled(
      [...batches.values()].map((batch) => this.publish(batch.rows, batch.messages)),
    );
    const sent: number[] = [];
    outcomes.forEach((outcome, index) => {
      const batch = [...batches.values()][index] as AggregateBatch;
      if (outcome.status === 'fulfilled') sent.push(...batch.rows.map((row) => row.sequence));
      else
        this.report(
          outcome.reason,
          `holding back ${batch.rows.length} event(s) of ${batch.rows[0]?.envelope.aggregateType} ${batch.rows[0]?.envelope.aggregateId}`,
        );
    });
    if (sent.length > 0) await this.options.store.markSent(sent);
    this.published += sent.length;
    return sent.length;
  }

  private publish(rows: readonly OutboxRow[], messages: readonly BrokerMessage[]): Promise<void> {
    const broker = this.options.broker;
    return tracingIsOn()
      ? inPublishSpan(broker.system, rows, () => broker.publish(messages))
      : broker.publish(messages);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!(await this.holdsLeadership())) {
          await sleep(this.options.leaderCheckMs);
          continue;
        }
        const early = this.lastRoundAt + this.options.minRoundMs - Date.now();
        if (early > 0) await sleep(early);
        this.lastRoundAt = Date.now();
        // Cleared before the read: a commit landing during it or the publish makes the loop read again.
        this.commitSeen = false;
        const count = await this.publishNext();
        failures = 0;
        if (count < this.options.batchSize) await this.idle();
      } catch (error) {
        failures += 1;
        this.report(error, `relay of ${this.options.service}, attempt ${failures}`);
        await sleep(Math.min(100 * 2 ** failures, 5_000));
      }
    }
  }

  /** Until the poll interval passes, a commit of this process is seen, or the relay stops. */
  private idle(): Promise<void> {
    if (this.commitSeen || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.idleMs);
      this.wake = done;
    });
  }

  private async holdsLeadership(): Promise<boolean> {
    const now = Date.now();
    if (!this.leader) {
      this.leader = await this.options.lock.tryAcquire();
      this.lastLeaderCheck = now;
    } else if (now - this.lastLeaderCheck >= this.options.leaderCheckMs) {
      this.leader = await this.options.lock.isHeld();
      this.lastLeaderCheck = now;
    }
    return this.leader;
  }

  private report(error: unknown, context: string): void {
    this.options.onError?.(error, context);
  }

  private registerMetrics(registry: Registry): void {
    const store = this.options.store;
    meterOutbox(registry, this.options.service, () => store.backlog());
  }
}
