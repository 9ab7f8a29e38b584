import { Course } from '@strata/catalog';
import { catalogContract } from '@strata/catalog/contract';
import {
  OutboxRelay,
  SoleLeader,
  type EventBroker,
  type LeaderLock,
  contractEventCatalog,
} from '@strata/events';
import {
  MikroOrmUnitOfWork,
  MySqlLeaderLock,
  openDatabase,
  SqlOutboxStore,
  type Database,
  type DatabaseConfigInput,
} from '@strata/persistence';
import { implementContract, type RpcHandler, type RuntimeLogger } from '@strata/rpc';
import type { Clock } from '@strata/shared-kernel';
import type { Registry } from 'prom-client';
import { catalogImplementation } from './catalog/catalog-implementation.ts';
import { courseSchema } from './catalog/course-schema.ts';
import { CreateCoursesTable } from './catalog/migrations/create-courses-table.ts';
import { CallCause } from '@strata/runtime/data-service';

/** MariaDB/MySQL or SQLite configuration; the service's own name is the default `service`. */
export type ServiceDatabaseConfig = DatabaseConfigInput extends infer Config
  ? Config extends unknown
    ? Omit<Config, 'service'> & { service?: string }
    : never
  : never;

export const COMMERCE_SERVICE = 'commerce-service';

export interface CommerceServiceOptions {
  /** MariaDB/MySQL (schema `strata_<service>`) or SQLite; `service` defaults to commerce-service. */
  database: ServiceDatabaseConfig;
  clock: Clock;
  /** Where the outbox relay publishes: Kafka distributed, in-process embedded. */
  broker: EventBroker;
  logger: RuntimeLogger;
  /** How long an idempotency key answers a retried command with its first result. */
  idempotencyWindowMs?: number;
  metrics?: Registry;
}

export interface CommerceService {
  /** Serves the catalog contract (ordering joins it later); hand it to a transport or to `inProcessInvoke`. */
  readonly handler: RpcHandler;
  /** Publishes the outbox; call `relay.start()` to run it. */
  readonly relay: OutboxRelay;
  readonly database: Database;
  migrate(): Promise<string[]>;
  /** Stops the relay and closes the database. */
  close(): Promise<void>;
}

/** Each hosted context brings its own mappings and migrations; they share the service's schema and outbox. */
export const commerceMapping = { entities: [courseSchema], migrations: [CreateCoursesTable] };

/** Composes the commerce data service: the same code embedded (SQLite, in-process broker) and distributed. */
export async function createCommerceService(options: CommerceServiceOptions): Promise<CommerceService> {
  const database = await openDatabase({ service: COMMERCE_SERVICE, ...options.database }, commerceMapping);
  const callCause = new CallCause();
  const unitOfWork = new MikroOrmUnitOfWork({
    database,
    cause: callCause.current,
    aggregates: { Course },
    events: contractEventCatalog(catalogContract),
    idempotencyWindowMs: options.idempotencyWindowMs ?? 24 * 60 * 60 * 1000,
  });
  const handler = implementContract(catalogContract, catalogImplementation(), {
    unitOfWork,
    clock: options.clock,
    logger: options.logger,
  });
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
    handler: callCause.around(handler),
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
