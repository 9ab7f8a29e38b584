import type { catalogContract } from '@strata/catalog/contract';
import type { learningContract } from '@strata/learning/contract';
import type { linksContract } from '@strata/links/contract';
import type { notificationContract } from '@strata/notification/contract';
import type { orderingContract } from '@strata/ordering/contract';
import type { ContractClient } from '@strata/rpc';

export type CatalogClient = ContractClient<typeof catalogContract>;
export type OrderingClient = ContractClient<typeof orderingContract>;
export type LearningClient = ContractClient<typeof learningContract>;
export type LinksClient = ContractClient<typeof linksContract>;
export type NotificationClient = ContractClient<typeof notificationContract>;

/** The catalog contract's client, bound to however commerce-service is reached (TCP cluster or in-process). */
export const CATALOG_CLIENT = Symbol('CatalogClient');
/** The ordering contract's client, on the same commerce-service connection. */
export const ORDERING_CLIENT = Symbol('OrderingClient');
/** The learning contract's client, bound to however learning-service is reached. */
export const LEARNING_CLIENT = Symbol('LearningClient');
/** The links contract's client, bound to however engagement-service is reached. */
export const LINKS_CLIENT = Symbol('LinksClient');
/** The notification contract's client, on the engagement-service connection. */
export const NOTIFICATION_CLIENT = Symbol('NotificationClient');
/** How notifications are pushed live: a `NotificationPushSettings`. */
export const NOTIFICATION_PUSH_SETTINGS = Symbol('NotificationPushSettings');
/** Where shared pages and short links are served: a `ShareAddresses`. */
export const SHARE_ADDRESSES = Symbol('ShareAddresses');
/** How the payment provider's webhooks are verified: a `PaymentWebhookSettings`. */
export const PAYMENT_WEBHOOK_SETTINGS = Symbol('PaymentWebhookSettings');
export const COURSE_CACHE = Symbol('CourseCache');
export const COURSE_CACHE_CONSUMER_GROUP = Symbol('CourseCacheConsumerGroup');
export const COURSE_DETAIL_TTL_MS = Symbol('CourseDetailTtlMs');
export const COURSE_EVENT_FEED = Symbol('CourseEventFeed');
export const LEARNER_LOGGER = Symbol('LearnerLogger');

/**
 * How learner-api names itself in the RPC metadata: browsing is anonymous, so it acts on nobody's
 * behalf; buying acts for the verified learner, and the webhook for the payment provider.
 */
export const LEARNER_API_SERVICE = 'learner-api';
