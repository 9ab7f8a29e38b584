import { createPool, type Pool } from 'mysql2/promise';
import type { EventEnvelope, OutboxRow, OutboxStore } from '@strata/events';
import { databaseNameFor } from './database-config.ts';
import type { Database } from './open-database.ts';
import { onOutboxCommit } from './outbox-commit-signal.ts';

interface RawRow {
  sequence: number | string;
  topic: string;
  envelope: string;
  created_at: number | string;
}

/**
 * The relay's read and mark may run at once (a batch is marked beside the next read), so it holds
 * two connections; more would only sit idle.
 */
const relayConnections = 2;

/**
 * The outbox table read by the relay. Only the leader relay calls it, so no row locking is needed.
 * Every fetch starts again from the oldest unsent row rather than from a cursor: a transaction that
 * took a lower sequence but committed later is still picked up, and a held-back row blocks nothing
 * but its own aggregate's successors.
 *
 * On MariaDB/MySQL the relay's reads and marks go over connections of its own (ADR 0033, the
 * addendum of 2026-12-06), not the service's pool: under load every pooled connection is in a
 * command's transaction and a relay round queued behind them, adding their wait to every event's
 * latency. `close()` ends them; the relay calls it when it stops.
 */
export class SqlOutboxStore implements OutboxStore {
  readonly #database: Database;
  readonly #now: () => number;
  #pool: Pool | undefined;

  constructor(database: Database, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async fetchUnsent(limit: number): Promise<OutboxRow[]> {
    const rows = await this.#relayQuery<RawRow[]>(
      'select sequence, topic, envelope, created_at from outbox where sent_at is null order by sequence limit ?',
      [limit],
      'all',
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
    await this.#relayQuery(
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

  /** Ends the relay's own connections; a later read opens them again. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  async #relayQuery<T>(sql: string, params: readonly number[], method: 'all' | 'run'): Promise<T> {
    const config = this.#database.config;
    // Embedded mode's SQLite is one connection in one process: the relay shares it.
    if (config.kind === 'sqlite')
      return (await this.#database.em().execute(sql, [...params], method)) as unknown as T;
    this.#pool ??= createPool({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: databaseNameFor(config.service),
      connectionLimit: relayConnections,
      enableKeepAlive: true,
    });
    // Escaped on the client, not prepared on the server (prepared-statement-pool.ts): every value
    // is a number the relay made (a limit, a time, sequences it read), no caller's text, and a mark's
    // `in (…)` list has a length per batch size, each a prepared statement of its own otherwise.
    const [result] = await this.#pool.query(sql, [...params]);
    return result as T;
  }
}
