import type { OrderTerms } from '@strata/ordering';
import { composeDataService, type DataServiceOptions } from '@strata/runtime/data-service';
import { catalogMapping, hostedCatalog } from './catalog/hosted-catalog.ts';
import { hostedOrdering, orderingMapping } from './ordering/hosted-ordering.ts';
import { translatePendingClaimConflict } from './ordering/pending-claim-conflict.ts';

export const COMMERCE_SERVICE = 'commerce-service';

/** Serves the catalog and ordering contracts, and consumes the catalog's events for ordering's offers. */
export type CommerceService = Awaited<ReturnType<typeof composeDataService>>;
export type CommerceServiceOptions = DataServiceOptions & {
  /** The payment and refund windows of new orders; the domain's defaults otherwise. */
  readonly orderTerms?: OrderTerms;
};

/** Each hosted context brings its own mappings and migrations; they share the service's schema and outbox. */
export const commerceMapping = {
  entities: [...catalogMapping.entities, ...orderingMapping.entities],
  migrations: [...catalogMapping.migrations, ...orderingMapping.migrations],
};

/** Composes the commerce data service: the same code embedded (SQLite, in-process broker) and distributed. */
export function createCommerceService(options: CommerceServiceOptions): Promise<CommerceService> {
  return composeDataService(
    {
      service: COMMERCE_SERVICE,
      mapping: commerceMapping,
      contexts: [hostedCatalog, hostedOrdering(options.orderTerms)],
      translateFlushError: translatePendingClaimConflict,
    },
    options,
  );
}
