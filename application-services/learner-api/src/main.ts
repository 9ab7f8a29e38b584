import 'reflect-metadata';
import { RedisCache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import { runApplicationService } from '@strata/runtime';
import { createLearnerApi } from './create-learner-api.ts';
import { kafkaCourseEvents } from './kafka-course-events.ts';
import { learnerApiConfig } from './learner-api-config.ts';

// `node --import @swc-node/register/esm-register application-services/learner-api/src/main.ts`:
// learner-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001), with
// commerce-service behind it, course details cached in Redis and invalidated by catalog events from
// Kafka (closing HTTP also stops the Kafka consumer, which the app owns).
await runApplicationService(
  {
    name: 'learner-api',
    config: learnerApiConfig,
    dataServices: {
      commerce: {
        service: 'commerce-service',
        contracts: [catalogContract],
        staticAddress: 'STRATA_COMMERCE_ADDRESS',
      },
    },
    async create({ config, logger, shutdown, dataServices, healthChecks }) {
      const cache = await RedisCache.connect({
        url: config.STRATA_REDIS_URL,
        prefix: config.STRATA_REDIS_KEY_PREFIX,
        logger,
      });
      shutdown.add('Redis cache', () => cache.close());
      return createLearnerApi({
        commerce: dataServices.commerce,
        cache,
        events: kafkaCourseEvents({
          brokers: config.STRATA_KAFKA_BROKERS,
          clientId: 'learner-api',
          logger,
          ...(config.STRATA_EVENT_NAMESPACE === undefined
            ? {}
            : { namespace: config.STRATA_EVENT_NAMESPACE }),
        }),
        logger,
        consumerGroup: config.STRATA_CACHE_CONSUMER_GROUP,
        courseDetailTtlMs: config.STRATA_COURSE_DETAIL_TTL_SECONDS * 1000,
        bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
        healthChecks,
      });
    },
  },
  process.env,
);
