import type { OrderTerms } from '@strata/ordering';
import type { PaymentProvider } from '@strata/payments';
import { composeDataService, type DataServiceOptions } from '@strata/runtime/data-service';
import { catalogMapping, hostedCatalog } from './catalog/hosted-catalog.ts';
import { hostedOrdering, orderingMapping } from './ordering/hosted-ordering.ts';
import { translatePendingClaimConflict } from './ordering/pending-claim-conflict.ts';

export const COMMERCE_SERVICE = 'commerce-service';

/** Serves the catalog and ordering contracts; consumes the catalog's events (offers) and ordering's own (the checkout). */
export type CommerceService = Awaited<ReturnType<typeof composeDataService>>;
export type CommerceServiceOptions = DataServiceOptions & {
  /** The payment and refund windows of new orders; the domain's defaults otherwise. */
  readonly orderTerms?: OrderTerms;
  /**
   * The outside provider the checkout asks for payments and refunds. Required: a commerce-service
   * without one would take orders it can never be paid for.
   */
  readonly paymentProvider: PaymentProvider;
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
      contexts: [
        hostedCatalog,
        hostedOrdering({
          service: COMMERCE_SERVICE,
          terms: options.orderTerms,
          paymentProvider: options.paymentProvider,
        }),
      ],
      translateWriteError: translatePendingClaimConflict,
    },
    options,
  );
}
