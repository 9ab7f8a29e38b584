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
    if (exchange.route!.plugins.rateLimit === undefined) return undefined;
    return this.#consume(exchange);
  }

  async #consume(exchange: Exchange): Promise<Verdict> {
    const route = exchange.route!;
    const rateLimit = route.plugins.rateLimit!;
    const consumer =
      exchange.identity !== undefined
        ? `user:${exchange.identity.userId}`
        : `ip:${exchange.req.socket.remoteAddress ?? 'unknown'}`;
    let decision: RateLimitDecision;
    try {
      decision = await this.#limiter.consume(`${route.name}:${consumer}`, {
        limit: rateLimit.limit,
        periodMs: rateLimit.periodSeconds * 1000,
      });
    } catch (error) {
      if (error instanceof RateLimitStoreUnavailable) return storeDown;
      throw error;
    }
    const headers = exchange.responseHeaders;
    headers['ratelimit-limit'] = String(decision.limit);
    headers['ratelimit-remaining'] = String(decision.remaining);
    headers['ratelimit-reset'] = String(Math.ceil(decision.resetMs / 1000));
    if (decision.allowed) return undefined;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    return problem(
      429,
      'rate-limited',
      'Too Many Requests',
      `route ${route.name} allows ${decision.limit} requests per ${rateLimit.periodSeconds} s; retry after ${retryAfter} s`,
      { 'retry-after': String(retryAfter) },
    );
  }
}
