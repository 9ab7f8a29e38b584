import { QueryHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import { CheckoutQuery, CheckoutQueryHandler } from './checkout-query.ts';
import type { OrderingClient } from './injection-tokens.ts';
import type { CheckoutParams, CheckoutView } from './studio-api-schemas.ts';

/** One order's checkout: its step, deadline, attempts, last error and the commands it has yet to send. */
export class GetCheckoutQuery extends CheckoutQuery<CheckoutParams, CheckoutView> {}

@QueryHandler(GetCheckoutQuery)
export class GetCheckoutHandler extends CheckoutQueryHandler<GetCheckoutQuery, CheckoutView> {
  protected call(
    checkout: OrderingClient['Checkout'],
    { input }: GetCheckoutQuery,
    options: CallOptions,
  ): Promise<CheckoutView> {
    return checkout.get(input.orderId, options);
  }
}
