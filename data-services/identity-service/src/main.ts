import { createIdentityService, IDENTITY_SERVICE, identityMapping } from './create-identity-service.ts';
import { runDataService } from '@strata/runtime/data-service';

// `node data-services/identity-service/src/main.ts [migrate]`: the identity data service in distributed mode.
await runDataService(
  { name: IDENTITY_SERVICE, mapping: identityMapping, create: (options) => createIdentityService(options) },
  process.argv.slice(2),
  process.env,
);
