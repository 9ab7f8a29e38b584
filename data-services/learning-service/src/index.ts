export {
  LEARNING_SERVICE,
  learningMapping,
  createLearningService,
  type LearningService,
  type LearningServiceOptions,
} from './create-learning-service.ts';
export {
  OutlineRebuildRefused,
  rebuildLearningOutlines,
  type OutlineRebuildOutcome,
  type OutlineRebuildProgress,
} from './learning/rebuild-outlines.ts';
