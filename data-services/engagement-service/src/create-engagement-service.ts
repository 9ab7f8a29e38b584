import { linkPolicy } from '@strata/links';
import type { NotificationRetention } from '@strata/notification';
import { composeDataService, type DataService, type DataServiceOptions } from '@strata/runtime/data-service';
import { hostedLinks, linksMapping } from './links/hosted-links.ts';
import { hostedNotification, notificationMapping } from './notification/hosted-notification.ts';
import { translateSlugConflict } from './links/slug-conflict.ts';

export const ENGAGEMENT_SERVICE = 'engagement-service';

/** Serves the links and notification contracts. */
export type EngagementService = DataService;
export type EngagementServiceOptions = DataServiceOptions & {
  /** The host short links are served on, e.g. `strata.link`: links to it are refused. */
  readonly shortDomain: string;
  /** How often expired links are recorded as expired; 30 s by default. */
  readonly expirySweepEveryMs?: number;
  /** How much of each feed is kept; DEFAULT_NOTIFICATION_RETENTION (1,000 a recipient, 30 days) by default. */
  readonly notificationRetention?: NotificationRetention;
};

/**
 * Each hosted context brings its own mappings and migrations; they share the service's schema and
 * outbox, never each other's tables.
 */
export const engagementMapping = {
  entities: [...linksMapping.entities, ...notificationMapping.entities],
  migrations: [...linksMapping.migrations, ...notificationMapping.migrations],
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
        hostedNotification({ retention: options.notificationRetention }),
      ],
      translateWriteError: translateSlugConflict,
    },
    options,
  );
}
