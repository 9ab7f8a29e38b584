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
export { logDestination } from './log-destination.ts';
export { listenAdmin, type AdminListener } from './admin-listener.ts';
export { processMetrics } from './metrics/process-metrics.ts';
export { Readiness, type ReadinessCheck, type ReadinessReport } from './metrics/readiness.ts';
export { registerScrapeTarget, scrapeTargetsPrefix } from './metrics/scrape-target.ts';
export { meterRpcClients } from './metrics/rpc-client-metrics.ts';
export { meterRpcHandler } from './metrics/rpc-server-metrics.ts';
export { CounterCell, LeanCounter } from './metrics/lean-counter.ts';
export { HistogramCell, LeanHistogram } from './metrics/lean-histogram.ts';
export { LabelledChildren } from './metrics/labelled-children.ts';
