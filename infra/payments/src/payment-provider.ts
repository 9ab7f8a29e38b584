/** An amount in integer minor units and an ISO 4217 currency; the kernel's `Money` fits it. */
export interface MoneyAmount {
  amount: number;
  currency: string;
}

export type ProviderPaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded';

export interface ProviderRefund {
  refundId: string;
  status: 'pending' | 'succeeded';
  amount: MoneyAmount;
}

/** A payment as the provider knows it, in the merchant's words (`orderId` is the provider's reference). */
export interface ProviderPayment {
  paymentId: string;
  orderId: string;
  status: ProviderPaymentStatus;
  amount: MoneyAmount;
  paymentPageUrl: string;
  refund: ProviderRefund | null;
}

/**
 * The outside payment provider, as the merchant sees it. Every call that changes something takes
 * an idempotency key: the same key with the same request is the same payment or refund, so a
 * caller retries a failed call with the key it used the first time. Outcomes (succeeded, failed,
 * refunded) arrive later by webhook; `getPayment` is for reconciling when one is overdue.
 * Failures throw `PaymentProviderError`; its `retryable` says whether trying again can help.
 */
export interface PaymentProvider {
  createPayment(request: {
    orderId: string;
    amount: MoneyAmount;
    idempotencyKey: string;
    /** Where the payment page sends the payer back to once they answered. */
    returnUrl?: string;
  }): Promise<{ paymentId: string; paymentPageUrl: string }>;

  /** Refunds the whole amount of a succeeded payment; `refund.succeeded` follows by webhook. */
  refund(request: { paymentId: string; idempotencyKey: string }): Promise<ProviderRefund>;

  /** The payment, or null when the provider has none with this id. */
  getPayment(paymentId: string): Promise<ProviderPayment | null>;
}
