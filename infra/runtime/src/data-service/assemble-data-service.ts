import { OutboxRelay, SoleLeader, type EventBroker, type LeaderLock } from '@strata/events';
import {
  MySqlLeaderLock,
  SqlOutboxStore,
  type Database,
  type DatabaseConfigInput,
} from '@strata/persistence';
import { servingOnly, type RpcHandler, type RuntimeLogger } from '@strata/rpc';
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
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface DataService {
  /** The name callers address, e.g. 'commerce-service'. */
  readonly name: string;
  /** Serves the hosted contracts; hand it to a transport or to `inProcessInvoke`. */
  readonly handler: RpcHandler;
  /** Publishes the outbox; call `relay.start()` to run it. */
  readonly relay: OutboxRelay;
  readonly database: Database;
  migrate(): Promise<string[]>;
  /** Stops the relay and closes the database. */
  close(): Promise<void>;
}

/**
 * What every data service adds around its contract handler: the refusal of requests addressed to
 * another service, the call's cause stamped on the events it records, and the outbox relay under
 * the one-leader lock.
 */
export function assembleDataService(parts: {
  /** The name callers address requests to, e.g. 'commerce-service'; requests for another are refused. */
  service: string;
  database: Database;
  handler: RpcHandler;
  callCause: CallCause;
  options: DataServiceOptions;
}): DataService {
  const { database, options } = parts;
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
    handler: servingOnly(parts.service, parts.callCause.around(parts.handler)),
    relay,
    database,
    migrate: () => database.migrate(),
    async close() {
      await relay.stop();
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
