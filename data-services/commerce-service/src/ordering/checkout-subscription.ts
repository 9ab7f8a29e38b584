import type { SqlEntityManager } from '@mikro-orm/sql';
import type { EventEnvelope, EventHandler } from '@strata/events';
import { ORDER_EVENT_PAYLOADS, type CheckoutInput } from '@strata/ordering';
import type { CheckoutRunner } from './checkout-runner.ts';

const { OrderPlaced, OrderPaid, OrderCancelled, OrderExpired, RefundRequested, OrderRefunded } =
  ORDER_EVENT_PAYLOADS;

/** Each order event after placing, as the input its checkout hears. */
const INPUTS: Record<string, (payload: unknown) => { orderId: string; input: CheckoutInput }> = {
  OrderPaid: (payload) => {
    const paid = OrderPaid.parse(payload);
    return { orderId: paid.orderId, input: { type: 'OrderPaid', paymentId: paid.paymentId } };
  },
  OrderCancelled: (payload) => ({
    orderId: OrderCancelled.parse(payload).orderId,
    input: { type: 'OrderCancelled' },
  }),
  OrderExpired: (payload) => ({
    orderId: OrderExpired.parse(payload).orderId,
    input: { type: 'OrderExpired' },
  }),
  RefundRequested: (payload) => {
    const requested = RefundRequested.parse(payload);
    return { orderId: requested.orderId, input: { type: 'RefundRequested', reason: requested.reason } };
  },
  OrderRefunded: (payload) => {
    const refunded = OrderRefunded.parse(payload);
    return { orderId: refunded.orderId, input: { type: 'OrderRefunded', refundId: refunded.refundId } };
  },
};

/**
 * The checkout hears its order's events from ordering's own topic, like any reader: an order
 * changed by a learner (cancel, request a refund) and one changed by the checkout's own commands
 * reach it the same way. The checkout's change is a unit of work on its row (version-checked) run
 * inside the inbox's transaction, so the change and the event's inbox row commit together; its
 * inputs are replay-safe besides, so a redelivered event changes nothing.
 */
export function checkoutHandlers(runner: CheckoutRunner): Record<string, EventHandler<SqlEntityManager>> {
  const handlers: Record<string, EventHandler<SqlEntityManager>> = {
    OrderPlaced: (envelope: EventEnvelope, session: SqlEntityManager) =>
      runner.start(OrderPlaced.parse(envelope.payload), session),
  };
  for (const [type, inputOf] of Object.entries(INPUTS)) {
    handlers[type] = async (envelope: EventEnvelope, session: SqlEntityManager) => {
      const { orderId, input } = inputOf(envelope.payload);
      await runner.hear(orderId, input, session);
    };
  }
  return handlers;
}
