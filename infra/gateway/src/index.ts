export { FAILURES_SHOWN, type JobQueueReport, type JobQueueView } from './admin-job-queues.ts';
export { Gateway, type GatewayOptions, type LocalMount } from './gateway.ts';
export { MemoryRateLimiter } from './memory-rate-limiter.ts';
export { gcra, type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './rate-limiter.ts';
export {
  RateLimitStoreUnavailable,
  RedisRateLimiter,
  type RedisRateLimiterOptions,
} from './redis-rate-limiter.ts';
export { checkRequestTarget, type PathCheck } from './request-path.ts';
export {
  loadRouteFile,
  parseRouteFileText,
  routeFileSchema,
  validateRouteFile,
  type Route,
  type RouteFile,
  type RouteFileResult,
} from './route-file.ts';
export { createStaticSiteHandler, type StaticSiteHandler, type StaticSiteOptions } from './static-site.ts';
export {
  TokenVerifier,
  type Identity,
  type TokenVerifierOptions,
  type VerifyResult,
} from './token-verifier.ts';
export type { HealthCheckOptions, UpstreamView } from './upstream-pool.ts';
