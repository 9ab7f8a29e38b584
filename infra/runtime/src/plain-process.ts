// `@strata/runtime/plain-process`: what a process run by plain Node (no SWC, no NestJS) needs to
// log and to reach data services, e.g. the short domain's redirect process. The main entry point
// also exports the HTTP kit, whose decorators need SWC.
export {
  checkDataServiceEnv,
  dataServiceEnvShape,
  kubernetesDiscoveryEnvShape,
  kubernetesRegistryOptions,
  type DataServiceEnv,
} from './data-service-env.ts';
export { connectDataService, type DataServiceConnection } from './data-service-connection.ts';
export { eventNamespace } from './event-namespace.ts';
export { createLogger, type Logger } from './logger.ts';
