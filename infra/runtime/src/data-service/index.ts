export {
  assembleDataService,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  type DataService,
  type DataServiceOptions,
  type ServiceDatabaseConfig,
} from './assemble-data-service.ts';
export { CallCause } from './call-cause.ts';
export {
  composeDataService,
  type ContextServing,
  type DataServiceComposition,
  type HostedContext,
} from './compose-data-service.ts';
export { dataServiceConfigSchema, type DataServiceConfig } from './data-service-config.ts';
export { runDataService, type DataServiceDefinition } from './run-data-service.ts';
