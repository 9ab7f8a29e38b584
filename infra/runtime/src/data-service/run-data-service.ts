import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KafkaEventBroker } from '@strata/events';
import { runMigrateCommand, type DatabaseConfigInput, type DatabaseMapping } from '@strata/persistence';
import {
  EtcdRegistry,
  listenTcp,
  readTlsMaterial,
  type Registration,
  type RpcHandler,
  type RuntimeLogger,
  type ServiceRegistry,
} from '@strata/rpc';
import { systemClock, type Clock } from '@strata/shared-kernel';
import type { EventBroker, OutboxRelay } from '@strata/events';
import { stopWhenSupervisorLeaves } from '../topology-runner/supervised.ts';
import { loadProcessConfig } from '../env-config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { dataServiceConfigSchema, type DataServiceConfig } from './data-service-config.ts';

interface ComposedService {
  readonly handler: RpcHandler;
  readonly relay: OutboxRelay;
  close(): Promise<void>;
}

export interface DataServiceDefinition {
  /** The name callers and the registry know the service by, e.g. 'identity-service'. */
  name: string;
  mapping: DatabaseMapping;
  create(options: {
    database: DatabaseConfigInput;
    clock: Clock;
    broker: EventBroker;
    logger: RuntimeLogger;
  }): Promise<ComposedService>;
}

/**
 * A data service's process in distributed mode: `node main.ts` serves, `node main.ts migrate`
 * applies migrations and exits. Serving opens MariaDB (migrating first when STRATA_MIGRATE=1),
 * relays the outbox to Kafka, listens on TCP (mutual TLS unless plaintext is asked for by name),
 * registers in etcd under a lease, and on SIGINT/SIGTERM deregisters, drains and closes.
 */
export async function runDataService(
  service: DataServiceDefinition,
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const purpose = argv[0] === 'migrate' ? 'migrate' : 'serve';
  const config = loadProcessConfig(service.name, dataServiceConfigSchema(purpose), env);
  if (config === undefined) return;
  const logger = createLogger({ service: service.name, level: config.STRATA_LOG_LEVEL });
  const database: DatabaseConfigInput = {
    kind: 'mysql' as const,
    service: config.STRATA_DATABASE_SERVICE ?? service.name,
    host: config.STRATA_MYSQL_HOST,
    port: config.STRATA_MYSQL_PORT,
    user: config.STRATA_MYSQL_USER,
    password: config.STRATA_MYSQL_PASSWORD,
    poolSize: config.STRATA_MYSQL_POOL_SIZE,
    migrateOnStart: config.STRATA_MIGRATE,
  };
  if (purpose === 'migrate') {
    process.exitCode = await runMigrateCommand(database, service.mapping, (line) => logger.info(line));
    return;
  }
  if (argv.length > 0) {
    logger.fatal(`unknown command "${argv.join(' ')}"; run without arguments to serve, or with "migrate"`);
    process.exitCode = 2;
    return;
  }
  await serve(service, config, database, logger);
}

async function serve(
  service: DataServiceDefinition,
  config: DataServiceConfig,
  database: DatabaseConfigInput,
  logger: Logger,
): Promise<void> {
  const broker = new KafkaEventBroker({ brokers: config.STRATA_KAFKA_BROKERS, clientId: service.name });
  const composed = await service.create({
    database,
    clock: systemClock,
    broker,
    logger,
    ...(config.STRATA_EVENT_NAMESPACE === undefined ? {} : { eventNamespace: config.STRATA_EVENT_NAMESPACE }),
  });
  composed.relay.start();
  const tls = config.STRATA_RPC_PLAINTEXT
    ? (false as const)
    : {
        ...(await readTlsMaterial({
          caFile: config.STRATA_TLS_CA_FILE!,
          certFile: config.STRATA_TLS_CERT_FILE!,
          keyFile: config.STRATA_TLS_KEY_FILE!,
        })),
        allowedCallers: config.STRATA_TLS_ALLOWED_CALLERS!,
      };
  const listener = await listenTcp({
    handler: composed.handler,
    host: config.STRATA_RPC_HOST,
    port: config.STRATA_RPC_PORT,
    tls,
    drainTimeoutMs: config.STRATA_DRAIN_TIMEOUT_MS,
    logger,
  });
  const { port } = listener.address;
  const host = config.STRATA_RPC_ADVERTISE_HOST ?? listener.address.host;
  let registry: ServiceRegistry | undefined;
  let registration: Registration | undefined;
  if (config.STRATA_REGISTRY === 'etcd') {
    registry = new EtcdRegistry({
      hosts: config.STRATA_ETCD_HOSTS,
      leaseTtlSeconds: config.STRATA_ETCD_LEASE_TTL_SECONDS,
      logger,
      ...(config.STRATA_ETCD_PREFIX === undefined ? {} : { prefix: config.STRATA_ETCD_PREFIX }),
    });
    registration = await registry.register({
      id: `${service.name}-${hostname()}-${randomUUID().slice(0, 8)}`,
      service: service.name,
      host,
      port,
      tls: tls !== false,
    });
  }
  logger.info(
    { host, port, tls: tls !== false, instance: registration?.instance.id ?? null },
    `${service.name} serving on ${host}:${port} (${tls === false ? 'plaintext' : 'mutual TLS'}${registration ? ', registered in etcd' : ', not registered'})`,
  );

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: deregistering, draining in-flight calls, then closing`);
    try {
      // Callers stop choosing this instance before it stops answering.
      await registration?.deregister();
      await registry?.close();
      await listener.drain(config.STRATA_DRAIN_TIMEOUT_MS);
      await composed.close();
      await broker.close();
      logger.info(`${service.name} stopped cleanly`);
    } catch (error) {
      logger.error({ err: error }, `${service.name} did not stop cleanly`);
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT received'));
  process.once('SIGTERM', () => void stop('SIGTERM received'));
  stopWhenSupervisorLeaves((reason) => void stop(reason), config.STRATA_SUPERVISED);
}
