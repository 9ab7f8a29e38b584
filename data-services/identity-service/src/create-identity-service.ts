import {
  OutboxRelay,
  SoleLeader,
  type EventBroker,
  type LeaderLock,
  contractEventCatalog,
} from '@strata/events';
import { identityContract } from '@strata/identity/contract';
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
import { CallCause } from '@strata/runtime/data-service';

import { CurrentSession } from './current-session.ts';
import { emailConflictUnitOfWork } from './email-conflict-unit-of-work.ts';
import { identityImplementation } from './identity-implementation.ts';
import { CreateUsersTable } from './migrations/create-users-table.ts';
import { ScryptPasswordHasher } from './scrypt-password-hasher.ts';
import { SqlEmailUniqueness } from './sql-email-uniqueness.ts';
import { userSchema } from './user-schema.ts';
import { User } from '@strata/identity';

/** MariaDB/MySQL or SQLite configuration; the service's own name is the default `service`. */
export type ServiceDatabaseConfig = DatabaseConfigInput extends infer Config
  ? Config extends unknown
    ? Omit<Config, 'service'> & { service?: string }
    : never
  : never;

export const IDENTITY_SERVICE = 'identity-service';

export interface IdentityServiceOptions {
  /** MariaDB/MySQL (schema `strata_<service>`) or SQLite; `service` defaults to identity-service. */
  database: ServiceDatabaseConfig;
  clock: Clock;
  /** Where the outbox relay publishes: Kafka distributed, in-process embedded. */
  broker: EventBroker;
  logger: RuntimeLogger;
  /** How long an idempotency key answers a retried command with its first result. */
  idempotencyWindowMs?: number;
  metrics?: Registry;
}

export interface IdentityService {
  /** Serves the identity contract; hand it to a transport or to `inProcessInvoke`. */
  readonly handler: RpcHandler;
  /** Publishes the outbox; call `relay.start()` to run it. */
  readonly relay: OutboxRelay;
  readonly database: Database;
  migrate(): Promise<string[]>;
  /** Stops the relay and closes the database. */
  close(): Promise<void>;
}

export const identityMapping = { entities: [userSchema], migrations: [CreateUsersTable] };

/** Composes the identity data service: the same code embedded (SQLite, in-process broker) and distributed. */
export async function createIdentityService(options: IdentityServiceOptions): Promise<IdentityService> {
  const database = await openDatabase({ service: IDENTITY_SERVICE, ...options.database }, identityMapping);
  const callCause = new CallCause();
  const unitOfWork = new MikroOrmUnitOfWork({
    database,
    cause: callCause.current,
    aggregates: { User },
    events: contractEventCatalog(identityContract),
    idempotencyWindowMs: options.idempotencyWindowMs ?? 24 * 60 * 60 * 1000,
  });
  const currentSession = new CurrentSession(database);
  const handler = implementContract(
    identityContract,
    identityImplementation({
      hasher: new ScryptPasswordHasher(),
      emailUniqueness: new SqlEmailUniqueness(currentSession),
    }),
    {
      unitOfWork: emailConflictUnitOfWork(unitOfWork, currentSession),
      clock: options.clock,
      logger: options.logger,
    },
  );
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
