import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KafkaEventBroker, KafkaEventConsumer } from '@strata/events';
import type { DatabaseConfigInput, DatabaseMapping } from '@strata/persistence';
import {
  EtcdRegistry,
  listenTcp,
  readTlsMaterial,
  type Registration,
  type ServiceRegistry,
} from '@strata/rpc';
import { systemClock } from '@strata/shared-kernel';
import type { Logger } from '../logger.ts';
import type { DataService, DataServiceOptions } from './assemble-data-service.ts';
import type { DataServiceConfig } from './data-service-config.ts';
import { listenHealth, type HealthListener } from './health-listener.ts';
import { housekeepingOf, redisJobQueue } from './job-queues.ts';

export interface DataServiceDefinition<TEnv = unknown> {
  /** The name callers and the registry know the service by, e.g. 'identity-service'. */
  name: string;
  mapping: DatabaseMapping;
  /** Composes the service (`composeDataService`); `env` holds the definition's own variables. */
  create(options: DataServiceOptions & { database: DatabaseConfigInput }, env: TEnv): Promise<DataService>;
}

export interface ServingDataService {
  readonly host: string;
  readonly port: number;
  readonly service: DataService;
  /** Deregisters, drains in-flight calls, stops the consumers, then closes jobs, relay and database. */
  stop(): Promise<void>;
}

/** The MariaDB the configuration names, on the service's own schema. */
export function databaseOf(name: string, config: DataServiceConfig): DatabaseConfigInput {
  return {
    kind: 'mysql',
    service: config.STRATA_DATABASE_SERVICE ?? name,
    host: config.STRATA_MYSQL_HOST,
    port: config.STRATA_MYSQL_PORT,
    user: config.STRATA_MYSQL_USER,
    password: config.STRATA_MYSQL_PASSWORD,
    poolSize: config.STRATA_MYSQL_POOL_SIZE,
    migrateOnStart: config.STRATA_MIGRATE,
  };
}

/**
 * Serves a data service in distributed mode: MariaDB, the outbox relayed to Kafka, its jobs on
 * Redis (BullMQ), a Kafka consumer group per hosted context that reads others' events, TCP
 * (mutual TLS unless plaintext is asked for by name), and an etcd registration under a lease.
 */
export async function serveDataService<TEnv>(
  definition: DataServiceDefinition<TEnv>,
  config: DataServiceConfig & TEnv,
  logger: Logger,
): Promise<ServingDataService> {
  const name = definition.name;
  const broker = new KafkaEventBroker({ brokers: config.STRATA_KAFKA_BROKERS, clientId: name });
  const service = await definition.create(
    {
      database: databaseOf(name, config),
      clock: systemClock,
      broker,
      logger,
      jobs: () =>
        redisJobQueue({
          redisUrl: config.STRATA_REDIS_URL,
          deployment: config.STRATA_DEPLOYMENT,
          service: name,
          logger,
        }),
      housekeeping: housekeepingOf(config),
      ...(config.STRATA_EVENT_NAMESPACE === undefined
        ? {}
        : { eventNamespace: config.STRATA_EVENT_NAMESPACE }),
    },
    config,
  );
  await service.jobs.start();
  const consumers = service.consumers.map(
    (consumer) =>
      new KafkaEventConsumer({
        brokers: config.STRATA_KAFKA_BROKERS,
        clientId: name,
        topics: [...consumer.topics],
        processor: consumer.processor,
        onError: (error, context) =>
          logger.warn({ err: error }, `${consumer.processor.consumerGroup}: ${context}`),
      }),
  );
  for (const consumer of consumers) await consumer.start();
  service.relay.start();
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
    handler: service.handler,
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
      id: `${name}-${hostname()}-${randomUUID().slice(0, 8)}`,
      service: name,
      host,
      port,
      tls: tls !== false,
    });
  }
  // Last: ready means every part above is up.
  const health: HealthListener | undefined =
    config.STRATA_HEALTH_PORT === undefined
      ? undefined
      : await listenHealth({
          host: config.STRATA_HEALTH_HOST,
          port: config.STRATA_HEALTH_PORT,
          service: name,
        });
  const announced =
    registration !== undefined
      ? ', registered in etcd'
      : config.STRATA_REGISTRY === 'kubernetes'
        ? ', found through its Kubernetes Service'
        : ', not registered';
  logger.info(
    {
      host,
      port,
      tls: tls !== false,
      instance: registration?.instance.id ?? null,
      healthPort: health?.port ?? null,
    },
    `${name} serving on ${host}:${port} (${tls === false ? 'plaintext' : 'mutual TLS'}${announced})` +
      (health === undefined
        ? ''
        : `; health on http://${config.STRATA_HEALTH_HOST}:${health.port}/health/ready`),
  );
  return {
    host,
    port,
    service,
    async stop() {
      // Callers stop choosing this instance before it stops answering.
      health?.markStopping();
      await registration?.deregister();
      await registry?.close();
      await listener.drain(config.STRATA_DRAIN_TIMEOUT_MS);
      // Consumers write through the database: they stop before it closes.
      for (const consumer of consumers) await consumer.stop();
      await service.close();
      await broker.close();
      await health?.close();
    },
  };
}
