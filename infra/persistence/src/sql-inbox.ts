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
   * Several events in one transaction: the ids already recorded are read in one statement, the new
   * ones inserted in one, then the handlers run in order on the same session. A concurrent
   * redelivery of one of them blocks the insert until it commits and then fails it as a duplicate
   * key, which rolls the whole batch back; the processor then handles the events one by one.
   */
  async handleBatchOnce(
    consumerGroup: string,
    items: readonly InboxItem<SqlEntityManager>[],
  ): Promise<('handled' | 'duplicate')[]> {
    if (items.length === 0) return [];
    const ids = [...new Set(items.map((item) => item.eventId))];
    const handledAt = this.#now();
    return this.#database.em().transactional(async (em) => {
      const recorded = await em.execute<{ event_id: string }[]>(
        `select event_id from inbox where consumer_group = ? and event_id in (${ids.map(() => '?').join(', ')})`,
        [consumerGroup, ...ids],
      );
      const seen = new Set(recorded.map((row) => row.event_id));
      const fresh = ids.filter((id) => !seen.has(id));
      if (fresh.length > 0)
        await em.execute(
          `insert into inbox (consumer_group, event_id, handled_at) values ${fresh.map(() => '(?, ?, ?)').join(', ')}`,
          fresh.flatMap((id) => [consumerGroup, id, handledAt]),
          'run',
        );
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
