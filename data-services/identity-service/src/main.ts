import { createIdentityService, IDENTITY_SERVICE, identityMapping } from './create-identity-service.ts';
import { runDistributed } from './run-distributed.ts';

// `node data-services/identity-service/src/main.ts [migrate]`: the identity data service in distributed mode.
await runDistributed(
  { name: IDENTITY_SERVICE, mapping: identityMapping, create: (options) => createIdentityService(options) },
  process.argv.slice(2),
  process.env,
);
