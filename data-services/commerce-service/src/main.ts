import { COMMERCE_SERVICE, commerceMapping, createCommerceService } from './create-commerce-service.ts';
import { paymentProviderEnvShape, SimulatorPaymentProvider } from '@strata/payments';
import { orderTermsEnvShape, orderTermsOf } from './order-terms-env.ts';
import { runDataService } from '@strata/runtime/data-service';

// `node data-services/commerce-service/src/main.ts [migrate]`: the commerce data service in distributed mode.
// Its own variables: the order terms (STRATA_ORDER_PAYMENT_WINDOW_SECONDS, STRATA_ORDER_REFUND_WINDOW_SECONDS)
// and the payment provider the checkout calls (STRATA_PAYMENT_PROVIDER_URL, required
// to serve: without it orders could be placed that nobody can pay). Migrating calls no provider.
// Typed as serving reads it: only a serving run calls `create`.
const migrating = process.argv[2] === 'migrate';
const serving = { ...paymentProviderEnvShape, ...orderTermsEnvShape };
const env: typeof serving = migrating
  ? ({
      ...serving,
      STRATA_PAYMENT_PROVIDER_URL: paymentProviderEnvShape.STRATA_PAYMENT_PROVIDER_URL.optional(),
    } as unknown as typeof serving)
  : serving;

await runDataService(
  {
    name: COMMERCE_SERVICE,
    mapping: commerceMapping,
    env,
    create: (options, provider) =>
      createCommerceService({
        ...options,
        orderTerms: orderTermsOf(provider),
        paymentProvider: new SimulatorPaymentProvider({
          baseUrl: provider.STRATA_PAYMENT_PROVIDER_URL,
          timeoutMs: provider.STRATA_PAYMENT_PROVIDER_TIMEOUT_MS,
        }),
      }),
  },
  process.argv.slice(2),
  process.env,
);
