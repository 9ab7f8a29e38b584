import { COMMERCE_SERVICE, commerceMapping, createCommerceService } from './create-commerce-service.ts';
import { runDataService } from '@strata/runtime/data-service';

// `node data-services/commerce-service/src/main.ts [migrate]`: the commerce data service in distributed mode.
await runDataService(
  { name: COMMERCE_SERVICE, mapping: commerceMapping, create: (options) => createCommerceService(options) },
  process.argv.slice(2),
  process.env,
);
