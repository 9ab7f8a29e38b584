import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KafkaAdminProbe, KafkaEventBroker, KafkaEventConsumer, meterProcessor } from '@strata/events';
import type { DatabaseConfigInput, DatabaseMapping } from '@strata/persistence';
import {
  EtcdRegistry,
  listenTcp,
  readTlsMaterial,
  type Registration,
  type ServiceRegistry,
} from '@strata/rpc';
import { systemClock } from '@strata/shared-kernel';
import { listenAdmin, type AdminListener } from '../admin-listener.ts';
import type { Logger } from '../logger.ts';
import { databaseCheck, meterDatabasePool } from '../metrics/database-metrics.ts';
import { meterJobQueue } from '../metrics/job-queue-metrics.ts';
import { processMetrics } from '../metrics/process-metrics.ts';
import { Readiness } from '../metrics/readiness.ts';
import { meterRpcHandler } from '../metrics/rpc-server-metrics.ts';
import { registerScrapeTarget } from '../metrics/scrape-target.ts';
import type { DataService, DataServiceOptions } from './assemble-data-service.ts';
import type { DataServiceConfig } from './data-service-config.ts';
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
 * (mutual TLS unless plaintext is asked for by name), and an etcd registration under a lease,
 * withdrawn while the database does not answer. With STRATA_HEALTH_PORT, its admin port answers
 * probes and `/metrics` (and, with etcd, is announced to Prometheus as a scrape target).
 */
export async function serveDataService<TEnv>(
  definition: DataServiceDefinition<TEnv>,
  config: DataServiceConfig & TEnv,
  logger: Logger,
): Promise<ServingDataService> {
  const name = definition.name;
  const metrics = processMetrics();
  const broker = new KafkaEventBroker({ brokers: config.STRATA_KAFKA_BROKERS, clientId: name });
  const service = await definition.create(
    {
      metrics,
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
  meterDatabasePool(service.database, metrics);
  meterJobQueue(name, service.jobs, metrics);
  const kafka = new KafkaAdminProbe({ brokers: config.STRATA_KAFKA_BROKERS, clientId: name });
  kafka.meterLag(
    service.consumers.map((consumer) => ({
      group: consumer.processor.consumerGroup,
      topics: consumer.topics,
    })),
    metrics,
  );
  const consumers = service.consumers.map(
    (consumer) =>
      new KafkaEventConsumer({
        brokers: config.STRATA_KAFKA_BROKERS,
        clientId: name,
        topics: [...consumer.topics],
        processor: meterProcessor(consumer.processor, metrics),
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
    handler: meterRpcHandler(service.handler, metrics),
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
  const instance = {
    id: `${name}-${hostname()}-${randomUUID().slice(0, 8)}`,
    service: name,
    host,
    port,
    tls: tls !== false,
  };
  if (config.STRATA_REGISTRY === 'etcd') {
    registry = new EtcdRegistry({
      hosts: config.STRATA_ETCD_HOSTS,
      leaseTtlSeconds: config.STRATA_ETCD_LEASE_TTL_SECONDS,
      logger,
      ...(config.STRATA_ETCD_PREFIX === undefined ? {} : { prefix: config.STRATA_ETCD_PREFIX }),
    });
    registration = await registry.register(instance);
  }
  let stopping = false;
  // Kafka down is reported, not disqualifying: the outbox keeps the events until the broker is back,
  // and calls can still be served. The database down is: no call can be.
  const readiness = new Readiness({
    checks: [
      databaseCheck(service.database),
      { name: 'kafka', critical: false, check: () => kafka.checkReachable() },
    ],
    intervalMs: config.STRATA_READINESS_INTERVAL_MS,
    metrics,
    async onChange(ready, report) {
      if (registry === undefined || stopping) return;
      try {
        if (!ready && registration !== undefined) {
          logger.warn({ checks: report.checks }, `${name} is not ready; leaving the registry until it is`);
          const leaving = registration;
          registration = undefined;
          await leaving.deregister();
        } else if (ready && registration === undefined) {
          registration = await registry.register(instance);
          logger.warn({ checks: report.checks }, `${name} is ready again; registered`);
        }
      } catch (error) {
        logger.error({ err: error }, `${name}: following readiness in the registry failed`);
      }
    },
  });
  await readiness.start();
  // Last: ready means every part above is up.
  const health: AdminListener | undefined =
    config.STRATA_HEALTH_PORT === undefined
      ? undefined
      : await listenAdmin({
          host: config.STRATA_HEALTH_HOST,
          port: config.STRATA_HEALTH_PORT,
          service: name,
          readiness,
          metrics,
        });
  const scrapeTarget =
    health === undefined || config.STRATA_REGISTRY !== 'etcd'
      ? undefined
      : await registerScrapeTarget({
          service: name,
          host: config.STRATA_HEALTH_HOST,
          port: health.port,
          etcdHosts: config.STRATA_ETCD_HOSTS,
          leaseTtlSeconds: config.STRATA_ETCD_LEASE_TTL_SECONDS,
          logger,
          ...(config.STRATA_ETCD_PREFIX === undefined ? {} : { servicesPrefix: config.STRATA_ETCD_PREFIX }),
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
      adminUrl: health === undefined ? null : `http://${config.STRATA_HEALTH_HOST}:${health.port}`,
      healthPort: health?.port ?? null,
    },
    `${name} serving on ${host}:${port} (${tls === false ? 'plaintext' : 'mutual TLS'}${announced})` +
      (health === undefined
        ? ''
        : `; health on http://${config.STRATA_HEALTH_HOST}:${health.port}/health/ready (and /metrics)`),
  );
  return {
    host,
    port,
    service,
    async stop() {
      // Callers stop choosing this instance before it stops answering.
      stopping = true;
      health?.markStopping();
      readiness.markStopping();
      await registration?.deregister();
      await registry?.close();
      await listener.drain(config.STRATA_DRAIN_TIMEOUT_MS);
      // Consumers write through the database: they stop before it closes.
      for (const consumer of consumers) await consumer.stop();
      await service.close();
      await broker.close();
      await kafka.close();
      await scrapeTarget?.close();
      await health?.close();
    },
  };
}
