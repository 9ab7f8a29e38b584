import type { Money } from '@strata/shared-kernel';
import type { CancellationReason, RefundReason } from './order-status.ts';

/** The payment that settled an order, as the payment provider reported it. */
export interface PaymentFacts {
  /** The provider's identifier of the payment. */
  readonly paymentId: string;
  readonly paidAt: Date;
}

/** A refund from its request to the provider's confirmation (`refundId` and `refundedAt` come last). */
export interface RefundFacts {
  readonly reason: RefundReason;
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly refundId: string | null;
  readonly refundedAt: Date | null;
}

export interface CancellationFacts {
  readonly reason: CancellationReason;
  readonly cancelledBy: string;
  readonly cancelledAt: Date;
}

/** The payment provider's word that a payment went through. */
export interface PaymentReport {
  readonly paymentId: string;
  readonly amount: Money;
  readonly paidAt: Date;
}

/** The payment provider's word that a refund went through. */
export interface RefundReport {
  readonly refundId: string;
  readonly refundedAt: Date;
}
