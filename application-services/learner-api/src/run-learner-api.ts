import { RedisCache } from '@strata/cache';
import { ConfigError, connectDataService, createLogger } from '@strata/runtime';
import { createLearnerApi } from './create-learner-api.ts';
import { kafkaCourseEvents } from './kafka-course-events.ts';
import { readLearnerApiConfig, type LearnerApiConfig } from './learner-api-config.ts';

/**
 * learner-api as its own process: commerce-service found in etcd (or at one static address) and
 * called over TCP, course details cached in Redis and invalidated by catalog events from Kafka.
 * Stops cleanly on SIGINT/SIGTERM.
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
  const commerce = await connectDataService({
    service: 'commerce-service',
    env: config,
    staticAddress: config.STRATA_COMMERCE_ADDRESS,
    logger,
  });
  const cache = await RedisCache.connect({
    url: config.STRATA_REDIS_URL,
    prefix: config.STRATA_REDIS_KEY_PREFIX,
    logger,
  });
  const app = await createLearnerApi({
    commerce: commerce.invoke,
    cache,
    events: kafkaCourseEvents({ brokers: config.STRATA_KAFKA_BROKERS, clientId: 'learner-api', logger }),
    logger,
    consumerGroup: config.STRATA_CACHE_CONSUMER_GROUP,
    courseDetailTtlMs: config.STRATA_COURSE_DETAIL_TTL_SECONDS * 1000,
    bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
  });
  await app.listen({ port: config.STRATA_HTTP_PORT, host: config.STRATA_HTTP_HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.STRATA_HTTP_PORT;
  logger.info(
    { host: config.STRATA_HTTP_HOST, port, registry: config.STRATA_REGISTRY },
    `learner-api listening on http://${config.STRATA_HTTP_HOST}:${port}`,
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: closing HTTP and the Kafka consumer, then commerce-service and Redis`);
    try {
      await app.close();
      await commerce.close();
      await cache.close();
      logger.info('learner-api stopped cleanly');
    } catch (error) {
      logger.error({ err: error }, 'learner-api did not stop cleanly');
      process.exitCode = 1;
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
