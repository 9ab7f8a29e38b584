import { hostname } from 'node:os';
import { deploymentName, list, loadProcessConfig, logLevel, port, redisUrl } from '@strata/runtime/env';
import {
  checkDataServiceEnv,
  connectDataService,
  createLogger,
  dataServiceEnvShape,
  eventNamespace,
  listenAdmin,
  meterRpcClients,
  processMetrics,
  Readiness,
  registerScrapeTarget,
} from '@strata/runtime/plain-process';
import { stopWhenSupervisorLeaves, supervisedEnvShape } from '@strata/runtime/supervised';
import { linksContract } from '@strata/links/contract';
import { systemClock, z } from '@strata/shared-kernel';
import { ENGAGEMENT_SERVICE } from './create-engagement-service.ts';
import { LINK_REDIRECT, startDistributedLinkRedirect } from './links/redirect/link-redirect.ts';

// `node data-services/engagement-service/src/redirect-main.ts`: one instance of the short domain
// (ADR 0018). Its own HTTP/1.1 on node:net (ADR 0043); links from Redis filled through
// engagement-service's findBySlug (found in etcd, mutual TLS) on a miss; visits counted in Redis
// and shipped to Kafka.
const EnvSchema = z
  .object({
    ...dataServiceEnvShape,
    ...supervisedEnvShape,
    STRATA_REDIRECT_HOST: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port; the ready line says which. */
    STRATA_REDIRECT_PORT: port.default(8090),
    /** Names this instance in the visit stream's consumer group: keep it across restarts. */
    STRATA_REDIRECT_INSTANCE: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default(`redirect-${hostname()}`),
    /** Keys the visitor hash; every instance of a deployment must share it (unique visitor counts). */
    STRATA_VISITOR_HASH_KEY: z.string().min(32, 'at least 32 characters of secret'),
    STRATA_REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
    STRATA_REDIS_KEY_PREFIX: z.string().min(1).default('strata:'),
    STRATA_KAFKA_BROKERS: list.default(['127.0.0.1:9092']),
    STRATA_EVENT_NAMESPACE: eventNamespace.optional(),
    STRATA_DEPLOYMENT: deploymentName.optional(),
    /** The engagement-service address when STRATA_REGISTRY=static. */
    STRATA_ENGAGEMENT_ADDRESS: z.string().min(1).optional(),
    STRATA_LOG_LEVEL: logLevel.default('info'),
    /** The admin port (`/health/live`, `/health/ready`, `/metrics`), never the short domain's; unset, none. */
    STRATA_HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
    STRATA_HEALTH_PORT: port.optional(),
  })
  .superRefine((env, context) => checkDataServiceEnv(env, context, 'STRATA_ENGAGEMENT_ADDRESS'));

const config = loadProcessConfig(LINK_REDIRECT, EnvSchema, process.env);
if (config !== undefined) {
  const logger = createLogger({ service: LINK_REDIRECT, level: config.STRATA_LOG_LEVEL });
  const engagement = await connectDataService({
    service: ENGAGEMENT_SERVICE,
    contracts: [linksContract],
    env: config,
    logger,
    ...(config.STRATA_ENGAGEMENT_ADDRESS === undefined
      ? {}
      : { staticAddress: config.STRATA_ENGAGEMENT_ADDRESS }),
  });
  const group = `${config.STRATA_DEPLOYMENT === undefined ? '' : `${config.STRATA_DEPLOYMENT}.`}${LINK_REDIRECT}.cache`;
  const running = await startDistributedLinkRedirect({
    service: ENGAGEMENT_SERVICE,
    engagement: engagement.invoke,
    host: config.STRATA_REDIRECT_HOST,
    port: config.STRATA_REDIRECT_PORT,
    clock: systemClock,
    logger,
    visitorHashKey: config.STRATA_VISITOR_HASH_KEY,
    redisUrl: config.STRATA_REDIS_URL,
    redisPrefix: config.STRATA_REDIS_KEY_PREFIX,
    kafkaBrokers: config.STRATA_KAFKA_BROKERS,
    instanceId: config.STRATA_REDIRECT_INSTANCE,
    consumerGroup: group,
    ...(config.STRATA_EVENT_NAMESPACE === undefined ? {} : { eventNamespace: config.STRATA_EVENT_NAMESPACE }),
  });
  // Ready while engagement-service can take the lookups of a cache miss.
  const metrics = processMetrics();
  const readiness = new Readiness({ checks: [engagement.healthCheck], metrics });
  meterRpcClients(LINK_REDIRECT, [engagement], metrics);
  await readiness.start();
  const admin =
    config.STRATA_HEALTH_PORT === undefined
      ? undefined
      : await listenAdmin({
          host: config.STRATA_HEALTH_HOST,
          port: config.STRATA_HEALTH_PORT,
          service: LINK_REDIRECT,
          readiness,
          metrics,
        });
  const scrapeTarget =
    admin === undefined || config.STRATA_REGISTRY !== 'etcd'
      ? undefined
      : await registerScrapeTarget({
          service: LINK_REDIRECT,
          host: config.STRATA_HEALTH_HOST,
          port: admin.port,
          etcdHosts: config.STRATA_ETCD_HOSTS,
          logger,
          ...(config.STRATA_ETCD_PREFIX === undefined ? {} : { servicesPrefix: config.STRATA_ETCD_PREFIX }),
        });
  logger.info(
    {
      url: running.url,
      adminUrl: admin === undefined ? null : `http://${config.STRATA_HEALTH_HOST}:${admin.port}`,
    },
    `${LINK_REDIRECT} serving short links on ${running.url}`,
  );

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: stopping; queued visits ship before it exits`);
    try {
      admin?.markStopping();
      await running.stop();
      await scrapeTarget?.close();
      await admin?.close();
      await engagement.close();
      logger.info(`${LINK_REDIRECT} stopped cleanly`);
    } catch (error) {
      logger.error({ err: error }, `${LINK_REDIRECT} did not stop cleanly`);
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT received'));
  process.once('SIGTERM', () => void stop('SIGTERM received'));
  stopWhenSupervisorLeaves((reason) => void stop(reason), config.STRATA_SUPERVISED);
}
