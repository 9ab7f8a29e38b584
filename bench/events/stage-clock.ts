import type { EventBroker, InboxItem, OutboxStore } from '@strata/events';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { SqlInbox } from '@strata/persistence';
import { monotonicMs } from './monotonic-clock.ts';

/** The stages an event passes, in order; the command's call is `called`. */
const stages = [
  'called',
  'committed',
  'relayRead',
  'kafkaAck',
  'dispatched',
  'handled',
  'inboxCommitted',
] as const;
export type Stage = (typeof stages)[number];

/**
 * Per-stage instants of every event of a run (`BENCH_STAGES=1`), keyed by aggregate id (one event
 * per Tick): the command's call and commit, the relay's read of its row and the broker's ack, the
 * consumer's handler and the inbox transaction's commit. Summarised as p50/p99 of each step.
 */
export class StageClock {
  readonly #at = new Map<string, Partial<Record<Stage, number>>>();

  /** `at` defaults to now; the consumer's process passes the instant it took (same monotonic clock). */
  mark(key: string, stage: Stage, at: number = monotonicMs()): void {
    const entry = this.#at.get(key) ?? {};
    entry[stage] ??= at;
    this.#at.set(key, entry);
  }

  /** The relay's store, marking `relayRead` for every row it reads. */
  store(inner: OutboxStore): OutboxStore {
    return {
      fetchUnsent: async (limit) => {
        const rows = await inner.fetchUnsent(limit);
        for (const row of rows) this.mark(row.envelope.aggregateId, 'relayRead');
        return rows;
      },
      markSent: (sequences) => inner.markSent(sequences),
      backlog: () => inner.backlog(),
      ...(inner.onCommit ? { onCommit: (listener: () => void) => inner.onCommit!(listener) } : {}),
    } satisfies OutboxStore;
  }

  /** The relay's broker, marking `kafkaAck` for every message once its publish resolved. */
  broker(inner: EventBroker): EventBroker {
    return {
      system: inner.system,
      publish: async (messages) => {
        await inner.publish(messages);
        for (const message of messages) this.mark(message.key, 'kafkaAck');
      },
      close: () => inner.close(),
    };
  }

  /** Marks `inboxCommitted` for a batch's events once its transaction committed. */
  inbox(inner: SqlInbox, keyOf: (eventId: string) => string | undefined): SqlInbox {
    const handleBatchOnce = inner.handleBatchOnce.bind(inner);
    const handleOnce = inner.handleOnce.bind(inner);
    return Object.assign(Object.create(inner) as SqlInbox, {
      handleBatchOnce: async (group: string, items: readonly InboxItem<SqlEntityManager>[]) => {
        const outcomes = await handleBatchOnce(group, items);
        for (const item of items) {
          const key = keyOf(item.eventId);
          if (key !== undefined) this.mark(key, 'inboxCommitted');
        }
        return outcomes;
      },
      handleOnce: async (
        group: string,
        eventId: string,
        work: (session: SqlEntityManager) => Promise<void>,
      ) => {
        const outcome = await handleOnce(group, eventId, work);
        const key = keyOf(eventId);
        if (key !== undefined) this.mark(key, 'inboxCommitted');
        return outcome;
      },
    });
  }

  /** Forgets every instant so far (the warm-up's). */
  clear(): void {
    this.#at.clear();
  }

  /** Every event's instants, for a trace file (BENCH_TRACE). */
  entries(): [string, Partial<Record<Stage, number>>][] {
    return [...this.#at.entries()];
  }

  /**
   * One line per step: p50 and p99 in ms over the events that have both instants; then the span
   * from the commit to the handler (issue 21's goal: the row's latency without the command's own
   * commit).
   */
  summary(): string[] {
    const steps = stages.slice(1).map((to, index) => [stages[index] as Stage, to] as const);
    return [...steps, ['committed', 'handled'] as const].map(([from, to]) => {
      const deltas = [...this.#at.values()]
        .filter((entry) => entry[from] !== undefined && entry[to] !== undefined)
        .map((entry) => (entry[to] as number) - (entry[from] as number))
        .sort((a, b) => a - b);
      const percentile = (q: number) =>
        (deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))] ?? 0).toFixed(1).padStart(7);
      return `  ${`${from} → ${to}`.padEnd(30)} p50 ${percentile(0.5)} ms  p99 ${percentile(0.99)} ms  (${deltas.length} events)`;
    });
  }
}
