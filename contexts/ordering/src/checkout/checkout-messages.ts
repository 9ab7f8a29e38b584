import { z } from '@strata/shared-kernel';
import { PriceSchema, ProviderReferenceSchema } from '../domain/order-events.ts';
import { ORDER_STATUSES, REFUND_REASONS } from '../domain/order-status.ts';
import type { CheckoutState } from './checkout-state.ts';

/*
 * What a checkout hears and what it asks for, as plain data with schemas: inputs come through the
 * inbox (the order's events, the payment provider's webhooks and replies, learning's events,
 * failed commands, the timer), commands go out through the outbox to the Order (by RPC) or to the
 * provider. A store or a relay validates them with these schemas; the types are inferred from them.
 */

const instant = z.iso.datetime();
const attempt = z.number().int().min(0);
const PAYMENT_FAILURES = ['payment-declined', 'payment-unavailable'] as const;

export const CheckoutCommandSchema = z.discriminatedUnion('type', [
  /** To the provider: create a payment for the order's total. The key makes a repeat the same payment. */
  z.object({
    type: z.literal('RequestPayment'),
    orderId: z.uuid(),
    amount: PriceSchema,
    idempotencyKey: z.string().min(1),
    attempt,
  }),
  /** To the Order: `confirmPayment`. */
  z.object({
    type: z.literal('ConfirmOrderPayment'),
    orderId: z.uuid(),
    paymentId: ProviderReferenceSchema,
    amount: PriceSchema,
    paidAt: instant,
    attempt,
  }),
  /** To the Order: `recordPaymentFailure`. */
  z.object({
    type: z.literal('RecordPaymentFailure'),
    orderId: z.uuid(),
    reason: z.enum(PAYMENT_FAILURES),
    attempt,
  }),
  /** To the Order: `expire`. */
  z.object({ type: z.literal('ExpireOrder'), orderId: z.uuid(), attempt }),
  /** To the Order: `requestRefund` with reason enrollment-impossible. */
  z.object({ type: z.literal('RequestOrderRefund'), orderId: z.uuid(), attempt }),
  /** To the provider: refund a payment, the order's own or a stray one. The key makes a repeat the same refund. */
  z.object({
    type: z.literal('RefundPayment'),
    orderId: z.uuid(),
    paymentId: ProviderReferenceSchema,
    amount: PriceSchema,
    purpose: z.enum(['order-refund', 'stray-payment']),
    idempotencyKey: z.string().min(1),
    attempt,
  }),
  /** To the Order: `confirmRefund`. */
  z.object({
    type: z.literal('ConfirmOrderRefund'),
    orderId: z.uuid(),
    refundId: ProviderReferenceSchema,
    refundedAt: instant,
    attempt,
  }),
]);

export type CheckoutCommand = z.output<typeof CheckoutCommandSchema>;

const COMMAND_TYPES = CheckoutCommandSchema.options.map((option) => option.shape.type.value);

export const CheckoutInputSchema = z.discriminatedUnion('type', [
  /** The provider created the payment asked for. */
  z.object({
    type: z.literal('PaymentRequested'),
    paymentId: ProviderReferenceSchema,
    paymentPageUrl: z.string().max(2_000),
  }),
  z.object({
    type: z.literal('PaymentApproved'),
    paymentId: ProviderReferenceSchema,
    amount: PriceSchema,
    paidAt: instant,
  }),
  z.object({ type: z.literal('PaymentDeclined'), paymentId: ProviderReferenceSchema }),
  z.object({
    type: z.literal('PaymentRefunded'),
    paymentId: ProviderReferenceSchema,
    refundId: ProviderReferenceSchema,
    refundedAt: instant,
  }),
  /**
   * The order will never take this payment: it refused it with order-cannot-be-paid-once-closed,
   * order-cannot-be-paid-twice or payment-must-match-the-order-total. `orderStatus` is where the
   * order stands; the checkout refunds the payment.
   */
  z.object({
    type: z.literal('OrderRefusedPayment'),
    paymentId: ProviderReferenceSchema,
    orderStatus: z.enum(ORDER_STATUSES),
  }),
  z.object({ type: z.literal('OrderPaid'), paymentId: ProviderReferenceSchema }),
  z.object({ type: z.literal('OrderCancelled') }),
  z.object({ type: z.literal('OrderExpired') }),
  z.object({ type: z.literal('RefundRequested'), reason: z.enum(REFUND_REASONS) }),
  z.object({ type: z.literal('OrderRefunded'), refundId: ProviderReferenceSchema }),
  z.object({ type: z.literal('EnrollmentGranted'), courseId: z.uuid() }),
  z.object({ type: z.literal('EnrollmentImpossible'), courseId: z.uuid(), reason: z.string().max(500) }),
  /** A command could not be carried out for now (provider down, a call refused); `attempt` is the one that failed. */
  z.object({
    type: z.literal('CommandFailed'),
    command: z.enum(COMMAND_TYPES as [CheckoutCommand['type'], ...CheckoutCommand['type'][]]),
    attempt,
    paymentId: ProviderReferenceSchema.optional(),
    error: z.string().max(2_000),
  }),
  /** The timer the checkout asked for (its `deadline`) went off. */
  z.object({ type: z.literal('DeadlinePassed') }),
]);

export type CheckoutInput = z.output<typeof CheckoutInputSchema>;

/** What a checkout does with one input: its next state and the commands to send, in order. */
export interface CheckoutDecision {
  readonly checkout: CheckoutState;
  readonly commands: readonly CheckoutCommand[];
}
