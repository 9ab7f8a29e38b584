import { topicFor } from '@strata/events';
import { runReplayRebuildCommand } from '@strata/runtime/data-service';
import { LEARNING_SERVICE, learningMapping } from './create-learning-service.ts';
import {
  OutlineRebuildRefused,
  rebuildLearningOutlines,
  type OutlineRebuildProgress,
} from './learning/rebuild-outlines.ts';

// `npm run learning:rebuild-outlines [-- --drop-unheard]`: rebuilds learning-service's
// `learning_outlines` by replaying the catalog's topic from its start, while learning-service keeps
// running (rebuild-outlines.ts says how that stays safe). Reads the same variables as
// learning-service's main.ts; runReplayRebuildCommand says which and what the exit codes mean;
// docs/runbooks/rebuild-learning-outlines.md says when and how to run it.
await runReplayRebuildCommand({
  command: 'learning:rebuild-outlines',
  service: LEARNING_SERVICE,
  mapping: learningMapping,
  table: 'learning_outlines',
  topicsOf: (namespace) => [topicFor('catalog', namespace)],
  describe: (progress: OutlineRebuildProgress) =>
    `read ${progress.read} events: outline events ${progress.applied}, not outline events ${progress.skipped}, ` +
    `refused ${progress.failed}; ${progress.courses} courses`,
  isRefusal: (error) => error instanceof OutlineRebuildRefused,
  rebuild: rebuildLearningOutlines,
});
