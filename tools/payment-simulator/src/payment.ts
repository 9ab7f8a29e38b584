import { z } from '@strata/shared-kernel';

/** What a merchant sends to open a payment; the idempotency key travels in a header. */
export const paymentRequestSchema = z.strictObject({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code in capitals'),
  reference: z.string().min(1).max(200),
  returnUrl: z.url().optional(),
});

export type PaymentRequest = z.output<typeof paymentRequestSchema>;

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded';

export interface Refund {
  id: string;
  status: 'pending' | 'succeeded';
  amount: number;
  currency: string;
  created: number;
}

/** A payment as the API shows it and as webhook events carry it. */
export interface Payment {
  id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  reference: string;
  returnUrl: string | null;
  paymentPageUrl: string;
  /** Unix seconds. */
  created: number;
  refund: Refund | null;
}

export type PaymentEventType = 'payment.succeeded' | 'payment.failed' | 'refund.succeeded';

/** A webhook event: `id` is unique per event, so a receiver can drop a delivery it has seen. */
export interface PaymentEvent {
  id: string;
  type: PaymentEventType;
  /** Unix seconds. */
  created: number;
  data: { payment: Payment };
}
