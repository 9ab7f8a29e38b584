import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EtcdRegistry } from '@strata/rpc';
import { z } from '@strata/shared-kernel';
import type { Registry } from 'prom-client';
import { listenAdmin } from './admin-listener.ts';
import type { DataServiceEnv } from './data-service-env.ts';
import { logLevel, port } from './env-fields.ts';
import type { Logger } from './logger.ts';
import { meterHttpRoutes } from './metrics/http-route-metrics.ts';
import { processMetrics } from './metrics/process-metrics.ts';
import { Readiness, type ReadinessCheck } from './metrics/readiness.ts';
import { registerScrapeTarget } from './metrics/scrape-target.ts';
import { stopWhenSupervisorLeaves, supervisedEnvShape } from './topology-runner/supervised.ts';
import type { ShutdownSequence } from './topology-runner/shutdown-sequence.ts';

/**
 * The environment every application service reads to serve HTTP and announce itself. Spread it
 * into an app's config schema beside its own `STRATA_HTTP_PORT` (each app has its own default).
 */
export const httpServiceEnvShape = {
  STRATA_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** The address the gateway dials, when it differs from the bind address (e.g. binding 0.0.0.0). */
  STRATA_HTTP_ADVERTISE_HOST: z.string().min(1).optional(),
  /** How long the gateway keeps routing to a process that died without deregistering. */
  STRATA_ETCD_LEASE_TTL_SECONDS: z.coerce.number().int().min(2).max(3600).default(10),
  STRATA_LOG_LEVEL: logLevel.default('info'),
  /**
   * The admin port: `/health/live`, `/health/ready` and `/metrics`, never on the public HTTP port;
   * unset, none. 0 picks a free port (announced to Prometheus through etcd).
   */
  STRATA_HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
  STRATA_HEALTH_PORT: port.optional(),
  ...supervisedEnvShape,
};

/** The largest request body an app takes, with the app's own default (`httpBodyLimitBytes.default(64 * 1024)`). */
export const httpBodyLimitBytes = z.coerce
  .number()
  .int()
  .min(1024)
  .max(10 * 1024 * 1024);

/**
 * An application service's HTTP environment with its own defaults: the shared variables, the port
 * it listens on by default and the largest body it takes.
 */
export function httpServiceEnv(defaults: { port: number; bodyLimitBytes: number }) {
  return {
    ...httpServiceEnvShape,
    STRATA_HTTP_PORT: port.default(defaults.port),
    STRATA_HTTP_BODY_LIMIT_BYTES: httpBodyLimitBytes.default(defaults.bodyLimitBytes),
  };
}

export type HttpServiceEnv = z.output<z.ZodObject<typeof httpServiceEnvShape>> &
  Pick<DataServiceEnv, 'STRATA_REGISTRY' | 'STRATA_ETCD_HOSTS' | 'STRATA_ETCD_PREFIX'> & {
    STRATA_HTTP_PORT: number;
  };

/**
 * An application service's process from listening to exit: listens, registers the instance in etcd
 * (under the prefix the gateway watches) when `STRATA_REGISTRY=etcd`, logs
 * `<service> listening on <url>`, and on SIGINT/SIGTERM leaves the registry first — so the gateway
 * stops choosing it — then closes HTTP, then whatever `shutdown` already holds (data-service
 * connections, Redis), in reverse order of opening.
 */
