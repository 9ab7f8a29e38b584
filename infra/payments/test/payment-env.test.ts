import { describe, expect, it } from '@jest/globals';
import { z } from '@strata/shared-kernel';
import { paymentProviderEnvShape, paymentWebhookEnvShape } from '../src/index.ts';

const schema = z.object({ ...paymentProviderEnvShape, ...paymentWebhookEnvShape });

describe('the payment environment', () => {
  it('takes the provider’s URL and defaults to a five-second call deadline and a five-minute tolerance', () => {
    expect(
      schema.parse({
        STRATA_PAYMENT_PROVIDER_URL: 'http://127.0.0.1:4242',
        STRATA_PAYMENT_WEBHOOK_SECRET: 'a'.repeat(16),
      }),
    ).toEqual({
      STRATA_PAYMENT_PROVIDER_URL: 'http://127.0.0.1:4242',
      STRATA_PAYMENT_PROVIDER_TIMEOUT_MS: 5_000,
      STRATA_PAYMENT_WEBHOOK_SECRET: 'a'.repeat(16),
      STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS: 300,
    });
  });

  it('requires the provider’s URL, saying what it is', () => {
    const parsed = schema.safeParse({ STRATA_PAYMENT_WEBHOOK_SECRET: 'a'.repeat(16) });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      expect.stringMatching(/^STRATA_PAYMENT_PROVIDER_URL: is required: the payment provider’s base URL/),
    ]);
  });

  it('names each variable to fix', () => {
    const parsed = schema.safeParse({
      STRATA_PAYMENT_PROVIDER_URL: 'not a url',
      STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS: '0',
    });
    expect(parsed.success).toBe(false);
    const problems = parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^STRATA_PAYMENT_PROVIDER_URL: /),
        'STRATA_PAYMENT_WEBHOOK_SECRET: is required: the secret the payment provider signs webhooks with',
        expect.stringMatching(/^STRATA_PAYMENT_WEBHOOK_TOLERANCE_SECONDS: /),
      ]),
    );
  });
});
