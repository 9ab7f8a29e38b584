import type { CheckoutCommand } from './checkout-messages.ts';
import type { CheckoutState, CheckoutStep, StrayPayment } from './checkout-state.ts';

// The commands a checkout sends, built from its state alone: a resent command is the same
// request (same idempotency key) with the next attempt number.

/** The command a step sends; waiting steps and outcomes send none. */
export const STEP_COMMAND: Partial<Record<CheckoutStep, CheckoutCommand['type']>> = {
  'requesting-payment': 'RequestPayment',
  'confirming-payment': 'ConfirmOrderPayment',
  cancelling: 'RecordPaymentFailure',
  expiring: 'ExpireOrder',
  'requesting-refund': 'RequestOrderRefund',
  'refunding-payment': 'RefundPayment',
  'confirming-refund': 'ConfirmOrderRefund',
};

/** The current step's command, for its current attempt. */
export function commandsOf(state: CheckoutState): CheckoutCommand[] {
  const { orderId, attempts: attempt } = state;
  switch (state.step) {
    case 'requesting-payment':
      return [
        {
          type: 'RequestPayment',
          orderId,
          amount: state.total,
          idempotencyKey: `payment:${orderId}`,
          attempt,
        },
      ];
    case 'confirming-payment':
      return [
        {
          type: 'ConfirmOrderPayment',
          orderId,
          paymentId: state.paymentId as string,
          amount: state.paidAmount ?? state.total,
          paidAt: state.paidAt as string,
          attempt,
        },
      ];
    case 'cancelling':
      return [
        {
          type: 'RecordPaymentFailure',
          orderId,
          reason: state.paymentFailure ?? 'payment-declined',
          attempt,
        },
      ];
    case 'expiring':
      return [{ type: 'ExpireOrder', orderId, attempt }];
    case 'requesting-refund':
      return [{ type: 'RequestOrderRefund', orderId, attempt }];
    case 'refunding-payment':
      return [
        {
          type: 'RefundPayment',
          orderId,
          paymentId: state.paymentId as string,
          amount: state.total,
          purpose: 'order-refund',
          idempotencyKey: `refund:${state.paymentId}`,
          attempt,
        },
      ];
    case 'confirming-refund':
      return [
        {
          type: 'ConfirmOrderRefund',
          orderId,
          refundId: state.refundId as string,
          refundedAt: state.refundedAt as string,
          attempt,
        },
      ];
    default:
      return [];
  }
}

/** The refund of a payment the order did not take. */
export function strayRefund(state: CheckoutState, stray: StrayPayment): CheckoutCommand {
  return {
    type: 'RefundPayment',
    orderId: state.orderId,
    paymentId: stray.paymentId,
    amount: stray.amount,
    purpose: 'stray-payment',
    idempotencyKey: `refund:${stray.paymentId}`,
    attempt: stray.attempts,
  };
}
