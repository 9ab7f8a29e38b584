import type { catalogContract } from '@strata/catalog/contract';
import type { orderingContract } from '@strata/ordering/contract';
import type { ContractClient } from '@strata/rpc';

export type CatalogClient = ContractClient<typeof catalogContract>;
export type OrderingClient = ContractClient<typeof orderingContract>;

/** The catalog contract's client, bound to however commerce-service is reached (TCP cluster or in-process). */
export const CATALOG_CLIENT = Symbol('CatalogClient');
/** The ordering contract's client, on the same commerce-service (operators' checkout view). */
export const ORDERING_CLIENT = Symbol('OrderingClient');
export const SALES_READ_MODEL = Symbol('SalesReadModel');
export const SALES_CONSUMER_GROUP = Symbol('SalesConsumerGroup');
export const ORDERING_EVENT_FEED = Symbol('OrderingEventFeed');
export const STUDIO_LOGGER = Symbol('StudioLogger');

/** How studio-api names itself in the RPC metadata of its calls. */
export const STUDIO_API_SERVICE = 'studio-api';
