import { gcra, type RateLimitDecision, type RateLimiter, type RateLimitPolicy } from './rate-limiter.ts';

/** Embedded mode: one gateway, so the TATs live in a map; expired entries are swept as they are met. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #tats = new Map<string, number>();
  readonly #now: () => number;
  #consumed = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  consume(key: string, policy: RateLimitPolicy): RateLimitDecision {
    const now = this.#now();
    const { decision, newTat } = gcra(this.#tats.get(key), now, policy);
    if (newTat !== undefined) this.#tats.set(key, newTat);
    if (++this.#consumed % 10_000 === 0) this.#sweep(now);
    return decision;
  }

  async close(): Promise<void> {
    this.#tats.clear();
  }

  #sweep(now: number): void {
    for (const [key, tat] of this.#tats) if (tat <= now) this.#tats.delete(key);
  }
}
