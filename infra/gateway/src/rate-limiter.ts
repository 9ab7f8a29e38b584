/** One consumer's quota on one route: `limit` requests per `periodMs`, as a burst or spread out. */
export interface RateLimitPolicy {
  readonly limit: number;
  readonly periodMs: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Until the quota is whole again (RateLimit-Reset). */
  readonly resetMs: number;
  /** Until the next request would be allowed; 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * GCRA (generic cell rate algorithm): one stored number per key, the theoretical arrival time
 * (TAT). Each request moves TAT on by `period / limit`; a request is allowed while TAT stays
 * within one period of now. A burst of exactly `limit` passes from a full quota, then one
 * request per emission interval. Redis and in-memory limiters share this function's arithmetic.
 */
export function gcra(
  storedTat: number | undefined,
  now: number,
  policy: RateLimitPolicy,
): { decision: RateLimitDecision; newTat: number | undefined } {
  const interval = policy.periodMs / policy.limit;
  const tat = storedTat === undefined || storedTat < now ? now : storedTat;
  const newTat = tat + interval;
  const allowAt = newTat - policy.periodMs;
  if (now < allowAt) {
    return {
      decision: {
        allowed: false,
        limit: policy.limit,
        remaining: 0,
        resetMs: tat - now,
        retryAfterMs: allowAt - now,
      },
      newTat: undefined,
    };
  }
  return {
    decision: {
      allowed: true,
      limit: policy.limit,
      remaining: Math.floor((policy.periodMs - (newTat - now)) / interval + 1e-9),
      resetMs: newTat - now,
      retryAfterMs: 0,
    },
    newTat,
  };
}

export interface RateLimiter {
  /** The decision, at once when it needs no I/O. */
  consume(key: string, policy: RateLimitPolicy): RateLimitDecision | Promise<RateLimitDecision>;
  close(): Promise<void>;
}
