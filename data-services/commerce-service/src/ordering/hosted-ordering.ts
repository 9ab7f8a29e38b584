import { DEFAULT_ORDER_TERMS, type OrderTerms } from '@strata/ordering';
import { orderingContract } from '@strata/ordering/contract';
import { implementContract } from '@strata/rpc';
import type { HostedContext } from '@strata/runtime/data-service';
import { catalogOffersSubscription } from './catalog-subscription.ts';
import { CreateOrderingProjections } from './migrations/create-ordering-projections.ts';
import { CreateOrdersTable } from './migrations/create-orders-table.ts';
import { certificateRecordSchema, offerRecordSchema } from './offer-record.ts';
import { orderRecordSchema, orderStorage } from './order-record.ts';
import { orderingImplementation } from './ordering-implementation.ts';
import { SqlOrderingQueries } from './sql-ordering-queries.ts';

/**
 * Ordering as commerce-service hosts it: the Order aggregate on its own table, and its own
 * records of the catalog's offers, kept from the catalog's events (never its tables or code).
 * `terms` are the payment and refund windows new orders are placed under.
 */
export function hostedOrdering(terms: OrderTerms = DEFAULT_ORDER_TERMS): HostedContext {
  return {
    contract: orderingContract,
    aggregates: { Order: orderStorage },
    serve: ({ unitOfWork, session, options }) =>
      implementContract(
        orderingContract,
        orderingImplementation(new SqlOrderingQueries(session, options.database.kind), terms),
        { unitOfWork, clock: options.clock, logger: options.logger },
      ),
    subscribe: () => catalogOffersSubscription(),
  };
}

export const orderingMapping = {
  entities: [orderRecordSchema, offerRecordSchema, certificateRecordSchema],
  migrations: [CreateOrdersTable, CreateOrderingProjections],
};
