import { RpcError, type AggregateRoot, type DomainEvent } from '@strata/shared-kernel';
import type { Repository, UnitOfWork, UnitOfWorkOptions, UnitOfWorkScope } from '../../src/server/index.ts';

/**
 * A test double of the persistence port that keeps its contract: loads give each unit of work its
 * own copy, commit checks versions (CONFLICT, nothing written), events go to an outbox in the same
 * step as the state, and an idempotency key answers a repeat with the stored first result.
 *
 * Copies use structuredClone on own fields, so test aggregates keep plain data in their fields.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  private readonly rows = new Map<string, { version: number; state: AggregateRoot }>();
  private readonly answers = new Map<string, { method: string; result: Promise<unknown> }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly outbox: DomainEvent[] = [];
  commits = 0;

  /** Read-only runs, which commit nothing (their loads are not compared at commit). */
  readOnlyRuns = 0;

  async run<T>(work: (scope: UnitOfWorkScope) => Promise<T>, options?: UnitOfWorkOptions): Promise<T> {
    if (options?.readOnly === true) {
      this.readOnlyRuns += 1;
      return work(new InMemoryScope(this));
    }
    const idempotency = options?.idempotency;
    if (idempotency === undefined) return this.transaction(work);
    const key = `${idempotency.caller}\u0000${idempotency.key}`;
    const stored = this.answers.get(key);
    if (stored !== undefined) {
      if (stored.method !== idempotency.method) {
        throw new RpcError(
          'INVALID_ARGUMENT',
          `idempotency key ${idempotency.key} was first used for ${stored.method}, not ${idempotency.method}`,
          {
            reason: 'idempotency-key-reused-for-another-method',
          },
        );
      }
      return structuredClone(await stored.result) as T;
    }
    // Stored before it settles, so a concurrent repeat waits for the first attempt instead of running twice.
    const result = this.transaction(work);
    this.answers.set(key, { method: idempotency.method, result });
    try {
      return structuredClone(await result);
    } catch (error) {
      this.answers.delete(key);
      throw error;
    }
  }

  /** The stored aggregate, as a fresh copy, for assertions. */
  stored<A extends AggregateRoot>(aggregateType: string, id: string): A | undefined {
    const row = this.rows.get(`${aggregateType}:${id}`);
    return row === undefined ? undefined : (copy(row.state) as A);
  }

  all<A extends AggregateRoot>(aggregateType: string): A[] {
    return [...this.rows.entries()]
      .filter(([key]) => key.startsWith(`${aggregateType}:`))
      .map(([, row]) => copy(row.state) as A);
  }

  /** Settles once every unit of work under way has committed or rolled back, even those whose caller stopped waiting. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private transaction<T>(work: (scope: UnitOfWorkScope) => Promise<T>): Promise<T> {
    const scope = new InMemoryScope(this);
    const running = work(scope).then((result) => {
      this.commit(scope);
      return result;
    });
    this.inFlight.add(running);
    void running.then(
      () => this.inFlight.delete(running),
      () => this.inFlight.delete(running),
    );
    return running;
  }

  private commit(scope: InMemoryScope): void {
    for (const aggregate of scope.added) {
      if (this.rows.has(keyOf(aggregate))) {
        throw new RpcError('CONFLICT', `${aggregate.aggregateType} ${aggregate.id} already exists`, {
          reason: 'aggregate-already-exists',
        });
      }
    }
    const changed = [...scope.loaded.values()].filter(
      ({ aggregate, snapshot }) => aggregate.pendingEvents.length > 0 || stateOf(aggregate) !== snapshot,
    );
    for (const { aggregate } of changed) {
      const row = this.rows.get(keyOf(aggregate));
      if (row?.version !== aggregate.version) {
        throw new RpcError(
          'CONFLICT',
          `${aggregate.aggregateType} ${aggregate.id} was changed by another call since it was loaded`,
          {
            reason: 'aggregate-version-conflict',
            details: { expectedVersion: aggregate.version, actualVersion: row?.version },
          },
        );
      }
    }
    for (const aggregate of [...scope.added, ...changed.map(({ aggregate }) => aggregate)]) {
      this.outbox.push(...aggregate.pendingEvents);
      aggregate.markSaved();
      this.rows.set(keyOf(aggregate), { version: aggregate.version, state: copy(aggregate) });
    }
    this.commits += 1;
  }

  load(aggregateType: string, id: string): AggregateRoot | null {
    const row = this.rows.get(`${aggregateType}:${id}`);
    return row === undefined ? null : copy(row.state);
  }
}

class InMemoryScope implements UnitOfWorkScope {
  readonly loaded = new Map<string, { aggregate: AggregateRoot; snapshot: string }>();
  readonly added: AggregateRoot[] = [];
  readonly session: InMemoryUnitOfWork;

  constructor(store: InMemoryUnitOfWork) {
    this.session = store;
  }

  repository<A extends AggregateRoot>(aggregateType: string): Repository<A> {
    return {
      findById: async (id) => {
        const key = `${aggregateType}:${id}`;
        const known = this.loaded.get(key);
        if (known !== undefined) return known.aggregate as A;
        const aggregate = this.session.load(aggregateType, id);
        if (aggregate === null) return null;
        this.loaded.set(key, { aggregate, snapshot: stateOf(aggregate) });
        return aggregate as A;
      },
      add: (aggregate) => {
        this.added.push(aggregate);
      },
    };
  }
}

function keyOf(aggregate: AggregateRoot): string {
  return `${aggregate.aggregateType}:${aggregate.id}`;
}

// The test aggregates keep their fields public; the kernel's version and events are private, so a
// copy is built by the constructor (which takes the version) and given the fields.
function copy<A extends AggregateRoot>(aggregate: A): A {
  const Aggregate = aggregate.constructor as new (version: number) => A;
  return Object.assign(new Aggregate(aggregate.version), structuredClone({ ...aggregate }));
}

function stateOf(aggregate: AggregateRoot): string {
  return JSON.stringify({ ...aggregate });
}
