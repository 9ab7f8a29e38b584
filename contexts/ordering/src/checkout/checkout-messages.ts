import type { PriceData } from '../domain/order-events.ts';
import type { OrderStatus, RefundReason } from '../domain/order-status.ts';
import type { CheckoutState } from './checkout-state.ts';

/*
 * What a checkout hears and what it asks for, as plain data. Inputs come through the inbox (the
 * order's events, the payment provider's webhooks and replies, learning's events, failed
 * commands, the timer); commands go out through the outbox to the Order (by RPC) or the provider.
 */

export type CheckoutInput =
  /** The provider created the payment asked for. */
  | { readonly type: 'PaymentRequested'; readonly paymentId: string; readonly paymentPageUrl: string }
  | {
      readonly type: 'PaymentApproved';
      readonly paymentId: string;
      readonly amount: PriceData;
      readonly paidAt: string;
    }
  | { readonly type: 'PaymentDeclined'; readonly paymentId: string }
  | {
      readonly type: 'PaymentRefunded';
      readonly paymentId: string;
      readonly refundId: string;
      readonly refundedAt: string;
    }
  /**
   * The order will never take this payment: it refused it with order-cannot-be-paid-once-closed,
   * order-cannot-be-paid-twice or payment-must-match-the-order-total. `orderStatus` is where the
   * order stands; the checkout refunds the payment.
   */
  | { readonly type: 'OrderRefusedPayment'; readonly paymentId: string; readonly orderStatus: OrderStatus }
  | { readonly type: 'OrderPaid'; readonly paymentId: string }
  | { readonly type: 'OrderCancelled' }
  | { readonly type: 'OrderExpired' }
  | { readonly type: 'RefundRequested'; readonly reason: RefundReason }
  | { readonly type: 'OrderRefunded'; readonly refundId: string }
  | { readonly type: 'EnrollmentGranted'; readonly courseId: string }
  | { readonly type: 'EnrollmentImpossible'; readonly courseId: string; readonly reason: string }
  /** A command could not be carried out for now (provider down, a call refused); `attempt` is the one that failed. */
  | {
      readonly type: 'CommandFailed';
      readonly command: CheckoutCommand['type'];
      readonly attempt: number;
      readonly paymentId?: string;
      readonly error: string;
    }
  /** The timer the checkout asked for (its `deadline`) went off. */
  | { readonly type: 'DeadlinePassed' };

export type CheckoutCommand =
  /** To the provider: create a payment for the order's total. The key makes a repeat the same payment. */
  | {
      readonly type: 'RequestPayment';
      readonly orderId: string;
      readonly amount: PriceData;
      readonly idempotencyKey: string;
      readonly attempt: number;
    }
  /** To the Order: `confirmPayment`. */
  | {
      readonly type: 'ConfirmOrderPayment';
      readonly orderId: string;
      readonly paymentId: string;
      readonly amount: PriceData;
      readonly paidAt: string;
      readonly attempt: number;
    }
  /** To the Order: `recordPaymentFailure`. */
  | {
      readonly type: 'RecordPaymentFailure';
      readonly orderId: string;
      readonly reason: 'payment-declined' | 'payment-unavailable';
      readonly attempt: number;
    }
  /** To the Order: `expire`. */
  | { readonly type: 'ExpireOrder'; readonly orderId: string; readonly attempt: number }
  /** To the Order: `requestRefund` with reason enrollment-impossible. */
  | { readonly type: 'RequestOrderRefund'; readonly orderId: string; readonly attempt: number }
  /** To the provider: refund a payment, the order's own or a stray one. The key makes a repeat the same refund. */
  | {
      readonly type: 'RefundPayment';
      readonly orderId: string;
      readonly paymentId: string;
      readonly amount: PriceData;
      readonly purpose: 'order-refund' | 'stray-payment';
      readonly idempotencyKey: string;
      readonly attempt: number;
    }
  /** To the Order: `confirmRefund`. */
  | {
      readonly type: 'ConfirmOrderRefund';
      readonly orderId: string;
      readonly refundId: string;
      readonly refundedAt: string;
      readonly attempt: number;
    };

/** What a checkout does with one input: its next state and the commands to send, in order. */
export interface CheckoutDecision {
  readonly checkout: CheckoutState;
  readonly commands: readonly CheckoutCommand[];
}
