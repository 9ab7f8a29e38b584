import type { PaymentWebhookEvent } from '@strata/payments';
import { PaymentEvent } from '@strata/ordering/contract';
import type { z } from '@strata/shared-kernel';

const KINDS = {
  'payment.succeeded': 'payment-succeeded',
  'payment.failed': 'payment-failed',
  'refund.succeeded': 'refund-succeeded',
} as const satisfies Record<PaymentWebhookEvent['type'], string>;

/** The order a provider event is about, and the event in ordering's words, or why it cannot be. */
export type TranslatedEvent =
  | { ok: true; orderId: string; event: z.output<typeof PaymentEvent> }
  | { ok: false; problem: 'reference-unknown' | 'body-malformed'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The provider's event as ordering's PaymentEvent: the payment's `reference` is the order id the
 * checkout opened it with, the event's `id` stays the event id (the same on every delivery), and a
 * refund event carries the refund's id and amount. A reference that is no order id of ours is a
 * payment someone else opened; a field ordering would refuse is a malformed event.
 */
export function paymentEventOf(event: PaymentWebhookEvent): TranslatedEvent {
  const { payment } = event.data;
  if (!UUID.test(payment.reference)) {
    return {
      ok: false,
      problem: 'reference-unknown',
      reason: `reference ${JSON.stringify(payment.reference.slice(0, 80))} is no order id`,
    };
  }
  const refunded = event.type === 'refund.succeeded' ? payment.refund : null;
  const translated = PaymentEvent.safeParse({
    eventId: event.id,
    kind: KINDS[event.type],
    paymentId: payment.id,
    amount: refunded ?? { amount: payment.amount, currency: payment.currency },
    occurredAt: new Date(event.created * 1000).toISOString(),
    refundId: refunded?.id ?? null,
  });
  if (!translated.success) {
    const issues = translated.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return {
      ok: false,
      problem: 'body-malformed',
      reason: `the event does not fit ordering's payment event: ${issues.join('; ')}`,
    };
  }
  return { ok: true, orderId: payment.reference.toLowerCase(), event: translated.data };
}
