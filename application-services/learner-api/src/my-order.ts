import { RpcError } from '@strata/shared-kernel';
import type { OrderView } from '@strata/ordering/contract';
import type { OrderingClient } from './injection-tokens.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';

/**
 * The order, if it is the caller's. Another learner's order is answered exactly as one that does
 * not exist, so an order id found anywhere tells nobody else whether it is real or what it holds.
 */
export async function loadMyOrder(
  ordering: OrderingClient,
  orderId: string,
  request: LearnerRequest,
): Promise<OrderView> {
  const notFound = () =>
    new RpcError('NOT_FOUND', `you have no order ${orderId}`, { reason: 'order-not-found' });
  let order: OrderView;
  try {
    order = await ordering.Order.get(orderId, learnerCall(request));
  } catch (error) {
    if (error instanceof RpcError && error.code === 'NOT_FOUND') throw notFound();
    throw error;
  }
  if (order.learnerId !== request.caller.userId) throw notFound();
  return order;
}
