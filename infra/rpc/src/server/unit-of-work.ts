import type { AggregateRoot } from '@strata/shared-kernel';

/**
 * The persistence port the server runtime saves through. infra/persistence implements it on
 * MikroORM (MySQL in distributed mode, SQLite embedded); the runtime knows nothing of either.
 */
export interface Repository<A extends AggregateRoot> {
  /** The aggregate with this id, or null when there is none. */
  findById(id: string): Promise<A | null>;
  /** A newly created aggregate, inserted when the unit of work commits. */
  add(aggregate: A): void;
}

/** Identifies one logical attempt of a non-idempotent command across retries and failovers. */
export interface IdempotencyScope {
  /** The verified calling service (or user), so two callers' keys never collide. */
  caller: string;
  key: string;
  /** '<Aggregate>.<method>': a key reused for another method is a caller bug and is refused. */
  method: string;
}

export interface UnitOfWorkScope {
  repository<A extends AggregateRoot>(aggregateType: string): Repository<A>;
  /** The adapter's own session (e.g. a MikroORM EntityManager) for finders that query directly. */
  readonly session: unknown;
}

export interface UnitOfWorkOptions {
  idempotency?: IdempotencyScope;
  /**
   * The work only reads (a get, a query, a finder): what it loads is not tracked for saving, so
   * an adapter may skip taking the snapshots it compares at commit. A change such work made to a
   * loaded aggregate is not saved.
   */
  readOnly?: boolean;
}

export interface UnitOfWork {
  /**
   * Runs `work` in one transaction. On success, every aggregate loaded or added through the scope
   * is saved with an optimistic version check and its pending events are written as outbox rows in
   * the same transaction; a version mismatch fails with CONFLICT and nothing is written. With
   * `idempotency`, a result stored earlier for (caller, key) is returned without running `work`,
   * and a new result is stored in the same transaction as the change.
   *
   * Failures the runtime passes to callers are thrown as `RpcError` from the kernel (or a
   * `DomainError` of that category): `CONFLICT` with reason 'aggregate-version-conflict' for a
   * version mismatch, 'aggregate-already-exists' for an added id that exists, and
   * `INVALID_ARGUMENT` with reason 'idempotency-key-reused-for-another-method' when a stored key
   * names another method. Anything else becomes INTERNAL and is logged. `work` computes the
   * answer (the view included) before the commit, so it is what an idempotent repeat receives;
   * the result stored for a key must be returned as a copy, never as a shared object.
   */
  run<T>(work: (scope: UnitOfWorkScope) => Promise<T>, options?: UnitOfWorkOptions): Promise<T>;
}
