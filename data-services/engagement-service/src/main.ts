import {
  createEngagementService,
  ENGAGEMENT_SERVICE,
  engagementMapping,
} from './create-engagement-service.ts';
import { linksEnvShape, linksOptionsOf } from './links-env.ts';
import { runDataService } from '@strata/runtime/data-service';

// `node data-services/engagement-service/src/main.ts [migrate]`: the engagement data service in
// distributed mode. Its own variables: STRATA_SHORT_DOMAIN (default strata.link) and
// STRATA_LINK_EXPIRY_SWEEP_SECONDS (default 30).
await runDataService(
  {
    name: ENGAGEMENT_SERVICE,
    mapping: engagementMapping,
    env: linksEnvShape,
    create: (options, env) => createEngagementService({ ...options, ...linksOptionsOf(env) }),
  },
  process.argv.slice(2),
  process.env,
);
