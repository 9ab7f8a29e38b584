import { AsyncLocalStorage } from 'node:async_hooks';
import { DeadlockException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventCatalog, EventCause } from '@strata/events';
import { DomainError, newId, type AggregateRoot } from '@strata/shared-kernel';
import { tracingIsOn } from '@strata/telemetry';
import type { AggregateStorage } from './aggregate-mapping.ts';
import { AggregateReader } from './aggregate-reader.ts';
import { AggregateWriter } from './aggregate-writer.ts';
import { inCommitSpan } from './commit-span.ts';
import type { Database } from './open-database.ts';
import { storedResult, storeResult, type IdempotencyScope } from './idempotency-store.ts';
import { signalOutboxCommit } from './outbox-commit-signal.ts';
import { writeOutbox } from './outbox-writer.ts';
import { changesOf, type StoredRecord, type Tracked } from './tracked-aggregate.ts';

/** Mirrors the RPC server's Repository port, plus a locking load for event handlers. */
export interface AggregateRepository<A extends AggregateRoot> {
  /**
   * `forUpdate`: for a handler that serialises on the aggregate inside its transaction (one feed
   * written by two instances at once). The load is then a locking read: it waits for a concurrent
   * writer to commit and sees what it committed, where a plain load sees the transaction's
   * snapshot, taken at its first read, and the version check would refuse every write made from it.
   * Ask for it at the aggregate's first load in the work.
   */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<A | null>;
  add(aggregate: A): void;
}

/** Mirrors the RPC server's UnitOfWorkScope; `session` is the transaction's EntityManager. */
export interface MikroOrmScope {
  repository<A extends AggregateRoot>(aggregateType: string): AggregateRepository<A>;
  readonly session: SqlEntityManager;
}

export interface MikroOrmUnitOfWorkOptions {
  database: Database;
  /** Aggregate type (`aggregateType` of the root) → how it is stored as a record. */
  aggregates: Record<string, AggregateStorage>;
  events: EventCatalog;
  /** The deployment whose topics the outbox rows name; see `topicFor`. */
  topicNamespace?: string;
  /** The call being served (correlation, causation, trace); the runtime reads it from its request context. */
  cause?: () => EventCause;
  /** How long a stored idempotent result answers retries. */
  idempotencyWindowMs: number;
  /**
   * Turns a failed write into the domain's own error where the database enforces a rule the
   * domain names (a unique email), instead of the generic `aggregate-already-exists`.
   */
  translateWriteError?: (error: unknown) => unknown;
  now?: () => number;
}

/**
 * The RPC runtime's UnitOfWork on MikroORM: one transaction holding the aggregates' changes, an
 * optimistic version check per aggregate, its events as outbox rows and the idempotent result.
 *
 * The command's own work (loading aggregates, the domain's decision, a deliberately slow password
 * hash) runs before that transaction opens, so it holds neither a pooled connection nor a row lock
 * while it thinks; the version check refuses the write if another command changed an aggregate
 * meanwhile, so nothing is lost by not reading inside the transaction.
 *
 * The version check is the changed aggregate's own update, `update … set <changed fields>, version
 * = ? where id = ? and version = ?` (rather than MikroORM's own version property), so the
 * aggregate's `version` stays "as persisted" until `markSaved()` and advances once per committed
 * command that created, changed or recorded events on it, even when the command only recorded
 * events. Aggregates only read are neither checked nor advanced. A created aggregate is inserted at
 * its next version directly: its insert cannot race another command on the same row except as a
 * duplicate key.
 */
/*
 * Handlers' transactions in which a unit of work's savepoint rolled back. The records the work
 * changed are still changed in the session's identity map (a rollback does not undo objects), and
 * under REPEATABLE READ a fresh read in that transaction sees its old snapshot, not what the
 * concurrent writer committed: a retry there would decide on state that is neither. So a second
 * unit of work in such a transaction is refused; the handler's transaction must end and the event
 * be delivered again to a fresh session (the checkout's lost input, stop 26, was this).
 */
const rolledBackWithin = new WeakSet<SqlEntityManager>();

