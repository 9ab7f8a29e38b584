import { composeDataService, type DataServiceOptions } from '@strata/runtime/data-service';
import { hostedLearning, learningMapping as hostedLearningMapping } from './learning/hosted-learning.ts';

export const LEARNING_SERVICE = 'learning-service';

/** Serves the learning contract; consumes the catalog's outline events, ordering's paid and refunded orders, and its own completions. */
export type LearningService = Awaited<ReturnType<typeof composeDataService>>;
export type LearningServiceOptions = DataServiceOptions;

/** The service's one hosted context brings its mappings and migrations; it shares the schema with the outbox. */
export const learningMapping = {
  entities: [...hostedLearningMapping.entities],
  migrations: [...hostedLearningMapping.migrations],
};

/** Composes the learning data service: the same code embedded (SQLite, in-process broker) and distributed. */
export function createLearningService(options: LearningServiceOptions): Promise<LearningService> {
  return composeDataService(
    { service: LEARNING_SERVICE, mapping: learningMapping, contexts: [hostedLearning] },
    options,
  );
}
