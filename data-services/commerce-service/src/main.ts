import { COMMERCE_SERVICE, commerceMapping, createCommerceService } from './create-commerce-service.ts';
import { runDistributed } from './run-distributed.ts';

// `node data-services/commerce-service/src/main.ts [migrate]`: the commerce data service in distributed mode.
await runDistributed(
  { name: COMMERCE_SERVICE, mapping: commerceMapping, create: (options) => createCommerceService(options) },
  process.argv.slice(2),
  process.env,
);