export class MikroOrmUnitOfWork {
  readonly #options: MikroOrmUnitOfWorkOptions;
  /** The running work's session, forked when first asked for (see `#attempt`). */
  readonly #running = new AsyncLocalStorage<() => SqlEntityManager>();
  readonly #reader: AggregateReader;
  readonly #writer: AggregateWriter;

  constructor(options: MikroOrmUnitOfWorkOptions) {
    this.#options = options;
    this.#reader = new AggregateReader(options.database.config.kind === 'mysql');
    this.#writer = new AggregateWriter(options.translateWriteError);
  }

  /**
   * The session of the unit of work the caller runs in, or a fresh one outside any. A port called
   * from inside the work (a query, the email check during register) reads through the work's own
   * session, so it sees what the work loaded and asks the pool for no second connection.
   */
  session(): SqlEntityManager {
    const running = this.#running.getStore();
    return running === undefined ? this.#options.database.em() : running();
  }

  /**
   * `within`: a session already in a transaction (an event handler's, holding its inbox row). The
   * work then loads through it and commits as a savepoint of that transaction, so its changes and
   * the inbox row commit or roll back together. Embedded SQLite has one connection, so a handler
   * that opened a second transaction there would wait for its own. Once a unit of work's commit
   * failed inside `within`, another unit of work in it is refused with an error (not a DomainError):
   * retrying in the same transaction would act on stale objects. `readOnly`: what the work loads
   * is not tracked (no snapshot taken, none compared), nothing is saved and no transaction opens.
   */
  async run<T>(
    work: (scope: MikroOrmScope) => Promise<T>,
    options: { idempotency?: IdempotencyScope; within?: SqlEntityManager; readOnly?: boolean } = {},
  ): Promise<T> {
    const { idempotency } = options;
    try {
      return await this.#attempt(work, idempotency, options.within, options.readOnly === true);
    } catch (error) {
      // A concurrent attempt with the same key may have committed first (its insert made ours fail,
      // or it changed the aggregate under us): its answer is ours.
      if (
        idempotency &&
        !(error instanceof DomainError && error.code === 'idempotency-key-reused-for-another-method')
      ) {
        const stored = await storedResult(this.#options.database.em(), idempotency, this.#now());
        if (stored.found) return stored.value as T;
      }
      throw translate(error);
    }
  }

  async #attempt<T>(
    work: (scope: MikroOrmScope) => Promise<T>,
    idempotency: IdempotencyScope | undefined,
    within: SqlEntityManager | undefined,
    readOnly: boolean,
  ): Promise<T> {
    const tracked = new Map<AggregateRoot, Tracked>();
    let outboxRows = 0;
    if (within !== undefined && rolledBackWithin.has(within))
      throw new Error(
        "a unit of work inside this handler's transaction already failed to commit and its savepoint rolled back; " +
          'the session holds its changed objects and an old snapshot, so nothing more may run in it: end the transaction and let the event be delivered again',
      );
    // A read-only run outside a handler's transaction loads through the pool and forks a session
    // only if its work asks for one (a query port): the fork alone cost a `Course.get` about a
    // quarter of its handler's CPU (ADR 0050 addendum).
    const pooled = readOnly && within === undefined && idempotency === undefined;
    let forked = within ?? (pooled ? undefined : this.#options.database.em());
    const session = () => (forked ??= this.#options.database.em());
    if (idempotency) {
      const stored = await storedResult(session(), idempotency, this.#now());
      if (stored.found) return stored.value as T;
    }
    // Only a pooled run starts with no session, so "no session yet" is the whole test.
    const loadsFromPool = () => forked === undefined;
    const value = await this.#running.run(session, () =>
      work(this.#scope(session, loadsFromPool, readOnly ? undefined : tracked)),
    );
    if (readOnly) return value;
    const changed = changesOf(tracked);
    // A call that only read (a get, a query, a refused command) writes nothing and opens no transaction.
    if (changed.length === 0 && !idempotency) return value;
    const saved = changed.map(({ aggregate }) => aggregate);
    const commit = (cause: EventCause) =>
      session().transactional(async (em) => {
        if (idempotency) {
          const stored = await storedResult(em, idempotency, this.#now());
          if (stored.found) return { replayed: true as const, value: stored.value as T };
        }
        for (const change of changed) await this.#writer.write(em, change);
        outboxRows = await writeOutbox(em, saved, {
          events: this.#options.events,
          topicNamespace: this.#options.topicNamespace,
          cause,
          createdAt: this.#now(),
        });
        if (idempotency)
          await storeResult(em, idempotency, value, this.#now(), this.#options.idempotencyWindowMs);
        return { replayed: false as const, value };
      });
    const cause = this.#options.cause?.() ?? { correlationId: newId() };
    let outcome: Awaited<ReturnType<typeof commit>>;
    try {
      outcome = await (tracingIsOn()
        ? inCommitSpan(this.#options.database, saved, cause, commit)
        : commit(cause));
    } catch (error) {
      if (within !== undefined) rolledBackWithin.add(within);
      throw error;
    }
    if (!outcome.replayed) for (const aggregate of saved) aggregate.markSaved();
    // Within a handler's transaction the rows commit later, with it; the relay's poll finds them.
    if (!outcome.replayed && outboxRows > 0 && within === undefined)
      signalOutboxCommit(this.#options.database);
    return outcome.value;
  }

  /**
   * `tracked` undefined: a read-only run, whose loads take no snapshot to compare at commit.
   * `loadsFromPool`: whether a load goes to the pool, outside any session: in a pooled run until its
   * work forks a session. From then on loads read through that session, so they see what its
   * transaction wrote, and on SQLite (one connection) do not wait for the transaction to end.
   */
  #scope(
    session: () => SqlEntityManager,
    loadsFromPool: () => boolean,
    tracked: Map<AggregateRoot, Tracked> | undefined,
  ): MikroOrmScope {
    // One aggregate object per record within a run, as an identity map would give.
    const restored = new Map<string, AggregateRoot>();
    // Made at the first locking load: most runs take none, and a run is on every command's path.
    let locked: Set<string> | undefined;
    const { orm } = this.#options.database;
    return {
      get session() {
        return session();
      },
      repository: <A extends AggregateRoot>(aggregateType: string): AggregateRepository<A> => {
        const storage = this.#options.aggregates[aggregateType];
        if (!storage)
          throw new Error(`no EntitySchema mapping is registered for aggregate type "${aggregateType}"`);
        return {
          findById: async (id, options) => {
            const key = `${aggregateType}/${id}`;
            const forUpdate = options?.forUpdate === true;
            let aggregate = restored.get(key);
            if (aggregate !== undefined && forUpdate && locked?.has(key) !== true)
              throw new Error(
                `${aggregateType} ${id} was loaded without a lock earlier in this unit of work; load it for update the first time`,
              );
            if (aggregate === undefined) {
              // A locking read needs the work's transaction, so it forks the session if none is yet.
              const record = await (loadsFromPool() && !forUpdate
                ? this.#reader.readPooled(orm.em as SqlEntityManager, storage, id)
                : this.#reader.read(session(), storage, id, forUpdate));
              if (forUpdate) (locked ??= new Set()).add(key);
              if (record === null) return null;
              aggregate = storage.toAggregate(record as { id: string; version: number });
              restored.set(key, aggregate);
            }
            if (tracked !== undefined && !tracked.has(aggregate)) {
              tracked.set(aggregate, {
                aggregate,
                storage,
                loaded: storage.toRecord(aggregate) as StoredRecord,
              });
            }
            return aggregate as A;
          },
          add: (aggregate) => {
            if (tracked === undefined)
              throw new Error(
                `a read-only unit of work cannot add ${aggregateType} ${aggregate.id}: run it without readOnly`,
              );
            tracked.set(aggregate, { aggregate, storage });
          },
        };
      },
    };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function translate(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException) {
    return DomainError.conflict(
      'aggregate-already-exists',
      `an aggregate with this id already exists: ${error.message}`,
    );
  }
  if (error instanceof DeadlockException) {
    return DomainError.conflict(
      'concurrent-change',
      `a concurrent command touched the same data; retry: ${error.message}`,
    );
  }
  return error;
}
