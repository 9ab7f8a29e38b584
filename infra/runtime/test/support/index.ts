export {
  openApiDiscrepancies,
  routeFacts,
  type GatewayRouteEntry,
  type RouteFacts,
} from './openapi-conformance.ts';
export { servedOpenApiDiscrepancies } from './served-openapi.ts';
export { bootMain, type BootedService } from './boot-main.ts';
export { recordingLogger } from './recording-logger.ts';
export {
  mariaDbDataService,
  refusal,
  sqliteDataService,
  type RunningDataService,
} from './running-data-service.ts';
