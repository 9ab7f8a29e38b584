import type { EventEnvelope, OutboxRow, OutboxStore } from '@strata/events';
import type { Database } from './open-database.ts';
import { onOutboxCommit } from './outbox-commit-signal.ts';

interface RawRow {
  sequence: number | string;
  topic: string;
  envelope: string;
  created_at: number | string;
}

/**
 * The outbox table read by the relay. Only the leader relay calls it, so no row locking is needed.
 * Every fetch starts again from the oldest unsent row rather than from a cursor: a transaction that
 * took a lower sequence but committed later is still picked up, and a held-back row blocks nothing
 * but its own aggregate's successors.
 */
export class SqlOutboxStore implements OutboxStore {
  readonly #database: Database;
  readonly #now: () => number;

  constructor(database: Database, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async fetchUnsent(limit: number): Promise<OutboxRow[]> {
    const rows = await this.#database
      .em()
      .execute<RawRow[]>(
        'select sequence, topic, envelope, created_at from outbox where sent_at is null order by sequence limit ?',
        [limit],
      );
    return rows.map((row) => ({
      sequence: Number(row.sequence),
      topic: row.topic,
      envelope: JSON.parse(row.envelope) as EventEnvelope,
      createdAtMs: Number(row.created_at),
    }));
  }

  async markSent(sequences: readonly number[]): Promise<void> {
    if (sequences.length === 0) return;
    await this.#database
      .em()
      .execute(
        `update outbox set sent_at = ? where sequence in (${sequences.map(() => '?').join(', ')})`,
        [this.#now(), ...sequences],
        'run',
      );
  }

  onCommit(listener: () => void): () => void {
    return onOutboxCommit(this.#database, listener);
  }

  async backlog(): Promise<{ unsent: number; oldestCreatedAtMs: number | null }> {
    const [row] = await this.#database
      .em()
      .execute<{ unsent: number | string; oldest: number | string | null }[]>(
        'select count(*) as unsent, min(created_at) as oldest from outbox where sent_at is null',
      );
    return {
      unsent: Number(row?.unsent ?? 0),
      oldestCreatedAtMs: row?.oldest == null ? null : Number(row.oldest),
    };
  }
}
