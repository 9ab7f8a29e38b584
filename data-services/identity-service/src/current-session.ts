import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Database } from '@strata/persistence';
import type { UnitOfWork } from '@strata/rpc';

/**
 * The session of the unit of work a call is running in. A domain port called from inside the
 * call (the email check during register) reads through the call's own session, so it sees what
 * the call has loaded and shares its connection rather than asking the pool for a second one.
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

  /** `inner` with each call's work run with its session as the current one. */
  around(inner: UnitOfWork): UnitOfWork {
    return {
      run: (work, options) =>
        inner.run((scope) => this.run(scope.session as SqlEntityManager, () => work(scope)), options),
    };
  }

  /** The running call's session, or a fresh one outside any call. */
  get(): SqlEntityManager {
    return this.storage.getStore() ?? this.database.em();
  }
}
