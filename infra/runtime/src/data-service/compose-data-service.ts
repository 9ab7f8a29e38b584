import type { SqlEntityManager } from '@mikro-orm/sql';
import { contractEventCatalog, contractTopics, EventProcessor, type EventHandler } from '@strata/events';
import {
  MikroOrmUnitOfWork,
  openDatabase,
  SqlInbox,
  type AggregateStorage,
  type Database,
  type DatabaseMapping,
} from '@strata/persistence';
import { scheduleHousekeeping, type Jobs } from '@strata/jobs';
import { hostContracts, type RpcHandler } from '@strata/rpc';
import type { Contract } from '@strata/shared-kernel';
import {
  assembleDataService,
  DEFAULT_HOUSEKEEPING,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  jobsOf,
  type DataService,
  type DataServiceOptions,
  type EventConsumer,
} from './assemble-data-service.ts';
import { CallCause } from './call-cause.ts';

/** What serving one hosted context needs from the service around it. */
export interface ContextServing {
  readonly unitOfWork: MikroOrmUnitOfWork;
  /** The running command's or query's EntityManager, for the context's read-side port. */
  readonly session: () => SqlEntityManager;
  /**
   * The service's job queue: `define` handlers here (before the runner starts it) and `schedule`
   * timers from the contract's handlers (an unpaid order's expiry). Jobs run on every instance of
   * the service, each job on one of them.
   */
  readonly jobs: Jobs;
  readonly options: DataServiceOptions;
}

/**
 * What a hosted context reads of other contexts: their events, never their tables or code. Each
 * handler runs once per event, in the inbox's transaction on the service's own database.
 */
export interface EventSubscription {
  /** The published languages it reads; their schemas validate every envelope before a handler runs. */
  readonly from: readonly Contract[];
  /** Handlers by event type; other events of those contexts are acknowledged and skipped. */
  readonly handlers: Record<string, EventHandler<SqlEntityManager>>;
}

/** One bounded context a data service hosts: its contract, how its aggregates are stored, how it is served. */
export interface HostedContext {
  readonly contract: Contract;
  /** Aggregate type → its record mapping. */
  readonly aggregates: Record<string, AggregateStorage>;
  /** The contract's handler, from `implementContract(contract, implementation, …)`. */
  serve(serving: ContextServing): RpcHandler;
  /**
   * Defines its job handlers and recurring jobs on the service's queue (ordering's checkout), once
   * the contracts are served and before the runner starts the queue. Async: a recurring job is
   * written to the queue's store.
   */
  prepareJobs?(serving: ContextServing): Promise<void>;
  /** The events it consumes, if any (ordering keeps its own projection of the catalog's offers). */
  subscribe?(serving: ContextServing): EventSubscription;
}

export interface DataServiceComposition {
  /** The name callers address, e.g. 'commerce-service'; also the default schema name. */
  readonly service: string;
  /** Every hosted context's record schemas and migrations, on the service's one schema. */
  readonly mapping: DatabaseMapping;
  readonly contexts: readonly HostedContext[];
  /** See `MikroOrmUnitOfWorkOptions.translateWriteError`. */
  readonly translateWriteError?: (error: unknown) => unknown;
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
    translateWriteError: composition.translateWriteError,
  });
  const jobs = jobsOf(database, options);
  const serving: ContextServing = { unitOfWork, session: () => unitOfWork.session(), jobs, options };
  let handler: RpcHandler;
  try {
    await scheduleHousekeeping(jobs, database, options.housekeeping ?? DEFAULT_HOUSEKEEPING);
    handler = hostContracts(
      contexts.map((context) => ({ contract: context.contract, handler: context.serve(serving) })),
    );
    for (const context of contexts) await context.prepareJobs?.(serving);
  } catch (error) {
    // Nothing is composed yet, so nothing else will close what is open.
    await jobs.close();
    await database.close();
    throw error;
  }
  const consumers = contexts.flatMap((context) => {
    const subscription = context.subscribe?.(serving);
    return subscription
      ? [consumerOf(service, context.contract.context, subscription, database, options)]
      : [];
  });
  return assembleDataService({ service, database, handler, callCause, options, jobs, consumers });
}

/** The consumer group is the service and the consuming context: each hosted context reads on its own. */
function consumerOf(
  service: string,
  context: string,
  subscription: EventSubscription,
  database: Database,
  options: DataServiceOptions,
): EventConsumer {
  return {
    // Each context's topic and the topics of events it ships apart (the links' visits, ADR 0063).
    topics: subscription.from.flatMap((contract) => contractTopics(contract, options.eventNamespace)),
    processor: new EventProcessor({
      consumerGroup: consumerGroupOf(service, context, options.eventNamespace),
      handlers: subscription.handlers,
      inbox: new SqlInbox(database),
      schema: contractEventCatalog(...subscription.from).schema,
      deadLetters: options.broker,
      onError: (error, where) =>
        options.logger.warn({ err: error }, `${service} consuming for ${context}: ${where}`),
    }),
  };
}

/**
 * `<service>.<context>`, after the deployment's namespace when there is one: deployments sharing a
 * Kafka read their own topics, and their groups must not rebalance with each other's either.
 */
function consumerGroupOf(service: string, context: string, namespace: string | undefined): string {
  return namespace === undefined ? `${service}.${context}` : `${namespace}.${service}.${context}`;
}
