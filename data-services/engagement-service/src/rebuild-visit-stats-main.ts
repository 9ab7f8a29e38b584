import { runReplayRebuildCommand } from '@strata/runtime/data-service';
import { ENGAGEMENT_SERVICE, engagementMapping } from './create-engagement-service.ts';
import {
  rebuildLinkVisitStats,
  visitStatsTopics,
  VisitStatsRebuildRefused,
  type VisitStatsRebuildProgress,
} from './links/visit-stats/rebuild-visit-stats.ts';

// `npm run links:rebuild-visit-stats [-- --drop-unheard]`: rebuilds engagement-service's
// `link_visit_hours` by replaying the links' topics from their start, while engagement-service keeps
// consuming (rebuild-visit-stats.ts says how that stays safe). Reads the same variables as
// engagement-service's main.ts; runReplayRebuildCommand says which and what the exit codes mean;
// docs/runbooks/rebuild-link-visit-stats.md says when and how to run it.
await runReplayRebuildCommand({
  command: 'links:rebuild-visit-stats',
  service: ENGAGEMENT_SERVICE,
  mapping: engagementMapping,
  table: 'link_visit_hours',
  topicsOf: visitStatsTopics,
  describe: (progress: VisitStatsRebuildProgress) =>
    `read ${progress.read} events: visits ${progress.visits}, repeated visits ${progress.repeated}, ` +
    `other events ${progress.skipped}, refused ${progress.failed}; ${progress.rows} link-hours`,
  isRefusal: (error) => error instanceof VisitStatsRebuildRefused,
  rebuild: rebuildLinkVisitStats,
});
