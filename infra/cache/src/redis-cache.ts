import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { z } from '@strata/shared-kernel';
import type { Cache, CacheWriteOptions } from './cache.ts';
import { checkKey, checkKeys, checkWriteOptions, parseOrThrow } from './cache-arguments.ts';
import { CacheUnavailableError } from './cache-errors.ts';
import { RateLimitedWarnings } from './cache-logger.ts';
import { decodeValue, encodeValue } from './json-codec.ts';
import {
  connectOptionsSchema,
  redisCacheOptionsSchema,
  type RedisCacheConnectOptions,
  type RedisCacheOptions,
} from './redis-cache-options.ts';
import {
  defineCacheScripts,
  FENCE_TTL_MS,
  fenceKey,
  lockKey,
  valueKey,
  type CacheScripts,
} from './redis-cache-scripts.ts';
import { SingleFlight } from './single-flight.ts';
import { jitteredTtl } from './ttl-jitter.ts';

/*
 * Why hand-written rather than a library: cache-manager/cacheable and bentocache protect against
 * stampedes within one process only (bentocache's distributed part is a bus for invalidations),
 * and redlock targets several independent masters and has had no stable release since 2022. What
 * is needed here is one SET NX PX lock and one compare-and-set script on a single Redis, a few
 * lines each, plus a write fence none of them offers (redis-cache-scripts.ts).
 */

const UNAVAILABLE = Symbol('cache unavailable');
/** The lock token of a load that does not hold the lock (a waiter that stopped waiting). */
const NOT_HELD = '';

/**
 * Distributed mode's cache. Stampede protection in two steps: single-flight within the process,
 * then a short per-key lock across processes; instances that miss the lock poll for the value and,
 * after `lockWaitMs`, load themselves, so a crashed or slow holder delays them, never blocks them.
 */
export class RedisCache implements Cache {
  readonly #client: Redis & CacheScripts;
  #ownsClient = false;
  readonly #options: z.output<typeof redisCacheOptionsSchema>;
  readonly #warnings: RateLimitedWarnings;
  readonly #flights = new SingleFlight();

  /** Uses the caller's client and leaves it open on close(); see connect() for the options a cache wants. */
  constructor(options: RedisCacheOptions) {
    this.#options = parseOrThrow(redisCacheOptionsSchema, options, 'RedisCache options');
    this.#client = defineCacheScripts(this.#options.client);
    this.#warnings = new RateLimitedWarnings(this.#options.logger, this.#options.warningWindowMs);
  }

