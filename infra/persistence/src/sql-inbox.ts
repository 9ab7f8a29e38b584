import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Inbox } from '@strata/events';
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
