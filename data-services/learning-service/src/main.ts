import { runDataService } from '@strata/runtime/data-service';
import { LEARNING_SERVICE, createLearningService, learningMapping } from './create-learning-service.ts';

// `node data-services/learning-service/src/main.ts [migrate]`: the learning data service in
// distributed mode. It needs nothing of its own beyond the platform's variables: its inputs are
// other contexts' events (Kafka, consumer group `learning-service.learning`) and learner-api's calls.
await runDataService(
  { name: LEARNING_SERVICE, mapping: learningMapping, create: createLearningService },
  process.argv.slice(2),
  process.env,
);
