import { COMMERCE_SERVICE, commerceMapping, createCommerceService } from './create-commerce-service.ts';
import { paymentProviderEnvShape } from '@strata/payments';
import { runDataService } from '@strata/runtime/data-service';

// `node data-services/commerce-service/src/main.ts [migrate]`: the commerce data service in distributed mode.
// Its own variables: the payment provider checkout will call (STRATA_PAYMENT_PROVIDER_URL).
await runDataService(
  {
    name: COMMERCE_SERVICE,
    mapping: commerceMapping,
    env: paymentProviderEnvShape,
    create: (options) => createCommerceService(options),
  },
  process.argv.slice(2),
  process.env,
);