export async function serveHttpService(options: {
  service: string;
  app: NestFastifyApplication;
  env: HttpServiceEnv;
  logger: Logger;
  /** What the app opened before it was built; closed after HTTP. */
  shutdown: ShutdownSequence;
  /** The process's registry; the routes' figures join it, and the admin port answers it. */
  metrics?: Registry;
  /** What `/health/ready` on the admin port runs: the data services it calls, its own stores. */
  readinessChecks?: readonly ReadinessCheck[];
}): Promise<void> {
  const { service, app, env, logger, shutdown } = options;
  const metrics = options.metrics ?? processMetrics();
  meterHttpRoutes(app, service, metrics);
  const stop = async (reason: string): Promise<boolean> => {
    logger.info(`${reason}: leaving the registry, closing HTTP, then what ${service} opened`);
    try {
      await shutdown.stop();
      logger.info(`${service} stopped cleanly`);
      return true;
    } catch (error) {
      logger.error({ err: error }, `${service} did not stop cleanly`);
      process.exitCode = 1;
      return false;
    }
  };

  try {
    await app.listen({ port: env.STRATA_HTTP_PORT, host: env.STRATA_HTTP_HOST });
  } catch (error) {
    logger.fatal(
      { err: error },
      `${service} cannot listen on ${env.STRATA_HTTP_HOST}:${env.STRATA_HTTP_PORT}: ${(error as Error).message}` +
        ' (another process holds the port? STRATA_HTTP_PORT=0 picks a free one)',
    );
    await stop('listening failed');
    process.exitCode = 1;
    return;
  }
  shutdown.add('HTTP server', () => app.close());
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : env.STRATA_HTTP_PORT;
  const host = env.STRATA_HTTP_ADVERTISE_HOST ?? env.STRATA_HTTP_HOST;

  // On Kubernetes the Service and the readiness probe announce the instance; nothing to register.
  let registered =
    env.STRATA_REGISTRY === 'kubernetes'
      ? 'found through its Kubernetes Service'
      : 'not registered (STRATA_REGISTRY=static)';
  if (env.STRATA_REGISTRY === 'etcd') {
    const registry = new EtcdRegistry({
      hosts: env.STRATA_ETCD_HOSTS,
      leaseTtlSeconds: env.STRATA_ETCD_LEASE_TTL_SECONDS,
      logger,
      ...(env.STRATA_ETCD_PREFIX === undefined ? {} : { prefix: env.STRATA_ETCD_PREFIX }),
    });
    // Closing the registry deregisters, and it is the last step added, so it runs first on stop.
    shutdown.add('etcd registration', () => registry.close());
    try {
      const registration = await registry.register({
        id: `${service}-${hostname()}-${randomUUID().slice(0, 8)}`,
        service,
        host,
        port,
      });
      registered = `registered in etcd as ${registration.instance.id}`;
    } catch (error) {
      logger.fatal(
        { err: error },
        `${service} cannot register in etcd at ${env.STRATA_ETCD_HOSTS.join(', ')}: ${(error as Error).message}; ` +
          'the gateway would never route to it, so it stops (is etcd up? `npm run stack:status`)',
      );
      await stop('registration failed');
      process.exitCode = 1;
      return;
    }
  }
  let adminUrl: string | undefined;
  if (env.STRATA_HEALTH_PORT !== undefined) {
    const readiness = new Readiness({ checks: options.readinessChecks ?? [], metrics });
    await readiness.start();
    const admin = await listenAdmin({
      host: env.STRATA_HEALTH_HOST,
      port: env.STRATA_HEALTH_PORT,
      service,
      readiness,
      metrics,
    });
    shutdown.add('admin port', () => admin.close());
    adminUrl = `http://${env.STRATA_HEALTH_HOST}:${admin.port}`;
    if (env.STRATA_REGISTRY === 'etcd') {
      const target = await registerScrapeTarget({
        service,
        host: env.STRATA_HEALTH_HOST,
        port: admin.port,
        etcdHosts: env.STRATA_ETCD_HOSTS,
        leaseTtlSeconds: env.STRATA_ETCD_LEASE_TTL_SECONDS,
        logger,
        ...(env.STRATA_ETCD_PREFIX === undefined ? {} : { servicesPrefix: env.STRATA_ETCD_PREFIX }),
      });
      shutdown.add('scrape target', () => target.close());
    }
    // Stopping, the admin port says so before anything closes (the steps run in reverse).
    shutdown.add('readiness', async () => admin.markStopping());
  }
  logger.info(
    { host, port, registry: env.STRATA_REGISTRY, adminUrl: adminUrl ?? null },
    `${service} listening on http://${host}:${port}, ${registered}`,
  );
  process.once('SIGINT', () => void stop('SIGINT received'));
  process.once('SIGTERM', () => void stop('SIGTERM received'));
  stopWhenSupervisorLeaves((reason) => void stop(reason), env.STRATA_SUPERVISED);
}
