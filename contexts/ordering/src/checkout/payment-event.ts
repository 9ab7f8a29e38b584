import { z } from '@strata/shared-kernel';
import { PriceSchema, ProviderReferenceSchema } from '../domain/order-events.ts';
import type { CheckoutInput } from './checkout-messages.ts';

export const PAYMENT_EVENT_KINDS = ['payment-succeeded', 'payment-failed', 'refund-succeeded'] as const;

/**
 * What the payment provider said about one payment, in ordering's words: the webhook receiver
 * turns the provider's own event into this once its signature checks out. `eventId` is the
 * provider's, the same on every delivery of the event.
 */
export const PaymentEventSchema = z.object({
  eventId: z.string().min(1).max(200),
  kind: z.enum(PAYMENT_EVENT_KINDS),
  paymentId: ProviderReferenceSchema,
  amount: PriceSchema,
  occurredAt: z.iso.datetime(),
  /** Present on `refund-succeeded`: the provider's id of the refund. */
  refundId: ProviderReferenceSchema.nullable().default(null),
});

export type PaymentEvent = z.output<typeof PaymentEventSchema>;

/** The checkout's input for a provider event; a refund without its refund id tells it nothing. */
export function checkoutInputOf(event: PaymentEvent): CheckoutInput | null {
  switch (event.kind) {
    case 'payment-succeeded':
      return {
        type: 'PaymentApproved',
        paymentId: event.paymentId,
        amount: event.amount,
        paidAt: event.occurredAt,
      };
    case 'payment-failed':
      return { type: 'PaymentDeclined', paymentId: event.paymentId };
    case 'refund-succeeded':
      return event.refundId === null
        ? null
        : {
            type: 'PaymentRefunded',
            paymentId: event.paymentId,
            refundId: event.refundId,
            refundedAt: event.occurredAt,
          };
  }
}
