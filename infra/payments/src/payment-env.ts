import { z } from '@strata/shared-kernel';

/**
 * The environment of a process that calls the provider (the data service running checkout).
 * Spread into the service's config schema and read with the runtime's `loadEnvConfig`.
 */
export const paymentProviderEnvShape = {
  /**
   * The provider's base URL: the payment simulator's `serving on` URL. No default: a service that
   * takes orders must be told where they are paid (`npm run start:distributed` passes the one it runs).
   */
  STRATA_PAYMENT_PROVIDER_URL: z.url({
    error: (issue) =>
      issue.input === undefined
        ? 'is required: the payment provider’s base URL (the payment simulator’s `serving on` URL, e.g. http://127.0.0.1:4242)'
        : 'must be a URL, e.g. http://127.0.0.1:4242',
  }),
  /** The deadline of one provider call; past it the call fails as retryable. */
  STRATA_PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
};

/** The environment of a process that receives the provider's webhooks (an application service). */
export const paymentWebhookEnvShape = {
  /** The secret shared with the provider (the simulator's `PAYMENT_SIMULATOR_WEBHOOK_SECRET`). */
  STRATA_PAYMENT_WEBHOOK_SECRET: z
    .string({ error: 'is required: the secret the payment provider signs webhooks with' })
    .min(16, 'must be at least 16 characters (a generated secret)'),
  /** How far a delivery's signed timestamp may be from this process's clock, either way. */
  STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
};
