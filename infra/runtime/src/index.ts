export { ConfigError, loadEnvConfig, loadProcessConfig } from './env-config.ts';
export { deploymentName, flag, hostPort, list, listOf, logLevel, port, redisUrl } from './env-fields.ts';
export { createLogger, type Logger, type LoggerConfig } from './logger.ts';
export {
  httpProblem,
  PROBLEM_CONTENT_TYPE,
  problemFromRpcError,
  type ProblemDetails,
  type ProblemResponse,
} from './problem-details.ts';
export { ProblemDetailsFilter } from './problem-details.filter.ts';
export { ZodValidationPipe, type RequestPart } from './zod-validation.pipe.ts';
export {
  accessTokenEnvShape,
  JwtAccessTokenVerifier,
  remoteJwks,
  type AccessTokenVerifier,
  type JwtVerifierOptions,
  type VerifiedCaller,
} from './access-token-verifier.ts';
export { ACCESS_TOKEN_VERIFIER, BearerAuthGuard, Caller, verifiedCallerOf } from './bearer-auth.guard.ts';
export { RequestId } from './request-id.decorator.ts';
export {
  etagOf,
  expectedVersionFrom,
  IfMatch,
  PreconditionProblem,
  VersionETagInterceptor,
} from './if-match.ts';
export { IdempotencyKey, idempotencyKeyFrom } from './idempotency-key.ts';
export { pointAtBodyField } from './body-field-problem.ts';
export { openApiDocument, type ApiDescription, type ApiRoute } from './openapi-document.ts';
export { HEALTH_CHECKS, OPENAPI_DOCUMENT, RuntimeModule, type HealthCheck } from './runtime.module.ts';
export { createHttpApp, DEFAULT_BODY_LIMIT_BYTES, type HttpAppOptions } from './http-app.ts';
export {
  checkDataServiceEnv,
  dataServiceEnvShape,
  kubernetesDiscoveryEnvShape,
  kubernetesRegistryOptions,
  type DataServiceEnv,
} from './data-service-env.ts';
export { connectDataService, type DataServiceConnection } from './data-service-connection.ts';
export {
  httpBodyLimitBytes,
  httpServiceEnv,
  httpServiceEnvShape,
  serveHttpService,
  type HttpServiceEnv,
} from './http-service.ts';
export {
  runApplicationService,
  type ApplicationServiceDefinition,
  type ApplicationServiceEnv,
  type ApplicationServiceParts,
  type DataServiceDependency,
} from './application-service/run-application-service.ts';
export { ShutdownSequence } from './topology-runner/shutdown-sequence.ts';
export {
  ProcessSupervisor,
  type ProcessSpec,
  type ProcessSupervisorOptions,
  type RunningProcess,
  type ServiceSpec,
  type StoppedProcess,
} from './topology-runner/process-supervisor.ts';
export { eventNamespace } from './event-namespace.ts';
export { listenAdmin, type AdminListener } from './admin-listener.ts';
export { meterHttpRoutes } from './metrics/http-route-metrics.ts';
export { processMetrics } from './metrics/process-metrics.ts';
export { Readiness, type ReadinessCheck, type ReadinessReport } from './metrics/readiness.ts';
export { meterRpcHandler } from './metrics/rpc-server-metrics.ts';
export { registerScrapeTarget, scrapeTargetsPrefix } from './metrics/scrape-target.ts';
export { meterRpcClients } from './metrics/rpc-client-metrics.ts';
