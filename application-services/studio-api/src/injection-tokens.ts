import type { catalogContract } from '@strata/catalog/contract';
import type { ContractClient } from '@strata/rpc';

export type CatalogClient = ContractClient<typeof catalogContract>;

/** The catalog contract's client, bound to however commerce-service is reached (TCP cluster or in-process). */
export const CATALOG_CLIENT = Symbol('CatalogClient');

/** How studio-api names itself in the RPC metadata of its calls. */
export const STUDIO_API_SERVICE = 'studio-api';
