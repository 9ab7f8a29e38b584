import 'reflect-metadata';
import { catalogContract } from '@strata/catalog/contract';
import { learningContract } from '@strata/learning/contract';
import { linksContract } from '@strata/links/contract';
import { orderingContract } from '@strata/ordering/contract';
import { JwtAccessTokenVerifier, remoteJwks, runApplicationService } from '@strata/runtime';
import { createStudioApi } from './create-studio-api.ts';
import { kafkaOrderingEvents } from './kafka-ordering-events.ts';
import { RedisSalesReadModel } from './redis-sales-read-model.ts';
import { studioApiConfig } from './studio-api-config.ts';

// `node --import @strata/runtime/typescript application-services/studio-api/src/main.ts`:
// studio-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001), with
// commerce-service, learning-service and engagement-service behind it, access tokens verified against account-api's JWKS, and the sales read
// model in Redis fed by ordering's events from Kafka (closing HTTP also stops the consumer).
await runApplicationService(
  {
    name: 'studio-api',
    config: studioApiConfig,
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
        contracts: [linksContract],
        staticAddress: 'STRATA_ENGAGEMENT_ADDRESS',
      },
    },
    async create({ config, logger, shutdown, dataServices, healthChecks, metrics }) {
      const sales = RedisSalesReadModel.connect({
        url: config.STRATA_REDIS_URL,
        prefix: config.STRATA_REDIS_KEY_PREFIX,
        processedIdsKept: config.STRATA_SALES_PROCESSED_IDS_KEPT,
        onError: (error) => logger.warn({ err: error }, 'sales read model: Redis connection'),
      });
      shutdown.add('Redis sales read model', () => sales.close());
      return createStudioApi({
        commerce: dataServices.commerce,
        learning: dataServices.learning,
        engagement: dataServices.engagement,
        links: { publicApiUrl: config.STRATA_PUBLIC_API_URL, shortLinkUrl: config.STRATA_SHORT_LINK_URL },
        accessTokens: new JwtAccessTokenVerifier({
          keys: remoteJwks(config.STRATA_JWKS_URL),
          issuer: config.STRATA_TOKEN_ISSUER,
          audience: config.STRATA_TOKEN_AUDIENCE,
        }),
        sales,
        orderingEvents: kafkaOrderingEvents({
          brokers: config.STRATA_KAFKA_BROKERS,
          clientId: 'studio-api',
          logger,
          metrics,
          ...(config.STRATA_EVENT_NAMESPACE === undefined
            ? {}
            : { namespace: config.STRATA_EVENT_NAMESPACE }),
        }),
        salesConsumerGroup: config.STRATA_SALES_CONSUMER_GROUP,
        logger,
        bodyLimitBytes: config.STRATA_HTTP_BODY_LIMIT_BYTES,
        healthChecks,
      });
    },
  },
  process.env,
);
