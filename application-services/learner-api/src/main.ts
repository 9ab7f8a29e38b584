import 'reflect-metadata';
import { runLearnerApi } from './run-learner-api.ts';

// `node --import @swc-node/register/esm-register application-services/learner-api/src/main.ts`:
// learner-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001).
await runLearnerApi(process.env);
