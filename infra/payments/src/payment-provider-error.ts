export type PaymentProviderErrorCode =
  /** The provider refused the request (4xx): the same request will be refused again. */
  | 'payment-provider-refused'
  /** Unreachable, timed out, 5xx, 408 or 429: the provider may take the same request later. */
  | 'payment-provider-unavailable'
  /** The provider answered 2xx with a body that is not what its API promises. */
  | 'payment-provider-answer-invalid';

/** A payment provider call that failed, with what the provider said when it said something. */
export class PaymentProviderError extends Error {
  readonly code: PaymentProviderErrorCode;
  /** True when the same call (same idempotency key) may succeed later. */
  readonly retryable: boolean;
  /** The provider's HTTP status, when it answered. */
  readonly status: number | undefined;
  /** The provider's own problem code (e.g. `idempotency-key-reused`), when it gave one. */
  readonly providerCode: string | undefined;

  constructor(
    code: PaymentProviderErrorCode,
    message: string,
    options: { status?: number; providerCode?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaymentProviderError';
    this.code = code;
    this.retryable = code === 'payment-provider-unavailable';
    this.status = options.status;
    this.providerCode = options.providerCode;
  }
}

export function isPaymentProviderError(error: unknown): error is PaymentProviderError {
  return error instanceof PaymentProviderError;
}
