/**
 * Where an order stands. It is placed pending payment; from there it is paid, cancelled (by the
 * learner, or because the payment failed) or expired (its payment window ended). A paid order may
 * have a refund requested and then be refunded. Cancelled, expired and refunded are final.
 */
export const ORDER_STATUSES = [
  'pending-payment',
  'paid',
  'cancelled',
  'expired',
  'refund-requested',
  'refunded',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why an order was cancelled: the learner changed their mind, or the checkout could not get it paid. */
export const CANCELLATION_REASONS = ['learner-cancelled', 'payment-declined', 'payment-unavailable'] as const;

export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** Why a paid order is refunded: the learner asked in time, or the courses could not be handed over. */
export const REFUND_REASONS = ['learner-request', 'enrollment-impossible'] as const;

export type RefundReason = (typeof REFUND_REASONS)[number];
