import {
  DEFAULT_ORDER_TERMS,
  PAYMENT_WINDOW_BOUNDS_MS,
  REFUND_WINDOW_BOUNDS_MS,
  type OrderTerms,
} from '@strata/ordering';
import { z } from '@strata/shared-kernel';

const seconds = (bounds: { min: number; max: number }, fallbackMs: number) =>
  z.coerce
    .number()
    .int()
    .min(Math.ceil(bounds.min / 1_000))
    .max(Math.floor(bounds.max / 1_000))
    .default(fallbackMs / 1_000);

/**
 * The order terms an operator sets, in seconds, wherever commerce-service runs (its main.ts and
 * `npm start`): the payment window of new orders and their refund window. Orders keep the terms
 * they were placed under.
 */
export const orderTermsEnvShape = {
  STRATA_ORDER_PAYMENT_WINDOW_SECONDS: seconds(PAYMENT_WINDOW_BOUNDS_MS, DEFAULT_ORDER_TERMS.paymentWindowMs),
  STRATA_ORDER_REFUND_WINDOW_SECONDS: seconds(REFUND_WINDOW_BOUNDS_MS, DEFAULT_ORDER_TERMS.refundWindowMs),
};

export function orderTermsOf(env: {
  STRATA_ORDER_PAYMENT_WINDOW_SECONDS: number;
  STRATA_ORDER_REFUND_WINDOW_SECONDS: number;
}): OrderTerms {
  return {
    paymentWindowMs: env.STRATA_ORDER_PAYMENT_WINDOW_SECONDS * 1_000,
    refundWindowMs: env.STRATA_ORDER_REFUND_WINDOW_SECONDS * 1_000,
  };
}
