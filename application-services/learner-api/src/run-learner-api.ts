import { RedisCache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import {
  ConfigError,
  connectDataService,
  createLogger,
  serveHttpService,
  ShutdownSequence,
} from '@strata/runtime';
import { createLearnerApi } from './create-learner-api.ts';
import { kafkaCourseEvents } from './kafka-course-events.ts';
import { readLearnerApiConfig, type LearnerApiConfig } from './learner-api-config.ts';

/**
 * learner-api as its own process: commerce-service found in etcd (or at one static address) and
 * called over TCP, course details cached in Redis and invalidated by catalog events from Kafka.
 * Registers in etcd for the gateway; stops cleanly on SIGINT/SIGTERM (closing HTTP also stops the
 * Kafka consumer, which the app owns).
 */
export async function runLearnerApi(env: Record<string, string | undefined>): Promise<void> {
  let config: LearnerApiConfig;
  try {
    config = readLearnerApiConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Plain lines on stderr: an operator reads these before any log pipeline is up.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ service: 'learner-api', level: config.STRATA_LOG_LEVEL });
  const shutdown = new ShutdownSequence();
  const cache = await RedisCache.connect({
    url: config.STRATA_REDIS_URL,
    prefix: config.STRATA_REDIS_KEY_PREFIX,
    logger,
  });
  shutdown.add('Redis cache', () => cache.close());
  const commerce = await connectDataService({
    service: 'commerce-service',
    contracts: [catalogContract],
    env: config,
    staticAddress: config.STRATA_COMMERCE_ADDRESS,
    logger,
  });
  shutdown.add('commerce-service connections', () => commerce.close());
  const app = await createLearnerApi({
    commerce: commerce.invoke,
    cache,
    events: kafkaCourseEvents({
      brokers: config.STRATA_KAFKA_BROKERS,
      clientId: 'learner-api',
      logger,
      ...(config.STRATA_EVENT_NAMESPACE === undefined ? {} : { namespace: config.STRATA_EVENT_NAMESPACE }),
    }),
    logger,
    consumerGroup: config.STRATA_CACHE_CONSUMER_GROUP,
    courseDetailTtlMs: config.STRATA_COURSE_DETAIL_TTL_SECONDS * 1000,
    bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
    healthChecks: [commerce.healthCheck],
  });
  await serveHttpService({ service: 'learner-api', app, env: config, logger, shutdown });
}
