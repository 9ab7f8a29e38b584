import {
  OutboxRelay,
  SoleLeader,
  type EventBroker,
  type LeaderLock,
  type MessageProcessor,
} from '@strata/events';
import { SqlJobs, type HousekeepingJobOptions, type Jobs } from '@strata/jobs';
import {
  MySqlLeaderLock,
  SqlOutboxStore,
  type Database,
  type DatabaseConfigInput,
} from '@strata/persistence';
import { servingOnly, tracedHandler, type RpcHandler, type RuntimeLogger } from '@strata/rpc';
import type { Clock } from '@strata/shared-kernel';
import type { Registry } from 'prom-client';
import type { CallCause } from './call-cause.ts';

/** MariaDB/MySQL or SQLite configuration; the service's own name is the default `service`. */
export type ServiceDatabaseConfig = DatabaseConfigInput extends infer Config
  ? Config extends unknown
    ? Omit<Config, 'service'> & { service?: string }
    : never
  : never;

/** What every data service is composed from, embedded (SQLite, in-process broker) or distributed. */
export interface DataServiceOptions {
  /** MariaDB/MySQL (schema `strata_<service>`) or SQLite; `service` defaults to the data service's name. */
  database: ServiceDatabaseConfig;
  clock: Clock;
  /** Where the outbox relay publishes: Kafka distributed, in-process embedded. */
  broker: EventBroker;
  /** Names the deployment in the event topics, so deployments sharing one Kafka keep apart. */
  eventNamespace?: string;
  logger: RuntimeLogger;
  /** How long an idempotency key answers a retried command with its first result. */
  idempotencyWindowMs?: number;
  metrics?: Registry;
  /**
   * The service's job queue, made once its database is open: the distributed runner passes BullMQ
   * (a queue per service on the stack's Redis); left out, jobs live in the service's own database
   * (`SqlJobs`, as `npm start` runs them).
   */
  jobs?: (database: Database) => Jobs;
  /** How long spent rows are kept and how often they are purged; default a week, hourly. */
  housekeeping?: HousekeepingJobOptions;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_HOUSEKEEPING: HousekeepingJobOptions = { retainHandledMs: 7 * 24 * 3_600_000 };

/**
 * One consumer of a data service: the topics to read and what to do with each message. The
 * runner feeds it from Kafka (distributed) or the in-process broker (embedded).
 */
export interface EventConsumer {
  readonly topics: readonly string[];
  readonly processor: MessageProcessor;
}

export interface DataService {
  /** The name callers address, e.g. 'commerce-service'. */
  readonly name: string;
  /** Serves the hosted contracts; hand it to a transport or to `inProcessInvoke`. */
  readonly handler: RpcHandler;
  /** Publishes the outbox; call `relay.start()` to run it. */
  readonly relay: OutboxRelay;
  readonly database: Database;
  /**
   * Delayed and recurring jobs on the service's queue, housekeeping already defined; the runner
   * calls `jobs.start()` once the service is composed, and `close()` closes them.
   */
  readonly jobs: Jobs;
  /** What the hosted contexts consume of other contexts' events; the runner feeds each. */
  readonly consumers: readonly EventConsumer[];
  migrate(): Promise<string[]>;
  /** Stops the relay and the jobs, then closes the database. */
  close(): Promise<void>;
}

/** The service's job queue as its options ask for it, on its own database when they do not say. */
export function jobsOf(database: Database, options: DataServiceOptions): Jobs {
  if (options.jobs !== undefined) return options.jobs(database);
  return new SqlJobs({
    database,
    onError: (error) => options.logger.warn({ err: error }, `jobs of ${database.config.service}`),
  });
}

/**
 * What every data service adds around its contract handler: the refusal of requests addressed to
 * another service, the call's server span (with tracing on), the call's cause stamped on the events
 * it records, and the outbox relay under the one-leader lock.
 */
export function assembleDataService(parts: {
  /** The name callers address requests to, e.g. 'commerce-service'; requests for another are refused. */
  service: string;
  database: Database;
  handler: RpcHandler;
  callCause: CallCause;
  options: DataServiceOptions;
  /** From `jobsOf`, housekeeping and the contexts' handlers defined on it. */
  jobs: Jobs;
  consumers: readonly EventConsumer[];
}): DataService {
  const { database, options, jobs } = parts;
  const relay = new OutboxRelay({
    service: database.config.service,
    store: new SqlOutboxStore(database),
    broker: options.broker,
    lock: leaderLockFor(database),
    metrics: options.metrics,
    onError: (error, context) =>
      options.logger.warn({ err: error }, `outbox relay of ${database.config.service}: ${context}`),
  });
  return {
    name: parts.service,
    handler: servingOnly(parts.service, tracedHandler(parts.callCause.around(parts.handler))),
    relay,
    database,
    jobs,
    consumers: parts.consumers,
    migrate: () => database.migrate(),
    async close() {
      await relay.stop();
      // Running handlers finish on the open database before it closes.
      await jobs.close();
      await database.close();
    },
  };
}

/** One relay publishes per data service; embedded mode has only one process, so it always leads. */
function leaderLockFor(database: Database): LeaderLock {
  const config = database.config;
  if (config.kind === 'sqlite') return new SoleLeader();
  return new MySqlLeaderLock({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    service: config.service,
  });
}
