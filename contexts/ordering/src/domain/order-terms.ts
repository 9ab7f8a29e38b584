/**
 * How long a learner has to pay an order, and to change their mind once it is paid. Each order
 * keeps the terms it was placed under, so changing the configuration never moves an existing
 * order's deadlines. Milliseconds, so a test can use a window of seconds.
 */
export interface OrderTerms {
  readonly paymentWindowMs: number;
  readonly refundWindowMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_ORDER_TERMS: OrderTerms = {
  paymentWindowMs: 30 * MINUTE,
  refundWindowMs: 14 * DAY,
};

/** Bounds for configured terms: a payment window from a second to a day, a refund window up to a year. */
export const PAYMENT_WINDOW_BOUNDS_MS = { min: 1_000, max: DAY } as const;
export const REFUND_WINDOW_BOUNDS_MS = { min: 0, max: 365 * DAY } as const;
