import 'reflect-metadata';
import { runAccountApi } from './run-account-api.ts';

// `node --import @swc-node/register/esm-register application-services/account-api/src/main.ts`:
// account-api in distributed mode (NestJS needs SWC for decorator metadata, docs/adr/0001).
await runAccountApi(process.env);
