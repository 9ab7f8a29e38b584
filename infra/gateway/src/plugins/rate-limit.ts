import type { Exchange } from '../exchange.ts';
import { problem } from '../problem.ts';
import type { RateLimitDecision, RateLimiter } from '../rate-limiter.ts';
import { RateLimitStoreUnavailable } from '../redis-rate-limiter.ts';
import type { GatewayPlugin, Verdict } from './plugin.ts';

const storeDown = problem(
  503,
  'rate-limit-store-down',
  'Service Unavailable',
  'the rate-limit store is unreachable and this gateway fails closed; retry later',
);

/**
 * The route's rate limit, per caller: the verified user when the route has auth (so it runs after
 * the auth plugin), else the client address. Sets the RateLimit headers on every answer and
 * refuses (429) once the caller has used the route's allowance.
 */
export class RateLimitPlugin implements GatewayPlugin {
  readonly name = 'rate-limit';
  readonly #limiter: RateLimiter;

  constructor(limiter: RateLimiter) {
    this.#limiter = limiter;
  }

  access(exchange: Exchange): Verdict | Promise<Verdict> {
    const rateLimit = exchange.route!.plugins.rateLimit;
    if (rateLimit === undefined) return undefined;
    const consumer =
      exchange.identity !== undefined
        ? `user:${exchange.identity.userId}`
        : `ip:${exchange.req.socket.remoteAddress ?? 'unknown'}`;
    let decided: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      decided = this.#limiter.consume(`${exchange.route!.name}:${consumer}`, {
        limit: rateLimit.limit,
        periodMs: rateLimit.periodSeconds * 1000,
      });
    } catch (error) {
      return unavailable(error);
    }
    // A leased cell is decided at once: no promise for the request to wait on.
    return decided instanceof Promise
      ? decided.then((decision) => verdict(exchange, decision), unavailable)
      : verdict(exchange, decided);
  }
}

function unavailable(error: unknown): Verdict {
  if (error instanceof RateLimitStoreUnavailable) return storeDown;
  throw error;
}

/** Sets the RateLimit headers on the answer, and refuses once the allowance is used. */
function verdict(exchange: Exchange, decision: RateLimitDecision): Verdict {
  const headers = exchange.responseHeaders;
  headers['ratelimit-limit'] = String(decision.limit);
  headers['ratelimit-remaining'] = String(decision.remaining);
  headers['ratelimit-reset'] = String(Math.ceil(decision.resetMs / 1000));
  if (decision.allowed) return undefined;
  const route = exchange.route!;
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return problem(
    429,
    'rate-limited',
    'Too Many Requests',
    `route ${route.name} allows ${decision.limit} requests per ${route.plugins.rateLimit!.periodSeconds} s; retry after ${retryAfter} s`,
    { 'retry-after': String(retryAfter) },
  );
}
