export {
  openApiDiscrepancies,
  routeFacts,
  type GatewayRouteEntry,
  type RouteFacts,
} from './openapi-conformance.ts';
export { servedOpenApiDiscrepancies } from './served-openapi.ts';
export { recordingLogger } from './recording-logger.ts';
export { sqliteDataService, type SqliteDataService } from './sqlite-data-service.ts';
