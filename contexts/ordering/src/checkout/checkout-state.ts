import { z } from '@strata/shared-kernel';
import { MAX_COURSES_PER_ORDER, PriceSchema, ProviderReferenceSchema } from '../domain/order-events.ts';
import { REFUND_REASONS } from '../domain/order-status.ts';

/**
 * Where one order's checkout stands. Payment is the pivot: before it (requesting and awaiting
 * payment) the checkout may still give up and cancel or expire the order; once a payment is kept
 * every step is retried until it succeeds. The last four are outcomes; a completed checkout opens
 * again when the learner asks for a refund.
 */
export const CHECKOUT_STEPS = [
  'requesting-payment',
  'awaiting-payment',
  'confirming-payment',
  'awaiting-enrollment',
  'cancelling',
  'expiring',
  'requesting-refund',
  'refunding-payment',
  'confirming-refund',
  'completed',
  'cancelled',
  'expired',
  'refunded',
] as const;

export type CheckoutStep = (typeof CHECKOUT_STEPS)[number];

/** The steps in which no payment is kept yet, so the order may still be cancelled or expire. */
export const BEFORE_PAYMENT: readonly CheckoutStep[] = ['requesting-payment', 'awaiting-payment'];

export const CHECKOUT_OUTCOMES: readonly CheckoutStep[] = ['completed', 'cancelled', 'expired', 'refunded'];

const instant = z.iso.datetime();

/** A payment the order did not take (it came after the order closed, or besides the one kept): refunded. */
export const StrayPaymentSchema = z.object({
  paymentId: ProviderReferenceSchema,
  amount: PriceSchema,
  refundId: ProviderReferenceSchema.nullable(),
  attempts: z.number().int().min(1),
  retryAt: instant.nullable(),
});

/**
 * A checkout's whole state as plain JSON-safe data: what a store writes as the saga's row (with
 * `step`, `deadline`, `attempts` and `lastError` as columns an operator can query) and hands back
 * to `decideCheckout`. Parse a stored row with this schema before use.
 */
export const CheckoutStateSchema = z.object({
  orderId: z.uuid(),
  learnerId: z.uuid(),
  courseIds: z.array(z.uuid()).min(1).max(MAX_COURSES_PER_ORDER),
  total: PriceSchema,
  paymentDeadline: instant,
  step: z.enum(CHECKOUT_STEPS),
  /** The payment asked for, then the one kept once approved. */
  paymentId: ProviderReferenceSchema.nullable(),
  paymentPageUrl: z.string().max(2_000).nullable(),
  paidAt: instant.nullable(),
  /** What the provider says was paid; the order checks it against its total. */
  paidAmount: PriceSchema.nullable(),
  /** Why the checkout gave up on payment, once it has. */
  paymentFailure: z.enum(['payment-declined', 'payment-unavailable']).nullable(),
  enrolledCourseIds: z.array(z.uuid()),
  unenrollableCourseIds: z.array(z.uuid()),
  refundReason: z.enum(REFUND_REASONS).nullable(),
  refundId: ProviderReferenceSchema.nullable(),
  refundedAt: instant.nullable(),
  strayPayments: z.array(StrayPaymentSchema),
  /** How many times the current step's command was sent (0 in a waiting step or an outcome). */
  attempts: z.number().int().min(0),
  /** Why the last attempt failed, kept until the step moves on: what an operator reads first. */
  lastError: z.string().nullable(),
  /** When the current step's failed command is sent again. */
  retryAt: instant.nullable(),
  /** When the checkout next wants to be woken (a retry or the payment deadline); null when it waits on others only. */
  deadline: instant.nullable(),
  startedAt: instant,
  updatedAt: instant,
});

export type CheckoutState = z.output<typeof CheckoutStateSchema>;
export type StrayPayment = z.output<typeof StrayPaymentSchema>;
