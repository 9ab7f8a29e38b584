import { z } from '@strata/shared-kernel';
import { CANCELLATION_REASONS, REFUND_REASONS } from './order-status.ts';

/*
 * What an Order announces. The payload schemas live here, beside the domain that records them,
 * and the contract publishes these very schemas: each payload type below is inferred from its
 * schema, so the event's shape is written once. Prices travel as Money's plain form.
 *
 * Every payload names the learner and the order's lines, so a reader (enrollments, notifications,
 * the instructors' sales) acts on the event alone without calling back.
 */

/** The largest amount an order line or total may carry: 1,000,000.00 times the most courses per order. */
export const MAX_COURSES_PER_ORDER = 20;
export const MAX_LINE_AMOUNT = 100_000_000;

/** An amount in minor units (cents) and an ISO 4217 currency: no floats anywhere near a price. */
export const PriceSchema = z.object({
  amount: z
    .number()
    .int()
    .min(0)
    .max(MAX_LINE_AMOUNT * MAX_COURSES_PER_ORDER),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code in capitals, e.g. EUR'),
});

/** Identifiers the payment provider gives: opaque to us, bounded so they fit an index. */
export const ProviderReferenceSchema = z.string().min(1).max(100);

export const OrderLineSchema = z.object({
  courseId: z.uuid(),
  instructorId: z.uuid(),
  title: z.string().min(1).max(120),
  price: PriceSchema,
});

/** What every event about the whole order carries: whose it is, its lines and its total. */
const OrderSummarySchema = z.object({
  orderId: z.uuid(),
  learnerId: z.uuid(),
  lines: z.array(OrderLineSchema).min(1).max(MAX_COURSES_PER_ORDER),
  total: PriceSchema,
});

export const OrderPlacedPayload = OrderSummarySchema.extend({ paymentDeadline: z.iso.datetime() });

export const OrderPaidPayload = OrderSummarySchema.extend({
  paymentId: ProviderReferenceSchema,
  paidAt: z.iso.datetime(),
  refundDeadline: z.iso.datetime(),
});

export const OrderCancelledPayload = z.object({
  orderId: z.uuid(),
  learnerId: z.uuid(),
  reason: z.enum(CANCELLATION_REASONS),
  cancelledBy: z.uuid(),
});

export const OrderExpiredPayload = z.object({
  orderId: z.uuid(),
  learnerId: z.uuid(),
  paymentDeadline: z.iso.datetime(),
});

export const RefundRequestedPayload = z.object({
  orderId: z.uuid(),
  learnerId: z.uuid(),
  paymentId: ProviderReferenceSchema,
  total: PriceSchema,
  reason: z.enum(REFUND_REASONS),
  requestedBy: z.uuid(),
});

export const OrderRefundedPayload = OrderSummarySchema.extend({
  paymentId: ProviderReferenceSchema,
  refundId: ProviderReferenceSchema,
  reason: z.enum(REFUND_REASONS),
  refundedAt: z.iso.datetime(),
});

/** Every Order event's payload schema by type: the contract's `events` are built from it. */
export const ORDER_EVENT_PAYLOADS = {
  OrderPlaced: OrderPlacedPayload,
  OrderPaid: OrderPaidPayload,
  OrderCancelled: OrderCancelledPayload,
  OrderExpired: OrderExpiredPayload,
  RefundRequested: RefundRequestedPayload,
  OrderRefunded: OrderRefundedPayload,
} as const;

export type OrderEventPayloads = {
  readonly [T in keyof typeof ORDER_EVENT_PAYLOADS]: z.output<(typeof ORDER_EVENT_PAYLOADS)[T]>;
};

export type OrderEventType = keyof OrderEventPayloads;

export type PriceData = z.output<typeof PriceSchema>;
export type OrderLineData = z.output<typeof OrderLineSchema>;
export type OrderSummary = z.output<typeof OrderSummarySchema>;
export type OrderPlaced = OrderEventPayloads['OrderPlaced'];
export type OrderPaid = OrderEventPayloads['OrderPaid'];
export type OrderCancelled = OrderEventPayloads['OrderCancelled'];
export type OrderExpired = OrderEventPayloads['OrderExpired'];
export type RefundRequested = OrderEventPayloads['RefundRequested'];
export type OrderRefunded = OrderEventPayloads['OrderRefunded'];