  /**
   * Opens its own client, tuned for a cache: no offline queue, so while the connection is down a
   * command fails at once (a fast miss) instead of queueing behind the reconnect loop, and a
   * bounded command time for a Redis that is connected but hung. Resolves after the first
   * connection attempt, whatever its outcome: a service must start without its cache.
   */
  static async connect(options: RedisCacheConnectOptions): Promise<RedisCache> {
    const { url, commandTimeoutMs, connectTimeoutMs, ...cacheOptions } = options;
    const connection = parseOrThrow(
      connectOptionsSchema,
      { url, commandTimeoutMs, connectTimeoutMs },
      'RedisCache.connect options',
    );
    // Checked before the connection opens, so a bad option cannot leak a client.
    parseOrThrow(redisCacheOptionsSchema.omit({ client: true }), cacheOptions, 'RedisCache options');
    const client = new Redis(connection.url, {
      commandTimeout: connection.commandTimeoutMs,
      connectTimeout: connection.connectTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A socket that never connected never closes cleanly; do not hold the process for ioredis' 2 s default.
      disconnectTimeout: 200,
    });
    const cache = new RedisCache({ ...cacheOptions, client });
    cache.#ownsClient = true;
    const firstAttempt = new Promise<void>((resolve) => {
      client.once('ready', resolve);
      client.once('error', () => resolve());
    });
    // ioredis reports every failed reconnect; one line per window is enough for the operator.
    client.on('error', (error: unknown) =>
      cache.#warnings.warn(
        'connection',
        { err: error, prefix: cache.#options.prefix },
        'cache Redis connection failed; reads go to their loaders until it reconnects',
      ),
    );
    await firstAttempt;
    return cache;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const checkedKey = checkKey(key, 'get');
    const text = await this.#attempt('get', checkedKey, () =>
      this.#client.get(valueKey(this.#options.prefix, checkedKey)),
    );
    return text === UNAVAILABLE || text === null ? undefined : decodeValue<T>(text);
  }

  async set<T>(key: string, value: T, options: CacheWriteOptions): Promise<void> {
    const checkedKey = checkKey(key, 'set');
    const { ttlMs } = checkWriteOptions(options, 'set');
    if (value === undefined) return;
    await this.#attempt('set', checkedKey, () =>
      this.#client.set(valueKey(this.#options.prefix, checkedKey), encodeValue(value), 'PX', ttlMs),
    );
  }

  async delete(keys: string | readonly string[]): Promise<void> {
    const checkedKeys = checkKeys(keys);
    if (checkedKeys.length === 0) return;
    const { prefix } = this.#options;
    const transaction = this.#client.multi();
    for (const key of checkedKeys) {
      this.#flights.supersede(key);
      // The lock goes too: its holder's value is fenced out now, so instances waiting for that
      // value would only wait in vain; freed, one of them loads the fresh value at once.
      transaction
        .set(fenceKey(prefix, key), randomUUID(), 'PX', FENCE_TTL_MS)
        .del(valueKey(prefix, key), lockKey(prefix, key));
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await transaction.exec();
    } catch (error) {
      throw new CacheUnavailableError(`delete of ${checkedKeys.join(', ')}`, error);
    }
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) {
      throw new CacheUnavailableError(`delete of ${checkedKeys.join(', ')}`, failed ?? 'transaction aborted');
    }
  }

  async getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheWriteOptions): Promise<T> {
    const checkedKey = checkKey(key, 'getOrLoad');
    const { ttlMs } = checkWriteOptions(options, 'getOrLoad');
    return this.#flights.run(checkedKey, (isSuperseded) =>
      this.#loadThroughLock<T>(checkedKey, loader, jitteredTtl(ttlMs, this.#options.ttlJitter), isSuperseded),
    );
  }

  async close(): Promise<void> {
    if (!this.#ownsClient) return;
    if (this.#client.status === 'ready') {
      await this.#client.quit().catch(() => this.#client.disconnect());
    } else {
      this.#client.disconnect();
    }
  }

  async #loadThroughLock<T>(
    key: string,
    loader: () => Promise<T>,
    ttlMs: number,
    isSuperseded: () => boolean,
  ): Promise<T> {
    const { lockWaitMs, lockPollMs } = this.#options;
    const waitUntil = Date.now() + lockWaitMs;
    const token = randomUUID();
    for (;;) {
      const state = await this.#readOrLock(key, token);
      if (state === UNAVAILABLE) return normalised(await loader());
      if (state.outcome === 'hit') return decodeValue<T>(state.value);
      if (state.outcome === 'locked')
        return this.#loadAndWrite(key, loader, ttlMs, state.fence, isSuperseded, token);
      // The holder is slow or gone: answer now, fenced by what this very attempt read.
      if (Date.now() >= waitUntil)
        return this.#loadAndWrite(key, loader, ttlMs, state.fence, isSuperseded, NOT_HELD);
      await sleep(lockPollMs);
    }
  }

  /**
   * `fence` must have been read before the loader starts: that ordering is the whole guard. A lock
   * this load holds (`lockToken`) is released by the write itself, in the same round trip, or on
   * its own when there is nothing to write.
   */
  async #loadAndWrite<T>(
    key: string,
    loader: () => Promise<T>,
    ttlMs: number,
    fence: string,
    isSuperseded: () => boolean,
    lockToken: string,
  ): Promise<T> {
    const { prefix } = this.#options;
    const release = () =>
      lockToken === NOT_HELD
        ? undefined
        : this.#attempt('unlock', key, () =>
            this.#client.strataCacheReleaseLock(lockKey(prefix, key), lockToken),
          );
    let value: T;
    try {
      value = await loader();
    } catch (error) {
      await release();
      throw error;
    }
    if (value === undefined) {
      await release();
      return value;
    }
    const text = encodeValue(value);
    if (isSuperseded()) await release();
    else
      await this.#attempt('set', key, () =>
        this.#client.strataCacheWrite(
          valueKey(prefix, key),
          fenceKey(prefix, key),
          lockKey(prefix, key),
          fence,
          text,
          ttlMs,
          lockToken,
        ),
      );
    return decodeValue<T>(text);
  }

  /**
   * One atomic step: the value if there is one, else the fence and a try at the lock. Atomic
   * because with separate reads a holder could write and unlock between this instance's miss and
   * its lock, and the value would be loaded twice.
   */
  async #readOrLock(
    key: string,
    token: string,
  ): Promise<
    { outcome: 'hit'; value: string } | { outcome: 'locked' | 'busy'; fence: string } | typeof UNAVAILABLE
  > {
    const { prefix, lockTtlMs } = this.#options;
    const answer = await this.#attempt('get', key, async () => {
      return this.#client.strataCacheReadOrLock(
        valueKey(prefix, key),
        fenceKey(prefix, key),
        lockKey(prefix, key),
        token,
        lockTtlMs,
      );
    });
    if (answer === UNAVAILABLE) return UNAVAILABLE;
    const [outcome, text] = answer;
    if (outcome === 1) return { outcome: 'hit', value: text };
    return { outcome: outcome === 2 ? 'locked' : 'busy', fence: text };
  }

  /** Runs a Redis operation whose failure must not fail the read: logged (rate-limited), then UNAVAILABLE. */
  async #attempt<R>(operation: string, key: string, work: () => Promise<R>): Promise<R | typeof UNAVAILABLE> {
    try {
      return await work();
    } catch (error) {
      this.#warnings.warn(
        operation,
        { err: error, operation, key, prefix: this.#options.prefix },
        `cache ${operation} failed; serving from the loader without the cache until Redis answers again`,
      );
      return UNAVAILABLE;
    }
  }
}

/** The loader's answer in the JSON form a hit would give, so callers never see two shapes. */
function normalised<T>(value: T): T {
  return value === undefined ? value : decodeValue<T>(encodeValue(value));
}
