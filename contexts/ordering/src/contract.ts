import { aggregate, command, creation, defineContract, event, finder, z } from '@strata/shared-kernel';
import {
  MAX_COURSES_PER_ORDER,
  ORDER_EVENT_PAYLOADS,
  OrderLineSchema,
  PriceSchema,
  ProviderReferenceSchema,
} from './domain/order-events.ts';
import { CANCELLATION_REASONS, ORDER_STATUSES, REFUND_REASONS } from './domain/order-status.ts';
import { CheckoutCommandSchema } from './checkout/checkout-messages.ts';
import { CHECKOUT_STEPS } from './checkout/checkout-state.ts';
import { PaymentEventSchema } from './checkout/payment-event.ts';

// The role the webhook receiver reports the provider's events under: callers see only this entry.
export { PAYMENT_PROVIDER_ACTOR, PAYMENT_PROVIDER_ROLE } from './checkout/payment-provider-role.ts';

/*
 * The ordering context's published language. Who is acting travels in RPC metadata, never in an
 * input: the learner of a new order is whoever places it, and the checkout reports payments under
 * its own identity (CHECKOUT_ROLE). Event payload schemas are the domain's own (order-events.ts).
 */

export { PriceSchema as Price };
export type Price = z.infer<typeof PriceSchema>;

export const OrderView = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  lines: z.array(OrderLineSchema).min(1).max(MAX_COURSES_PER_ORDER),
  total: PriceSchema,
  placedAt: z.iso.datetime(),
  paymentDeadline: z.iso.datetime(),
  payment: z.object({ paymentId: ProviderReferenceSchema, paidAt: z.iso.datetime() }).nullable(),
  refundDeadline: z.iso.datetime().nullable(),
  cancellation: z
    .object({ reason: z.enum(CANCELLATION_REASONS), cancelledBy: z.uuid(), cancelledAt: z.iso.datetime() })
    .nullable(),
  expiredAt: z.iso.datetime().nullable(),
  refund: z
    .object({
      reason: z.enum(REFUND_REASONS),
      requestedBy: z.uuid(),
      requestedAt: z.iso.datetime(),
      refundId: ProviderReferenceSchema.nullable(),
      refundedAt: z.iso.datetime().nullable(),
    })
    .nullable(),
  version: z.number().int().min(0),
});

export type OrderView = z.infer<typeof OrderView>;

/** What placing answers: the new order, or the order already awaiting payment for these very courses. */
export const PlacementView = z.object({
  outcome: z.enum(['placed', 'already-pending']),
  order: OrderView,
});

export type PlacementView = z.infer<typeof PlacementView>;

/** One course's sales, for its instructor: paid orders ever, refunded ones, and what stays earned. */
export const CourseSales = z.object({
  courseId: z.uuid(),
  title: z.string().min(1).max(120),
  paidOrders: z.number().int().min(0),
  refundedOrders: z.number().int().min(0),
  revenue: PriceSchema,
});

export type CourseSales = z.infer<typeof CourseSales>;

/**
 * Where an order's checkout stands, for its learner and for an operator asking why it is stuck:
 * the step, when it next wakes, how often the current step's command was tried and why it last
 * failed, and which commands it has yet to send.
 */
export const CheckoutView = z.object({
  id: z.uuid(),
  learnerId: z.uuid(),
  step: z.enum(CHECKOUT_STEPS),
  paymentId: ProviderReferenceSchema.nullable(),
  paymentPageUrl: z.string().max(2_000).nullable(),
  deadline: z.iso.datetime().nullable(),
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  pendingCommands: z.array(
    z.object({
      type: z.enum(
        CheckoutCommandSchema.options.map((option) => option.shape.type.value) as [string, ...string[]],
      ),
      issuedAt: z.iso.datetime(),
    }),
  ),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().min(0),
});

export type CheckoutView = z.infer<typeof CheckoutView>;

export { PaymentEventSchema as PaymentEvent };

const requestedCourse = z.object({ courseId: z.uuid(), expectedPrice: PriceSchema });

export const orderingContract = defineContract({
  context: 'ordering',
  callPolicy: {
    // Hosted by commerce-service with the catalog, whose instances are picked the same way and share
    // one rate-limit bucket (ADR 0009). One order's reports meet in one process, too.
    balancing: 'consistent-hash',
    timeoutMs: 5_000,
    rateLimit: { ratePerSecond: 1_000, burst: 200 },
    hedgeQueries: true,
  },
  aggregates: {
    Order: aggregate({
      id: z.uuid(),
      view: OrderView,
      creations: {
        // Not retry-safe by itself: a lost answer is retried with the learner's idempotency key.
        place: creation({
          input: z.object({ courses: z.array(requestedCourse).min(1).max(MAX_COURSES_PER_ORDER) }),
          output: PlacementView,
        }),
      },
      commands: {
        cancel: command({ input: z.object({}), idempotent: true }),
        recordPaymentFailure: command({
          input: z.object({ reason: z.enum(['payment-declined', 'payment-unavailable']) }),
          idempotent: true,
        }),
        expire: command({ input: z.object({}), idempotent: true }),
        confirmPayment: command({
          input: z.object({
            paymentId: ProviderReferenceSchema,
            amount: PriceSchema,
            paidAt: z.iso.datetime(),
          }),
          idempotent: true,
        }),
        requestRefund: command({
          input: z.object({ reason: z.enum(REFUND_REASONS).default('learner-request') }),
          idempotent: true,
        }),
        confirmRefund: command({
          input: z.object({ refundId: ProviderReferenceSchema, refundedAt: z.iso.datetime() }),
          idempotent: true,
        }),
      },
      queries: {
        findByLearner: finder({ input: z.object({ learnerId: z.uuid() }) }),
        findByPayment: finder({ input: z.object({ paymentId: ProviderReferenceSchema }) }),
        findSalesOfInstructor: finder({ input: z.object({ instructorId: z.uuid() }), item: CourseSales }),
      },
      events: {
        OrderPlaced: event({ version: 1, payload: ORDER_EVENT_PAYLOADS.OrderPlaced }),
        OrderPaid: event({ version: 1, payload: ORDER_EVENT_PAYLOADS.OrderPaid }),
        OrderCancelled: event({ version: 1, payload: ORDER_EVENT_PAYLOADS.OrderCancelled }),
        OrderExpired: event({ version: 1, payload: ORDER_EVENT_PAYLOADS.OrderExpired }),
        RefundRequested: event({ version: 1, payload: ORDER_EVENT_PAYLOADS.RefundRequested }),
        OrderRefunded: event({ version: 1, payload: ORDER_EVENT_PAYLOADS.OrderRefunded }),
      },
    }),
    // The saga instance of one order's checkout, addressed by the order's id. Ordering starts it on
    // OrderPlaced and drives it from the order's events, its timer and its commands' outcomes; the
    // only outside input is the provider's word, reported by the webhook receiver.
    Checkout: aggregate({
      id: z.uuid(),
      view: CheckoutView,
      commands: {
        // Idempotent by the provider's event id, which the receiver sends as the idempotency key.
        reportPaymentEvent: command({ input: PaymentEventSchema, idempotent: true }),
      },
      queries: {
        // For operators: checkouts not at an outcome, the longest unchanged first.
        findUnfinished: finder({
          input: z.object({ stalledForSeconds: z.number().int().min(0).default(0) }),
        }),
      },
    }),
  },
});
