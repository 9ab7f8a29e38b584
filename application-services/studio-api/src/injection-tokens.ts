import type { catalogContract } from '@strata/catalog/contract';
import type { learningContract } from '@strata/learning/contract';
import type { linksContract } from '@strata/links/contract';
import type { orderingContract } from '@strata/ordering/contract';
import type { ContractClient } from '@strata/rpc';

export type CatalogClient = ContractClient<typeof catalogContract>;
export type OrderingClient = ContractClient<typeof orderingContract>;
export type LearningClient = ContractClient<typeof learningContract>;
export type LinksClient = ContractClient<typeof linksContract>;

/** The catalog contract's client, bound to however commerce-service is reached (TCP cluster or in-process). */
export const CATALOG_CLIENT = Symbol('CatalogClient');
/** The ordering contract's client, on the same commerce-service (operators' checkout view). */
export const ORDERING_CLIENT = Symbol('OrderingClient');
/** The learning contract's client, bound to however learning-service is reached. */
export const LEARNING_CLIENT = Symbol('LearningClient');
/** The links contract's client, bound to however engagement-service is reached. */
export const LINKS_CLIENT = Symbol('LinksClient');
/** Where course pages and short links are served: a `LinkAddresses`. */
export const LINK_ADDRESSES = Symbol('LinkAddresses');
export const SALES_READ_MODEL = Symbol('SalesReadModel');
export const SALES_CONSUMER_GROUP = Symbol('SalesConsumerGroup');
export const ORDERING_EVENT_FEED = Symbol('OrderingEventFeed');
export const STUDIO_LOGGER = Symbol('StudioLogger');

/** How studio-api names itself in the RPC metadata of its calls. */
export const STUDIO_API_SERVICE = 'studio-api';
