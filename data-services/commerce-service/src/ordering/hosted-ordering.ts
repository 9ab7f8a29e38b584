import { catalogContract } from '@strata/catalog/contract';
import { learningContract } from '@strata/learning/contract';
import { DEFAULT_ORDER_TERMS, type OrderTerms } from '@strata/ordering';
import { orderingContract } from '@strata/ordering/contract';
import type { PaymentProvider } from '@strata/payments';
import { createContractClient, implementContract, inProcessInvoke, type RpcHandler } from '@strata/rpc';
import type { ContextServing, HostedContext } from '@strata/runtime/data-service';
import { catalogOfferHandlers } from './catalog-subscription.ts';
import { learningCertificateHandlers } from './certificate-subscription.ts';
import { CheckoutCommandExecution } from './checkout-command-execution.ts';
import { checkoutRecordSchema, checkoutStorage } from './checkout-record.ts';
import { CheckoutRunner } from './checkout-runner.ts';
import { checkoutHandlers } from './checkout-subscription.ts';
import { checkoutEnrollmentHandlers } from './enrollment-subscription.ts';
import { CreateCheckoutsTable } from './migrations/create-checkouts-table.ts';
import { CreateOrderingProjections } from './migrations/create-ordering-projections.ts';
import { CreateOrdersTable } from './migrations/create-orders-table.ts';
import { certificateRecordSchema, offerRecordSchema } from './offer-record.ts';
import { orderRecordSchema, orderStorage } from './order-record.ts';
import { orderingImplementation } from './ordering-implementation.ts';
import { SqlOrderingQueries } from './sql-ordering-queries.ts';

export interface OrderingHosting {
  /** The name the service is addressed by; the checkout calls ordering's handler in-process under it. */
  readonly service: string;
  /** The payment and refund windows new orders are placed under. */
  readonly terms?: OrderTerms;
  /** The outside provider the checkout asks for payments and refunds. */
  readonly paymentProvider: PaymentProvider;
}

/**
 * Ordering as commerce-service hosts it: the Order and the Checkout (the saga of one order's
 * checkout) on their own tables, its own records of the catalog's offers kept from the catalog's
 * events (never its tables or code), and the checkout's jobs on the service's queue. The checkout
 * hears its order's events from ordering's own topic, in the same consumer group as the offers;
 * learning's certificates (CertificateIssued) come in the same way, for refusing refunds.
 */
export function hostedOrdering(hosting: OrderingHosting): HostedContext {
  const terms = hosting.terms ?? DEFAULT_ORDER_TERMS;
  // One composition's parts (one `serving`): `serve` makes them, `prepareJobs` and `subscribe` reuse them.
  const compositions = new WeakMap<ContextServing, { runner: CheckoutRunner; handler: RpcHandler }>();
  const composedOf = (serving: ContextServing) => {
    const known = compositions.get(serving);
    if (known !== undefined) return known;
    const { unitOfWork, session, jobs, options } = serving;
    const runner = new CheckoutRunner({ unitOfWork, jobs, clock: options.clock, logger: options.logger });
    const queries = new SqlOrderingQueries(session, options.database.kind, options.clock);
    const handler = implementContract(orderingContract, orderingImplementation(queries, terms, runner), {
      unitOfWork,
      clock: options.clock,
      logger: options.logger,
    });
    const composed = { runner, handler };
    compositions.set(serving, composed);
    return composed;
  };
  return {
    contract: orderingContract,
    aggregates: { Order: orderStorage, Checkout: checkoutStorage },
    serve: (serving) => composedOf(serving).handler,
    prepareJobs: async (serving) => {
      const { runner, handler } = composedOf(serving);
      const ordering = createContractClient(orderingContract, {
        service: hosting.service,
        invoke: inProcessInvoke(handler),
      });
      await runner.defineJobs(
        new CheckoutCommandExecution({
          provider: hosting.paymentProvider,
          ordering,
          logger: serving.options.logger,
        }),
      );
    },
    subscribe: (serving) => ({
      from: [catalogContract, orderingContract, learningContract],
      handlers: {
        ...catalogOfferHandlers(),
        ...checkoutHandlers(composedOf(serving).runner),
        ...learningCertificateHandlers(),
        ...checkoutEnrollmentHandlers(composedOf(serving).runner),
      },
    }),
  };
}

export const orderingMapping = {
  entities: [orderRecordSchema, offerRecordSchema, certificateRecordSchema, checkoutRecordSchema],
  migrations: [CreateOrdersTable, CreateOrderingProjections, CreateCheckoutsTable],
};
