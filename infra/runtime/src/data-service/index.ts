export {
  assembleDataService,
  DEFAULT_HOUSEKEEPING,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  type DataService,
  type EventConsumer,
  type DataServiceOptions,
  type ServiceDatabaseConfig,
} from './assemble-data-service.ts';
export { CallCause } from './call-cause.ts';
export {
  composeDataService,
  type ContextServing,
  type DataServiceComposition,
  type EventSubscription,
  type HostedContext,
} from './compose-data-service.ts';
export { dataServiceConfigSchema, type DataServiceConfig } from './data-service-config.ts';
export { hostInProcess } from './host-in-process.ts';
export {
  runReplayRebuildCommand,
  type ReplayRebuildCommand,
  type ReplayRebuildOutcome,
} from './replay-rebuild-command.ts';
export { runDataService } from './run-data-service.ts';
export {
  databaseOf,
  serveDataService,
  type DataServiceDefinition,
  type ServingDataService,
} from './serve-data-service.ts';
export { housekeepingEnvShape, housekeepingOf, redisJobQueue } from './job-queues.ts';
export { databaseCheck, meterDatabasePool } from '../metrics/database-metrics.ts';
export { meterJobQueue } from '../metrics/job-queue-metrics.ts';
