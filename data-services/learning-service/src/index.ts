export {
  LEARNING_SERVICE,
  learningMapping,
  createLearningService,
  type LearningService,
  type LearningServiceOptions,
} from './create-learning-service.ts';
