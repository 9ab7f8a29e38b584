import { composeDataService, type DataService, type DataServiceOptions } from '@strata/runtime/data-service';
import { catalogMapping, hostedCatalog } from './catalog/hosted-catalog.ts';

export const COMMERCE_SERVICE = 'commerce-service';

/** Serves the catalog contract (ordering joins it later). */
export type CommerceService = DataService;
export type CommerceServiceOptions = DataServiceOptions;

/** Each hosted context brings its own mappings and migrations; they share the service's schema and outbox. */
export const commerceMapping = {
  entities: [...catalogMapping.entities],
  migrations: [...catalogMapping.migrations],
};

/** Composes the commerce data service: the same code embedded (SQLite, in-process broker) and distributed. */
export function createCommerceService(options: CommerceServiceOptions): Promise<CommerceService> {
  return composeDataService(
    { service: COMMERCE_SERVICE, mapping: commerceMapping, contexts: [hostedCatalog] },
    options,
  );
}
