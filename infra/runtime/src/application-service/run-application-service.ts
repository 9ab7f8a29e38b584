import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Invoke } from '@strata/rpc';
import type { Contract, z } from '@strata/shared-kernel';
import type { Registry } from 'prom-client';
import { connectDataService, type DataServiceConnection } from '../data-service-connection.ts';
import type { DataServiceEnv } from '../data-service-env.ts';
import { loadProcessConfig } from '../env-config.ts';
import { serveHttpService, type HttpServiceEnv } from '../http-service.ts';
import { createLogger, type Logger } from '../logger.ts';
import { processMetrics } from '../metrics/process-metrics.ts';
import { meterRpcClients } from '../metrics/rpc-client-metrics.ts';
import type { HealthCheck } from '../runtime.module.ts';
import { ShutdownSequence } from '../topology-runner/shutdown-sequence.ts';

/** What every application service's environment holds: HTTP, the registry and the way to its data services. */
export type ApplicationServiceEnv = HttpServiceEnv & DataServiceEnv;

/** A data service an application service calls. */
export interface DataServiceDependency<Config> {
  /** The name it registers under, e.g. 'commerce-service'. */
  service: string;
  /** The contracts called on it; their call policies configure governance. */
  contracts: readonly Contract[];
  /** The config key of its `host:port` when `STRATA_REGISTRY=static`, e.g. 'STRATA_COMMERCE_ADDRESS'. */
  staticAddress: { [K in keyof Config]: Config[K] extends string | undefined ? K : never }[keyof Config];
}

/** What `create` builds the app from. */
export interface ApplicationServiceParts<Config, DataServices> {
  config: Config;
  logger: Logger;
  /** Add what the app opens itself (Redis, a cache); it is closed after HTTP, in reverse order. */
  shutdown: ShutdownSequence;
  /** One invoke per declared data service, under the key it was declared with. */
  dataServices: { [K in keyof DataServices]: Invoke };
  /** Readiness of every declared data service; hand them to the app (with its own) as `healthChecks`. */
  healthChecks: HealthCheck[];
  /** The process's metrics registry (`/metrics` on the admin port): what the app meters joins it. */
  metrics: Registry;
}

export interface ApplicationServiceDefinition<
  TSchema extends z.ZodObject,
  DataServices extends Record<string, DataServiceDependency<z.output<TSchema>>>,
> {
  /** The name it logs, registers and is routed to under, e.g. 'studio-api'. */
  name: string;
  /** Its environment, read with `loadEnvConfig`: one error names every bad variable. */
  config: TSchema;
  dataServices: DataServices;
  create(parts: ApplicationServiceParts<z.output<TSchema>, DataServices>): Promise<NestFastifyApplication>;
}

/**
 * An application service's process in distributed mode, as `runDataService` is a data service's:
 * reads the environment (exit code 2 and every bad variable on stderr when it is invalid),
 * connects to each data service it depends on (etcd or one static address, mutual TLS unless
 * plaintext is asked for by name), builds the app, serves HTTP and registers in etcd; on
 * SIGINT/SIGTERM it leaves the registry, closes HTTP, then what it opened, in reverse order.
 */
export async function runApplicationService<
  TSchema extends z.ZodObject,
  DataServices extends Record<string, DataServiceDependency<z.output<TSchema>>>,
>(
  service: ApplicationServiceDefinition<TSchema, DataServices>,
  env: Record<string, string | undefined>,
): Promise<void> {
  const config = loadProcessConfig(
    service.name,
    service.config.superRefine(refuseRateLimitsForOthers(Object.values(service.dataServices))),
    env,
  ) as (z.output<TSchema> & ApplicationServiceEnv) | undefined;
  if (config === undefined) return;
  const logger = createLogger({ service: service.name, level: config.STRATA_LOG_LEVEL });
  const shutdown = new ShutdownSequence();
  const invokes: Record<string, Invoke> = {};
  const healthChecks: HealthCheck[] = [];
  const metrics = processMetrics();
  const connections: DataServiceConnection[] = [];
  for (const [key, dependency] of Object.entries(service.dataServices)) {
    const address = config[dependency.staticAddress] as string | undefined;
    const connection = await connectDataService({
      service: dependency.service,
      contracts: dependency.contracts,
      env: config,
      ...(address === undefined ? {} : { staticAddress: address }),
      logger,
    });
    shutdown.add(`${dependency.service} connections`, () => connection.close());
    invokes[key] = connection.invoke;
    connections.push(connection);
    healthChecks.push(connection.healthCheck);
  }
  meterRpcClients(service.name, connections, metrics);
  const app = await service.create({
    config,
    logger,
    shutdown,
    dataServices: invokes as { [K in keyof DataServices]: Invoke },
    healthChecks,
    metrics,
  });
  await serveHttpService({
    service: service.name,
    app,
    env: config,
    logger,
    shutdown,
    metrics,
    readinessChecks: healthChecks,
  });
}

/** A limit for a service this process does not call is a typo that would otherwise change nothing. */
function refuseRateLimitsForOthers(dependencies: readonly { service: string }[]) {
  const called = dependencies.map((dependency) => dependency.service);
  return (env: Partial<ApplicationServiceEnv>, context: z.RefinementCtx): void => {
    const others = Object.keys(env.STRATA_RPC_RATE_LIMITS ?? {}).filter(
      (service) => !called.includes(service),
    );
    if (others.length > 0)
      context.addIssue({
        code: 'custom',
        path: ['STRATA_RPC_RATE_LIMITS'],
        message: `names ${others.join(', ')}, which this process does not call; it calls ${called.join(', ') || 'no data service'}`,
      });
  };
}
