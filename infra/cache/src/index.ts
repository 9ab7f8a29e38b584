export type { Cache, CacheWriteOptions } from './cache.ts';
export { CacheArgumentError, CacheUnavailableError } from './cache-errors.ts';
export {
  invalidationHandlers,
  type InvalidatableCache,
  type InvalidatingEvent,
  type InvalidationHandler,
  type InvalidationMap,
} from './cache-invalidation.ts';
export type { CacheLogger } from './cache-logger.ts';
export { MeteredCache } from './metered-cache.ts';
export { MemoryCache, type MemoryCacheOptions } from './memory-cache.ts';
export { RedisCache } from './redis-cache.ts';
export type { RedisCacheConnectOptions, RedisCacheOptions } from './redis-cache-options.ts';
