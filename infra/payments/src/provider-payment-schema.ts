import { z } from '@strata/shared-kernel';

const currency = z.string().regex(/^[A-Z]{3}$/);
const minorUnits = z.number().int().nonnegative();
const unixSeconds = z.number().int().nonnegative();

/**
 * A payment as the simulator's API and webhooks carry it. Objects are not strict: a provider adds
 * fields without notice, and a field we do not read must not break payments.
 */
export const providerPaymentSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['pending', 'succeeded', 'failed', 'refunded']),
  amount: minorUnits,
  currency,
  reference: z.string().min(1),
  returnUrl: z.url().nullable(),
  paymentPageUrl: z.url(),
  created: unixSeconds,
  refund: z
    .object({
      id: z.string().min(1),
      status: z.enum(['pending', 'succeeded']),
      amount: minorUnits,
      currency,
      created: unixSeconds,
    })
    .nullable(),
});

/** A webhook event: its `id` is the same on every delivery of it, so a receiver's inbox keys on it. */
export const paymentWebhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['payment.succeeded', 'payment.failed', 'refund.succeeded']),
  created: unixSeconds,
  data: z.object({ payment: providerPaymentSchema }),
});

export type ProviderPaymentBody = z.output<typeof providerPaymentSchema>;
export type PaymentWebhookEvent = z.output<typeof paymentWebhookEventSchema>;
