import type { SqlEntityManager } from '@mikro-orm/sql';
import { contractEventCatalog } from '@strata/events';
import {
  MikroOrmUnitOfWork,
  openDatabase,
  type AggregateStorage,
  type DatabaseMapping,
} from '@strata/persistence';
import { hostContracts, type RpcHandler } from '@strata/rpc';
import type { Contract } from '@strata/shared-kernel';
import {
  assembleDataService,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  type DataService,
  type DataServiceOptions,
} from './assemble-data-service.ts';
import { CallCause } from './call-cause.ts';

/** What serving one hosted context needs from the service around it. */
export interface ContextServing {
  readonly unitOfWork: MikroOrmUnitOfWork;
  /** The running command's or query's EntityManager, for the context's read-side port. */
  readonly session: () => SqlEntityManager;
  readonly options: DataServiceOptions;
}

/** One bounded context a data service hosts: its contract, how its aggregates are stored, how it is served. */
export interface HostedContext {
  readonly contract: Contract;
  /** Aggregate type → its record mapping. */
  readonly aggregates: Record<string, AggregateStorage>;
  /** The contract's handler, from `implementContract(contract, implementation, …)`. */
  serve(serving: ContextServing): RpcHandler;
}

export interface DataServiceComposition {
  /** The name callers address, e.g. 'commerce-service'; also the default schema name. */
  readonly service: string;
  /** Every hosted context's record schemas and migrations, on the service's one schema. */
  readonly mapping: DatabaseMapping;
  readonly contexts: readonly HostedContext[];
  /** See `MikroOrmUnitOfWorkOptions.translateFlushError`. */
  readonly translateFlushError?: (error: unknown) => unknown;
}

/**
 * Composes a data service the same way embedded (SQLite, in-process broker) and distributed: one
 * database and outbox for all its hosted contexts, one unit of work that stores every hosted
 * aggregate and knows every hosted event, and one handler routing calls to each context's contract.
 */
export async function composeDataService(
  composition: DataServiceComposition,
  options: DataServiceOptions,
): Promise<DataService> {
  const { service, contexts } = composition;
  const database = await openDatabase({ service, ...options.database }, composition.mapping);
  const callCause = new CallCause();
  const unitOfWork = new MikroOrmUnitOfWork({
    database,
    cause: callCause.current,
    aggregates: Object.assign({}, ...contexts.map((context) => context.aggregates)),
    events: contractEventCatalog(...contexts.map((context) => context.contract)),
    topicNamespace: options.eventNamespace,
    idempotencyWindowMs: options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS,
    translateFlushError: composition.translateFlushError,
  });
  const serving: ContextServing = { unitOfWork, session: () => unitOfWork.session(), options };
  const handler = hostContracts(
    contexts.map((context) => ({ contract: context.contract, handler: context.serve(serving) })),
  );
  return assembleDataService({ service, database, handler, callCause, options });
}
