/**
 * The cache port. Application services read through it; which adapter sits behind it (Redis in
 * distributed mode, process memory in embedded mode) is configuration.
 *
 * Values travel as JSON (see json-codec.ts): a Date comes back as its ISO string, `undefined`
 * properties vanish, Map/Set come back as `{}`, and a BigInt cannot be stored. Cache plain
 * read-model objects (what the RPC contract already answers), not domain objects.
 */
export interface Cache {
  /** The value stored under `key`, or undefined on a miss. Never fails: an unreachable store is a miss. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` for `ttlMs`. Never fails: a write the store refuses is logged and dropped. */
  set<T>(key: string, value: T, options: CacheWriteOptions): Promise<void>;
  /**
   * Removes the keys and fences every load of them already under way, so such a load cannot write
   * its (older) value after this call returns. Rejects with CacheUnavailableError when the store
   * cannot be reached: an invalidation that silently did nothing would serve stale data until
   * the TTL, so the caller (an event consumer) must retry it.
   */
  delete(keys: string | readonly string[]): Promise<void>;
  /**
   * Cache-aside: the cached value, or the loader's, which is then stored for `ttlMs` (shortened by
   * a little jitter so keys written together do not expire together). Concurrent misses of one
   * key share one load; a loader that answers `undefined` or throws caches nothing. When the
   * store is unreachable the loader answers directly.
   */
  getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheWriteOptions): Promise<T>;
  /** Releases what the adapter owns (a Redis connection it opened, timers). */
  close(): Promise<void>;
}

export interface CacheWriteOptions {
  ttlMs: number;
}
