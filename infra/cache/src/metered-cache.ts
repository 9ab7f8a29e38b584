import { Counter, type Registry } from 'prom-client';
import type { Cache, CacheWriteOptions } from './cache.ts';

/**
 * A cache that counts its reads: `strata_cache_requests_total{cache, outcome}`, `hit` when the
 * value was there, `miss` when it was not (for `getOrLoad`, when the loader ran). What it stores
 * and how is the wrapped adapter's; the two children are made once.
 */
export class MeteredCache implements Cache {
  readonly #cache: Cache;
  readonly #hits: { inc(): void };
  readonly #misses: { inc(): void };

  constructor(cache: Cache, options: { name: string; registry: Registry }) {
    this.#cache = cache;
    const counter =
      (options.registry.getSingleMetric('strata_cache_requests_total') as
        Counter<'cache' | 'outcome'> | undefined) ??
      new Counter({
        name: 'strata_cache_requests_total',
        help: 'Cache reads, by cache and outcome (hit, miss)',
        labelNames: ['cache', 'outcome'],
        registers: [options.registry],
      });
    this.#hits = counter.labels(options.name, 'hit');
    this.#misses = counter.labels(options.name, 'miss');
  }

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.#cache.get<T>(key);
    (value === undefined ? this.#misses : this.#hits).inc();
    return value;
  }

  set<T>(key: string, value: T, options: CacheWriteOptions): Promise<void> {
    return this.#cache.set(key, value, options);
  }

  delete(keys: string | readonly string[]): Promise<void> {
    return this.#cache.delete(keys);
  }

  async getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheWriteOptions): Promise<T> {
    let loaded = false;
    const value = await this.#cache.getOrLoad(
      key,
      () => {
        loaded = true;
        return loader();
      },
      options,
    );
    (loaded ? this.#misses : this.#hits).inc();
    return value;
  }

  close(): Promise<void> {
    return this.#cache.close();
  }
}
