export { CallCause } from './call-cause.ts';
export { readDataServiceConfig, type DataServiceConfig } from './data-service-config.ts';
export { runDataService, type DataServiceDefinition } from './run-data-service.ts';
