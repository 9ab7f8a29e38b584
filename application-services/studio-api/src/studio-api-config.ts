import {
  accessTokenEnvShape,
  checkDataServiceEnv,
  dataServiceEnvShape,
  eventNamespace,
  hostPort,
  httpServiceEnv,
  list,
} from '@strata/runtime';
import { z } from '@strata/shared-kernel';
import { DEFAULT_SALES_CONSUMER_GROUP } from './sales-projection.ts';
import { DEFAULT_PROCESSED_IDS_KEPT } from './sales-read-model.ts';

/** Where the sales read model lives and which events feed it: shared by main.ts and the rebuild command. */
export const salesReadModelEnvShape = {
  STRATA_REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Namespaces studio-api's keys, so deployments (or test runs) can share one Redis. */
  STRATA_REDIS_KEY_PREFIX: z.string().min(1).max(100).default('strata:studio-api:'),
  STRATA_KAFKA_BROKERS: list.default(['127.0.0.1:9092']),
  STRATA_EVENT_NAMESPACE: eventNamespace.optional(),
  /** Every studio-api instance of one deployment shares it; another deployment on the same Kafka needs its own. */
  STRATA_SALES_CONSUMER_GROUP: z.string().min(1).max(200).default(DEFAULT_SALES_CONSUMER_GROUP),
  /** Event ids remembered to ignore redeliveries: far more than a consumer group can be sent again. */
  STRATA_SALES_PROCESSED_IDS_KEPT: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(10_000_000)
    .default(DEFAULT_PROCESSED_IDS_KEPT),
};

/** Where the platform is reached from outside, for the short links studio-api makes and shows. */
export const publicLinksEnvShape = {
  /** The gateway's public address: a campaign link leads to `<it>/api/learner/courses/<id>`. */
  STRATA_PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  /** The short domain's public address: a link is shown as `<it>/<slug>`. */
  STRATA_SHORT_LINK_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8090'),
};

/**
 * studio-api's distributed configuration. Defaults match the development stack; what an operator
 * must decide on purpose (mutual TLS or plaintext to commerce-service) has none.
 */
export const studioApiConfig = z
  .object({
    ...httpServiceEnv({ port: 3002, bodyLimitBytes: 64 * 1024 }),
    /** account-api's published signing keys; tokens are verified here, never trusted from headers. */
    STRATA_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
    ...accessTokenEnvShape,
    ...salesReadModelEnvShape,
    ...dataServiceEnvShape,
    STRATA_COMMERCE_ADDRESS: hostPort.optional(),
    STRATA_LEARNING_ADDRESS: hostPort.optional(),
    STRATA_ENGAGEMENT_ADDRESS: hostPort.optional(),
    ...publicLinksEnvShape,
  })
  .superRefine((env, context) =>
    checkDataServiceEnv(env, context, [
      'STRATA_COMMERCE_ADDRESS',
      'STRATA_LEARNING_ADDRESS',
      'STRATA_ENGAGEMENT_ADDRESS',
    ]),
  );

export type StudioApiConfig = z.output<typeof studioApiConfig>;
