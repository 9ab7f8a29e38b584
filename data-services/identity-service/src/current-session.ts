import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Database } from '@strata/persistence';

/**
 * The session of the unit of work a call is running in. A domain port called from inside the
 * call (the email check during register) must read through the call's own transaction: SQLite has
 * one connection, which the open transaction holds, so a second session would wait on it forever.
 */
export class CurrentSession {
  private readonly storage = new AsyncLocalStorage<SqlEntityManager>();
  private readonly database: Database;

  constructor(database: Database) {
    this.database = database;
  }

  run<T>(session: SqlEntityManager, work: () => Promise<T>): Promise<T> {
    return this.storage.run(session, work);
  }

  /** The running call's session, or a fresh one outside any call. */
  get(): SqlEntityManager {
    return this.storage.getStore() ?? this.database.em();
  }
}
