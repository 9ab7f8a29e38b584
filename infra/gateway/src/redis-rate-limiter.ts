import { Redis } from 'ioredis';
import { type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './rate-limiter.ts';

/**
 * The same GCRA as `gcra()` in rate-limiter.ts, run inside Redis so that every gateway instance
 * reads and moves one TAT per key in one atomic round trip. The clock is Redis's TIME, not the
 * gateways': two gateways with skewed clocks still share one timeline.
 *
 * It decides `count` requests of one key at once, exactly as `count` calls one after the other
 * at the same instant would: the first `allowed` of them pass (as many cells as fit before TAT
 * runs a period ahead), the rest are refused. Returns the number allowed, the remaining
 * allowance and TAT − now after them, and until the next cell frees.
 */
const gcraScript = `
local period = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local allowed = math.floor((now + period - tat) / interval + 1e-9)
if allowed > count then allowed = count end
if allowed < 0 then allowed = 0 end
local new_tat = tat + allowed * interval
if allowed > 0 then
  redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now) + 1)
end
local remaining = math.floor((period - (new_tat - now)) / interval + 1e-9)
if remaining < 0 then remaining = 0 end
return {allowed, remaining, tostring(new_tat - now), tostring(new_tat + interval - period - now), tostring(interval)}
`;

type GcraReply = [number, number, string, string, string];

interface GcraRedis extends Redis {
  strataGcra(key: string, periodMs: number, limit: number, count: number): Promise<GcraReply>;
}

/** A pipeline's commands answer through exec(), in order. */
interface GcraPipeline {
  strataGcra(key: string, periodMs: number, limit: number, count: number): GcraPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
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

interface Waiter {
  readonly resolve: (decision: RateLimitDecision) => void;
  readonly reject: (error: Error) => void;
}

/** The requests of one key and policy that arrived in one turn of the event loop. */
interface Batch {
  readonly key: string;
  readonly policy: RateLimitPolicy;
  readonly waiters: Waiter[];
}

/**
 * GCRA in Redis, shared by every gateway. Requests of the same key and policy are decided by one
 * script call for all of them, with the decisions they would have had one after the other (no
 * error bound: the same answers, fewer round trips). One write is in flight at a time: the
 * requests that arrive while it is answered, in any number of turns of the event loop, wait at
 * most until its answer and go out together at the end of that turn, one call per key in one
 * write. ioredis's auto-pipelining kept one write in flight too, but this limiter sent a call per
 * key per turn into it (a pipeline object, a second `setImmediate` and a callback each): about a
 * quarter more script calls per request (ADR 0037, 2026-12-05).
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: GcraRedis;
  /** Batches waiting for the end of this turn (or for the write in flight), by key and policy. */
  #batches = new Map<string, Batch>();
  #flushScheduled = false;
  /** A write's script calls are not all answered yet: the next write waits for them. */
  #inFlight = false;
  readonly #flush = () => void this.#sendBatches();
  #scriptCalls = 0;
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

  consume(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const batchKey = `${policy.limit}/${policy.periodMs}/${key}`;
    let batch = this.#batches.get(batchKey);
    if (batch === undefined) {
      batch = { key: this.#prefix + key, policy, waiters: [] };
      this.#batches.set(batchKey, batch);
    }
    const waiters = batch.waiters;
    const decided = new Promise<RateLimitDecision>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!this.#flushScheduled && !this.#inFlight) {
      this.#flushScheduled = true;
      // After this turn's I/O callbacks: the requests read from every connection in it join in.
      setImmediate(this.#flush);
    }
    return decided;
  }

  /** Script calls made so far: fewer than consume() calls when requests were batched. */
  get scriptCalls(): number {
    return this.#scriptCalls;
  }

  /**
   * One write for every batch waiting: one script call each, pipelined when there are several.
   * Each call is still its own atomic script with its own answer, so no decision changes.
   */
  async #sendBatches(): Promise<void> {
    this.#flushScheduled = false;
    const batches = [...this.#batches.values()];
    this.#batches = new Map();
    this.#inFlight = true;
    this.#scriptCalls += batches.length;
    try {
      const replies = await this.#call(batches);
      batches.forEach((batch, index) => {
        const [error, reply] = replies[index] ?? [new Error('no reply to the pipelined call')];
        if (error === null) this.#decide(batch, reply as GcraReply);
        else this.#failed(batch, error);
      });
    } finally {
      this.#inFlight = false;
      // The requests that came while this write was answered go out at the end of this turn,
      // with those of this turn not read yet.
      if (this.#batches.size > 0 && !this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(this.#flush);
      }
    }
  }

  /**
   * Each batch's answer or error, in order: one script call alone (the common case, with no
   * pipeline object), or one pipeline of them.
   */
  async #call(batches: readonly Batch[]): Promise<[Error | null, unknown][]> {
    if (batches.length === 1) {
      const { key, policy, waiters } = batches[0]!;
      try {
        return [[null, await this.#redis.strataGcra(key, policy.periodMs, policy.limit, waiters.length)]];
      } catch (error) {
        return [[error as Error, undefined]];
      }
    }
    const pipeline = this.#redis.pipeline() as unknown as GcraPipeline;
    for (const { key, policy, waiters } of batches)
      pipeline.strataGcra(key, policy.periodMs, policy.limit, waiters.length);
    try {
      return (await pipeline.exec()) ?? [];
    } catch (error) {
      return batches.map(() => [error as Error, undefined]);
    }
  }

  #failed({ policy, waiters }: Batch, error: Error): void {
    this.#logFailure(error);
    for (const waiter of waiters) {
      if (this.#onStoreError === 'closed')
        waiter.reject(new RateLimitStoreUnavailable(`rate-limit store unreachable: ${error.message}`));
      else
        waiter.resolve({
          allowed: true,
          limit: policy.limit,
          remaining: policy.limit,
          resetMs: 0,
          retryAfterMs: 0,
        });
    }
  }

  #decide({ policy, waiters }: Batch, reply: GcraReply): void {
    const [allowed, remaining, resetText, retryText, intervalText] = reply;
    const resetMs = Number(resetText);
    const interval = Number(intervalText);
    for (let index = 0; index < waiters.length; index += 1) {
      // The index-th of the calls in a row: each allowed one moved TAT on by one interval.
      const after = allowed - 1 - index;
      waiters[index]!.resolve(
        index < allowed
          ? {
              allowed: true,
              limit: policy.limit,
              remaining: remaining + after,
              resetMs: resetMs - after * interval,
              retryAfterMs: 0,
            }
          : { allowed: false, limit: policy.limit, remaining: 0, resetMs, retryAfterMs: Number(retryText) },
      );
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
