import 'reflect-metadata';
import { runStudioApi } from './run-studio-api.ts';

// `node --import @swc-node/register/esm-register application-services/studio-api/src/main.ts`:
// studio-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001).
await runStudioApi(process.env);
