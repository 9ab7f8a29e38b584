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
  absentDataService,
  mariaDbDataService,
  refusal,
  sqliteDataService,
  type RunningDataService,
} from './running-data-service.ts';
export { startApp, type StartedApp } from './started-app.ts';
export { staticDataServices, type StaticDataServices } from './static-data-services.ts';
export { behavesAsADataServiceMain, type DataServiceMain } from './data-service-main-behaviour.ts';
export { call, listenOnFreePort, type Answer, type CallOptions } from './http-calls.ts';
