import { Query, QueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';
import type { OrderingClient } from './injection-tokens.ts';
import { CheckoutProgressView, type MyOrderView } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { loadMyOrder } from './my-order.ts';
import { OrderingCallHandler } from './ordering-call-handler.ts';

/** One of the caller's orders with where its checkout stands (its payment page, its deadline). */
export class GetMyOrderQuery extends Query<MyOrderView> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly orderId: string;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { orderId: string }) {
    super();
    this.caller = request.caller;
    this.orderId = request.orderId;
    this.correlationId = request.correlationId;
  }
}

@QueryHandler(GetMyOrderQuery)
export class GetMyOrderHandler extends OrderingCallHandler<GetMyOrderQuery, MyOrderView> {
  protected async call(ordering: OrderingClient, query: GetMyOrderQuery): Promise<MyOrderView> {
    const order = await loadMyOrder(ordering, query.orderId, query);
    return { order, checkout: await checkoutOf(ordering, query) };
  }
}

/**
 * The checkout starts from the order's OrderPlaced event, moments after the order: until then
 * there is none (null). Any other failure is the answer's failure, not a missing checkout.
 */
async function checkoutOf(ordering: OrderingClient, query: GetMyOrderQuery) {
  try {
    return CheckoutProgressView.parse(await ordering.Checkout.get(query.orderId, learnerCall(query)));
  } catch (error) {
    if (error instanceof RpcError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
