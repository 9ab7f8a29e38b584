import type { AggregateRoot } from '@strata/shared-kernel';
import type { Repository, UnitOfWork, UnitOfWorkScope } from '@strata/rpc';

/**
 * Keeps aggregates in a map and "commits" by marking what was loaded as saved. The bench measures
 * RPC, not a database: the other peers touch no storage either.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  readonly #aggregates = new Map<string, AggregateRoot>();

  seed(aggregate: AggregateRoot): void {
    this.#aggregates.set(aggregate.id, aggregate);
  }

  async run<T>(work: (scope: UnitOfWorkScope) => Promise<T>): Promise<T> {
    const touched: AggregateRoot[] = [];
    const aggregates = this.#aggregates;
    const repository: Repository<AggregateRoot> = {
      async findById(id) {
        const found = aggregates.get(id) ?? null;
        if (found !== null) touched.push(found);
        return found;
      },
      add(aggregate) {
        aggregates.set(aggregate.id, aggregate);
        touched.push(aggregate);
      },
    };
    const scope: UnitOfWorkScope = {
      repository: <A extends AggregateRoot>() => repository as unknown as Repository<A>,
      session: undefined,
    };
    const result = await work(scope);
    for (const aggregate of touched) aggregate.markSaved();
    return result;
  }
}
