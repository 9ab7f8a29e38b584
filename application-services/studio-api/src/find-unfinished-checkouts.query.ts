import { QueryHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CheckoutQuery, CheckoutQueryHandler } from './checkout-query.ts';
import type { OrderingClient } from './injection-tokens.ts';
import type { CheckoutPage, UnfinishedCheckoutsQuery } from './studio-api-schemas.ts';

/** Checkouts not yet at an outcome, unchanged for at least `stalledForSeconds`, the longest unchanged first. */
export class FindUnfinishedCheckoutsQuery extends CheckoutQuery<UnfinishedCheckoutsQuery, CheckoutPage> {}

@QueryHandler(FindUnfinishedCheckoutsQuery)
export class FindUnfinishedCheckoutsHandler extends CheckoutQueryHandler<
  FindUnfinishedCheckoutsQuery,
  CheckoutPage
> {
  protected call(
    checkout: OrderingClient['Checkout'],
    { input }: FindUnfinishedCheckoutsQuery,
    options: CallOptions,
  ): Promise<CheckoutPage> {
    return checkout.findUnfinished(input, options);
  }
}
