import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Inbox, InboxItem } from '@strata/events';
import type { Database } from './open-database.ts';

/**
 * The inbox on the consuming data service's database: the (group, event id) row is inserted first,
 * in the handler's transaction. A concurrent redelivery blocks on that key until the first commits
 * and then fails as a duplicate; a failed handler rolls the row back with its own writes.
 */
export class SqlInbox implements Inbox<SqlEntityManager> {
  readonly #database: Database;
  readonly #now: () => number;

  constructor(database: Database, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async handleOnce(
    consumerGroup: string,
    eventId: string,
    work: (session: SqlEntityManager) => Promise<void>,
  ): Promise<'handled' | 'duplicate'> {
    try {
      await this.#database.em().transactional(async (em) => {
        await em.execute(
          'insert into inbox (consumer_group, event_id, handled_at) values (?, ?, ?)',
          [consumerGroup, eventId, this.#now()],
          'run',
        );
        await work(em);
      });
      return 'handled';
    } catch (error) {
      if (
        error instanceof UniqueConstraintViolationException &&
        (await this.#isRecorded(consumerGroup, eventId))
      )
        return 'duplicate';
      throw error;
    }
  }

  /**
   * Several events in one transaction: the ids are inserted in one statement, then the handlers
   * run in order on the same session. Usually none is recorded yet, so the insert is the only
   * statement before the handlers; when one is (a redelivery), the insert fails as a duplicate key
   * having written nothing (the database undoes the failed statement, not the transaction), and
   * the ids already recorded are read and only the others inserted. A concurrent redelivery of one
   * of them blocks the insert until it commits and then fails it the same way; if it is still
   * uncommitted at the read, the second insert fails and rolls the whole batch back, and the
   * processor handles the events one by one.
   */
  async handleBatchOnce(
    consumerGroup: string,
    items: readonly InboxItem<SqlEntityManager>[],
  ): Promise<('handled' | 'duplicate')[]> {
    if (items.length === 0) return [];
    const ids = [...new Set(items.map((item) => item.eventId))];
    const handledAt = this.#now();
    const record = (em: SqlEntityManager, fresh: readonly string[]) =>
      em.execute(
        `insert into inbox (consumer_group, event_id, handled_at) values ${fresh.map(() => '(?, ?, ?)').join(', ')}`,
        fresh.flatMap((id) => [consumerGroup, id, handledAt]),
        'run',
      );
    return this.#database.em().transactional(async (em) => {
      const seen = new Set<string>();
      try {
        await record(em, ids);
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        const recorded = await em.execute<{ event_id: string }[]>(
          `select event_id from inbox where consumer_group = ? and event_id in (${ids.map(() => '?').join(', ')})`,
          [consumerGroup, ...ids],
        );
        for (const row of recorded) seen.add(row.event_id);
        const fresh = ids.filter((id) => !seen.has(id));
        if (fresh.length > 0) await record(em, fresh);
      }
      const outcomes: ('handled' | 'duplicate')[] = [];
      for (const item of items) {
        // The same id twice in one batch (a republished row) is handled once, like a redelivery.
        if (seen.has(item.eventId)) {
          outcomes.push('duplicate');
          continue;
        }
        seen.add(item.eventId);
        await item.work(em);
        outcomes.push('handled');
      }
      return outcomes;
    });
  }

  async #isRecorded(consumerGroup: string, eventId: string): Promise<boolean> {
    const rows = await this.#database
      .em()
      .execute<unknown[]>('select 1 from inbox where consumer_group = ? and event_id = ?', [
        consumerGroup,
        eventId,
      ]);
    return rows.length > 0;
  }
}
