import {
  accessTokenEnvShape,
  checkDataServiceEnv,
  dataServiceEnvShape,
  eventNamespace,
  hostPort,
  httpServiceEnv,
  list,
} from '@strata/runtime';
import { paymentWebhookEnvShape } from '@strata/payments';
import { z } from '@strata/shared-kernel';

/**
 * How often every live notification connection gets a heartbeat (embedded and distributed alike):
 * it keeps proxies from closing a quiet connection, and a WebSocket that left the previous one
 * unanswered (its client stopped reading) is cut as `unresponsive` at the next. Tests that watch
 * that cut set it short.
 */
export const pushHeartbeatEnvShape = {
  STRATA_PUSH_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
};

/**
 * learner-api's distributed configuration. Defaults match the development stack; what an operator
 * must decide on purpose (mutual TLS or plaintext to the data services, the payment provider's
 * webhook secret) has none.
 */
export const learnerApiConfig = z
  .object({
    ...httpServiceEnv({ port: 3003, bodyLimitBytes: 16 * 1024 }),
    STRATA_REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    /** Namespaces learner-api's cache keys, so deployments (or test runs) can share one Redis. */
    STRATA_REDIS_KEY_PREFIX: z.string().min(1).max(100).default('strata:learner-api:'),
    STRATA_KAFKA_BROKERS: list.default(['127.0.0.1:9092']),
    STRATA_EVENT_NAMESPACE: eventNamespace.optional(),
    /** Every learner-api instance of one deployment shares it; another deployment on the same Kafka needs its own. */
    STRATA_CACHE_CONSUMER_GROUP: z.string().min(1).max(200).default('learner-api.course-cache'),
    /** Shared by every learner-api instance of a deployment: each new notification is fanned out once. */
    STRATA_PUSH_CONSUMER_GROUP: z.string().min(1).max(200).default('learner-api.push'),
    /** Live notification connections one learner may hold on one instance. */
    STRATA_PUSH_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
    /** Bytes a live connection may have waiting before it is cut as a slow consumer. */
    STRATA_PUSH_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1_024).max(16_777_216).default(262_144),
    ...pushHeartbeatEnvShape,
    /** Upper bound on a stale detail should an invalidating event be lost. */
    STRATA_COURSE_DETAIL_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** account-api's published signing keys; buyers' tokens are verified here, never trusted from headers. */
    STRATA_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
    ...accessTokenEnvShape,
    ...dataServiceEnvShape,
    STRATA_COMMERCE_ADDRESS: hostPort.optional(),
    STRATA_LEARNING_ADDRESS: hostPort.optional(),
    STRATA_ENGAGEMENT_ADDRESS: hostPort.optional(),
    /** The gateway's public address: shared courses and certificates lead to pages under it. */
    STRATA_PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
    /** The short domain's public address: a shared link is handed out as `<it>/<slug>`. */
    STRATA_SHORT_LINK_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8090'),
    // Required, no default: without the provider's secret no payment webhook could be believed.
    ...paymentWebhookEnvShape,
  })
  .superRefine((env, context) =>
    checkDataServiceEnv(env, context, [
      'STRATA_COMMERCE_ADDRESS',
      'STRATA_LEARNING_ADDRESS',
      'STRATA_ENGAGEMENT_ADDRESS',
    ]),
  );

export type LearnerApiConfig = z.output<typeof learnerApiConfig>;
