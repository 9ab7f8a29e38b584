import 'reflect-metadata';
import { MeteredCache, RedisCache } from '@strata/cache';
import { catalogContract } from '@strata/catalog/contract';
import { learningContract } from '@strata/learning/contract';
import { linksContract } from '@strata/links/contract';
import { notificationContract } from '@strata/notification/contract';
import { RedisFanOut } from '@strata/push';
import { orderingContract } from '@strata/ordering/contract';
import { JwtAccessTokenVerifier, remoteJwks, runApplicationService } from '@strata/runtime';
import { createLearnerApi } from './create-learner-api.ts';
import { kafkaCourseEvents } from './kafka-course-events.ts';
import { kafkaNotificationEvents } from './notification-event-feed.ts';
import { learnerApiConfig } from './learner-api-config.ts';

// `node --import @strata/runtime/typescript application-services/learner-api/src/main.ts`:
// learner-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001), with
// commerce-service, learning-service and engagement-service behind it, course details cached in Redis and invalidated by catalog events from
// Kafka (closing HTTP also stops the Kafka consumer, which the app owns), new notifications pushed live
// (from Kafka, across instances through Redis pub/sub, docs/adr/0023), buyers' access tokens
// verified against account-api's JWKS, and the payment provider's webhooks against its secret.
await runApplicationService(
  {
    name: 'learner-api',
    config: learnerApiConfig,
    dataServices: {
      commerce: {
        service: 'commerce-service',
        contracts: [catalogContract, orderingContract],
        staticAddress: 'STRATA_COMMERCE_ADDRESS',
      },
      learning: {
        service: 'learning-service',
        contracts: [learningContract],
        staticAddress: 'STRATA_LEARNING_ADDRESS',
      },
      engagement: {
        service: 'engagement-service',
        contracts: [linksContract, notificationContract],
        staticAddress: 'STRATA_ENGAGEMENT_ADDRESS',
      },
    },
    async create({ config, logger, shutdown, dataServices, healthChecks, metrics }) {
      const cache = await RedisCache.connect({
        url: config.STRATA_REDIS_URL,
        prefix: config.STRATA_REDIS_KEY_PREFIX,
        logger,
      });
      shutdown.add('Redis cache', () => cache.close());
      // Live notifications reach the instance holding a learner's connection through Redis pub/sub.
      const fanOut = await RedisFanOut.connect({
        url: config.STRATA_REDIS_URL,
        prefix: `${config.STRATA_REDIS_KEY_PREFIX}push:`,
        onError: (error) => logger.warn({ err: error }, 'push fan-out (Redis)'),
      });
      shutdown.add('push fan-out', () => fanOut.close());
      const namespace =
        config.STRATA_EVENT_NAMESPACE === undefined ? {} : { namespace: config.STRATA_EVENT_NAMESPACE };
      return createLearnerApi({
        commerce: dataServices.commerce,
        learning: dataServices.learning,
        engagement: dataServices.engagement,
        links: { publicApiUrl: config.STRATA_PUBLIC_API_URL, shortLinkUrl: config.STRATA_SHORT_LINK_URL },
        accessTokens: new JwtAccessTokenVerifier({
          keys: remoteJwks(config.STRATA_JWKS_URL),
          issuer: config.STRATA_TOKEN_ISSUER,
          audience: config.STRATA_TOKEN_AUDIENCE,
        }),
        paymentWebhook: {
          secret: config.STRATA_PAYMENT_WEBHOOK_SECRET,
          toleranceSeconds: config.STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        },
        cache: new MeteredCache(cache, { name: 'learner-api.courses', registry: metrics }),
        events: kafkaCourseEvents({
          brokers: config.STRATA_KAFKA_BROKERS,
          clientId: 'learner-api',
          logger,
          metrics,
          ...namespace,
        }),
        push: {
          fanOut,
          events: kafkaNotificationEvents({
            brokers: config.STRATA_KAFKA_BROKERS,
            clientId: 'learner-api-push',
            logger,
            metrics,
            ...namespace,
          }),
          consumerGroup: config.STRATA_PUSH_CONSUMER_GROUP,
          maxConnectionsPerUser: config.STRATA_PUSH_MAX_CONNECTIONS_PER_USER,
          maxBufferedBytes: config.STRATA_PUSH_MAX_BUFFERED_BYTES,
          heartbeatMs: config.STRATA_PUSH_HEARTBEAT_SECONDS * 1000,
        },
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
