import { LRUCache } from 'lru-cache';
import { z } from '@strata/shared-kernel';
import type { Cache, CacheWriteOptions } from './cache.ts';
import { checkKey, checkKeys, checkWriteOptions, parseOrThrow } from './cache-arguments.ts';
import { decodeValue, encodeValue } from './json-codec.ts';
import { SingleFlight } from './single-flight.ts';
import { jitteredTtl } from './ttl-jitter.ts';

const memoryCacheOptionsSchema = z.object({
  /** Entry count bound; the least recently used entry goes first. */
  maxEntries: z.number().int().positive(),
  /** Largest share of a TTL the jitter may cut, 0 to turn it off. */
  ttlJitter: z.number().min(0).max(0.5).default(0.1),
});

export type MemoryCacheOptions = z.input<typeof memoryCacheOptionsSchema>;

/**
 * Embedded mode's cache: one process, so single-flight is the whole of stampede protection and
 * superseding the flight is the whole of the stale-write fence (no other process can write).
 * lru-cache (isaacs) does the bounded LRU with per-entry TTL: the most used LRU on npm, kept up,
 * and O(1); its own fetchMethod is not used because it cannot fence a load an invalidation
 * overtook.
 */
export class MemoryCache implements Cache {
  readonly #entries: LRUCache<string, string>;
  readonly #flights = new SingleFlight();
  readonly #ttlJitter: number;

  constructor(options: MemoryCacheOptions) {
    const parsed = parseOrThrow(memoryCacheOptionsSchema, options, 'MemoryCache options');
    // lru-cache keeps expired entries until touched unless told otherwise; the entry bound caps
    // that memory anyway, so no purge timers are needed.
    this.#entries = new LRUCache<string, string>({ max: parsed.maxEntries });
    this.#ttlJitter = parsed.ttlJitter;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.#entries.get(checkKey(key, 'get'));
    return text === undefined ? undefined : decodeValue<T>(text);
  }

  async set<T>(key: string, value: T, options: CacheWriteOptions): Promise<void> {
    const checkedKey = checkKey(key, 'set');
    const { ttlMs } = checkWriteOptions(options, 'set');
    if (value === undefined) return;
    this.#entries.set(checkedKey, encodeValue(value), { ttl: ttlMs });
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    for (const key of checkKeys(keys)) {
      this.#flights.supersede(key);
      this.#entries.delete(key);
    }
  }

  async getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheWriteOptions): Promise<T> {
    const checkedKey = checkKey(key, 'getOrLoad');
    const { ttlMs } = checkWriteOptions(options, 'getOrLoad');
    const cached = this.#entries.get(checkedKey);
    if (cached !== undefined) return decodeValue<T>(cached);
    return this.#flights.run(checkedKey, async (isSuperseded) => {
      const value = await loader();
      if (value === undefined) return value;
      const text = encodeValue(value);
      if (!isSuperseded()) this.#entries.set(checkedKey, text, { ttl: jitteredTtl(ttlMs, this.#ttlJitter) });
      // A miss answers what a hit would: the JSON form, so callers never see two shapes.
      return decodeValue<T>(text);
    });
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }
}
