import { Redis } from 'ioredis';
import { gcraScript, type GcraPipeline, type GcraRedis, type GcraReply } from './gcra-script.ts';
import { Allowance, leaseCap } from './leased-allowance.ts';
import { type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './rate-limiter.ts';

/** Busy keys whose leases one gateway keeps; past it the oldest is dropped (its cells lapse in Redis). */
const MAX_ALLOWANCES = 10_000;

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

/** The requests of one key and policy that arrived in one turn (none: a lease renewed alone). */
interface Batch {
  readonly batchKey: string;
  readonly key: string;
  readonly policy: RateLimitPolicy;
  readonly waiters: Waiter[];
  /** Set when the call is sent: its busy key's lease, cells asked for ahead and given back. */
  allowance: Allowance | undefined;
  leased: number;
  returned: number;
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
 *
 * A busy key (its requests met in one call) is leased cells ahead, which are then decided here
 * without Redis, within the error bound `Allowance` states (ADR 0060). Policies too small to
 * lease (`leaseCap`) are decided exactly, every request by Redis.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: GcraRedis;
  /** Batches waiting for the end of this turn (or for the write in flight), by key and policy. */
  #batches = new Map<string, Batch>();
  /** Busy keys' leased cells, by key and policy. */
  readonly #allowances = new Map<string, Allowance>();
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

  /** A leased cell's decision comes at once; the others when Redis has answered. */
  consume(key: string, policy: RateLimitPolicy): RateLimitDecision | Promise<RateLimitDecision> {
    const batchKey = `${policy.limit}/${policy.periodMs}/${key}`;
    const allowance = this.#allowances.get(batchKey);
    if (allowance !== undefined) {
      const decision = allowance.spend(performance.now(), policy.limit);
      if (decision !== undefined) {
        if (allowance.low) this.#batchOf(batchKey, key, policy);
        return decision;
      }
    }
    const waiters = this.#batchOf(batchKey, key, policy).waiters;
    return new Promise<RateLimitDecision>((resolve, reject) => waiters.push({ resolve, reject }));
  }

  #batchOf(batchKey: string, key: string, policy: RateLimitPolicy): Batch {
    let batch = this.#batches.get(batchKey);
    if (batch === undefined) {
      batch = {
        batchKey,
        key: this.#prefix + key,
        policy,
        waiters: [],
        allowance: undefined,
        leased: 0,
        returned: 0,
      };
      this.#batches.set(batchKey, batch);
    }
    if (!this.#flushScheduled && !this.#inFlight) {
      this.#flushScheduled = true;
      // After this turn's I/O callbacks: the requests read from every connection in it join in.
      setImmediate(this.#flush);
    }
    return batch;
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
    const batches = this.#withLeases([...this.#batches.values()]);
    this.#batches = new Map();
    if (batches.length === 0) return;
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
   * Each busy key's call asks for its next lease and gives back its lapsed cells. A renewal whose
   * key went cold meanwhile has nothing left to ask and is dropped.
   */
  #withLeases(batches: Batch[]): Batch[] {
    const now = performance.now();
    for (const batch of batches) {
      const allowance = this.#allowances.get(batch.batchKey);
      if (allowance === undefined) continue;
      const { returned, leased } = allowance.renew(now);
      batch.returned = returned;
      if (leased === 0) this.#allowances.delete(batch.batchKey);
      else {
        batch.allowance = allowance;
        batch.leased = leased;
      }
    }
    return batches.filter((batch) => batch.waiters.length + batch.leased + batch.returned > 0);
  }

  /**
   * Each batch's answer or error, in order: one script call alone (the common case, with no
   * pipeline object), or one pipeline of them.
   */
  async #call(batches: readonly Batch[]): Promise<[Error | null, unknown][]> {
    if (batches.length === 1) {
      const { key, policy, waiters, leased, returned } = batches[0]!;
      try {
        const count = waiters.length + leased;
        return [[null, await this.#redis.strataGcra(key, policy.periodMs, policy.limit, count, returned)]];
      } catch (error) {
        return [[error as Error, undefined]];
      }
    }
    const pipeline = this.#redis.pipeline() as unknown as GcraPipeline;
    for (const { key, policy, waiters, leased, returned } of batches)
      pipeline.strataGcra(key, policy.periodMs, policy.limit, waiters.length + leased, returned);
    try {
      return (await pipeline.exec()) ?? [];
    } catch (error) {
      return batches.map(() => [error as Error, undefined]);
    }
  }

  #failed({ policy, waiters, allowance }: Batch, error: Error): void {
    allowance?.renewalFailed();
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

  #decide({ batchKey, policy, waiters, allowance }: Batch, reply: GcraReply): void {
    const [allowed, remaining, resetText, retryText, intervalText] = reply;
    const resetMs = Number(resetText);
    const interval = Number(intervalText);
    if (allowance !== undefined) {
      allowance.grant(Math.max(0, allowed - waiters.length), remaining, resetMs, interval, performance.now());
    } else if (waiters.length > 1) this.#leaseFrom(batchKey, policy);
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

  /** Requests of this key met in one call: it is busy, and its next call leases cells ahead. */
  #leaseFrom(batchKey: string, policy: RateLimitPolicy): void {
    const cap = leaseCap(policy);
    if (cap === 0) return;
    if (this.#allowances.size >= MAX_ALLOWANCES)
      this.#allowances.delete(this.#allowances.keys().next().value!);
    this.#allowances.set(batchKey, new Allowance(cap));
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
