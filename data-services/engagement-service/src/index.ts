export {
  createEngagementService,
  ENGAGEMENT_SERVICE,
  engagementMapping,
  type EngagementService,
  type EngagementServiceOptions,
} from './create-engagement-service.ts';
export { linksEnvShape, linksOptionsOf } from './links-env.ts';
export {
  LINK_REDIRECT,
  startDistributedLinkRedirect,
  startEmbeddedLinkRedirect,
  type RunningLinkRedirect,
} from './links/redirect/link-redirect.ts';
export {
  rebuildLinkVisitStats,
  visitRollupConsumerGroup,
  visitStatsTopics,
  VisitStatsRebuildRefused,
  type VisitStatsRebuildOutcome,
} from './links/visit-stats/rebuild-visit-stats.ts';
export { foldVisit } from './links/visit-stats/visit-rollup.ts';
export { linkVisitsTopicFor } from './links/visits-topic.ts';
export {
  linkVisitHourRecordSchema,
  type LinkVisitHourRecord,
} from './links/visit-stats/link-visit-hour-record.ts';
