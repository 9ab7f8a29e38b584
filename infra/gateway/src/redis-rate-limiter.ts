import { Redis } from 'ioredis';
import { type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './rate-limiter.ts';

/**
 * The same GCRA as `gcra()` in rate-limiter.ts, run inside Redis so that every gateway instance
 * reads and moves one TAT per key in one atomic round trip. The clock is Redis's TIME, not the
 * gateways': two gateways with skewed clocks still share one timeline.
 */
const gcraScript = `
local period = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - period
if now < allow_at then
  return {0, 0, tostring(tat - now), tostring(allow_at - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now) + 1)
local remaining = math.floor((period - (new_tat - now)) / interval + 1e-9)
return {1, remaining, tostring(new_tat - now), '0'}
`;

type GcraReply = [number, number, string, string];

interface GcraRedis extends Redis {
  strataGcra(key: string, periodMs: number, limit: number): Promise<GcraReply>;
}

export interface StoreFailureLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface RedisRateLimiterOptions {
  readonly url: string;
  readonly keyPrefix?: string;
  /** When Redis cannot answer: let the request through ('open') or refuse it ('closed'). */
  readonly onStoreError: 'open' | 'closed';
  readonly logger: StoreFailureLogger;
}

/** Thrown in fail-closed mode so the gateway answers 503 rather than 429. */
export class RateLimitStoreUnavailable extends Error {
  override readonly name = 'RateLimitStoreUnavailable';
}

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: GcraRedis;
  readonly #prefix: string;
  readonly #onStoreError: 'open' | 'closed';
  readonly #logger: StoreFailureLogger;
  #lastLoggedAt = 0;

  /**
   * Connects first: without an offline queue, commands sent before the connection is ready would
   * fail. If Redis cannot be reached now the limiter still opens, logs, applies the configured
   * fail-open/closed choice and keeps reconnecting.
   */
  static async open(options: RedisRateLimiterOptions): Promise<RedisRateLimiter> {
    const limiter = new RedisRateLimiter(options);
    await limiter.#firstConnect();
    return limiter;
  }

  private constructor(options: RedisRateLimiterOptions) {
    // No offline queue and one attempt: while Redis is down a request must be decided now, not
    // wait behind a reconnect.
    this.#redis = new Redis(options.url, {
      // Every script call made in one turn of the event loop goes out in one write (ioredis's
      // auto-pipelining): under load, one syscall for many requests' checks instead of one each.
      // Each call is still its own atomic script with its own answer, so no decision changes.
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
    }) as GcraRedis;
    this.#redis.on('error', () => {
      // Reported per request in consume(); the client reconnects on its own.
    });
    this.#redis.defineCommand('strataGcra', { numberOfKeys: 1, lua: gcraScript });
    this.#prefix = options.keyPrefix ?? 'strata:gateway:rl:';
    this.#onStoreError = options.onStoreError;
    this.#logger = options.logger;
  }

  async consume(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    try {
      const [allowed, remaining, resetMs, retryAfterMs] = await this.#redis.strataGcra(
        this.#prefix + key,
        policy.periodMs,
        policy.limit,
      );
      return {
        allowed: allowed === 1,
        limit: policy.limit,
        remaining,
        resetMs: Number(resetMs),
        retryAfterMs: Number(retryAfterMs),
      };
    } catch (error) {
      this.#logFailure(error as Error);
      if (this.#onStoreError === 'closed') {
        throw new RateLimitStoreUnavailable(`rate-limit store unreachable: ${(error as Error).message}`);
      }
      return { allowed: true, limit: policy.limit, remaining: policy.limit, resetMs: 0, retryAfterMs: 0 };
    }
  }

  async #firstConnect(): Promise<void> {
    await new Promise<void>((resolve) => {
      const settle = (error?: Error) => {
        this.#redis.off('ready', onReady);
        this.#redis.off('error', onError);
        if (error !== undefined) this.#logFailure(error);
        resolve();
      };
      const onReady = () => settle();
      const onError = (error: Error) => settle(error);
      this.#redis.once('ready', onReady);
      this.#redis.once('error', onError);
    });
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }

  #logFailure(error: Error): void {
    // One line per 10 s is enough to page someone; one per request would bury everything else.
    const now = Date.now();
    if (now - this.#lastLoggedAt < 10_000) return;
    this.#lastLoggedAt = now;
    this.#logger.error(
      { error: error.message, onStoreError: this.#onStoreError },
      this.#onStoreError === 'open'
        ? 'rate-limit store (Redis) unreachable: requests pass unlimited until it is back'
        : 'rate-limit store (Redis) unreachable: rate-limited routes answer 503 until it is back',
    );
  }
}
