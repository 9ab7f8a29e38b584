import { linkPolicy } from '@strata/links';
import { composeDataService, type DataService, type DataServiceOptions } from '@strata/runtime/data-service';
import { hostedLinks, linksMapping } from './links/hosted-links.ts';
import { translateSlugConflict } from './links/slug-conflict.ts';

export const ENGAGEMENT_SERVICE = 'engagement-service';

/** Serves the links contract (notification joins it when that context is built). */
export type EngagementService = DataService;
export type EngagementServiceOptions = DataServiceOptions & {
  /** The host short links are served on, e.g. `strata.link`: links to it are refused. */
  readonly shortDomain: string;
  /** How often expired links are recorded as expired; 30 s by default. */
  readonly expirySweepEveryMs?: number;
};

/**
 * Each hosted context brings its own mappings and migrations; they share the service's schema and
 * outbox. config/topology.ts plans notification here too: it joins by adding its mapping and its
 * HostedContext beside links', and its translation of flush errors beside translateSlugConflict.
 */
export const engagementMapping = {
  entities: [...linksMapping.entities],
  migrations: [...linksMapping.migrations],
};

/** Composes the engagement data service: the same code embedded (SQLite, in-process broker) and distributed. */
export function createEngagementService(options: EngagementServiceOptions): Promise<EngagementService> {
  return composeDataService(
    {
      service: ENGAGEMENT_SERVICE,
      mapping: engagementMapping,
      contexts: [
        hostedLinks({
          policy: linkPolicy({ shortDomain: options.shortDomain }),
          expirySweepEveryMs: options.expirySweepEveryMs,
        }),
      ],
      translateFlushError: translateSlugConflict,
    },
    options,
  );
}
