/**
 * Client-side rate limit for one target service. cockatiel has no rate limiter, and the npm
 * token-bucket packages wait for a token asynchronously; a caller here must be refused at once
 * with RATE_LIMITED (its deadline is ticking and the server is the thing being protected), which
 * is a dozen lines of arithmetic, so it is written here.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  /** `now` is injectable so tests can move time without sleeping. */
  constructor(options: { ratePerSecond: number; burst: number; now?: () => number }) {
    if (!(options.ratePerSecond > 0))
      throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    if (!(options.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${options.burst}`);
    this.#ratePerMs = options.ratePerSecond / 1000;
    this.#burst = options.burst;
    this.#now = options.now ?? Date.now;
    this.#tokens = options.burst;
    this.#updatedAt = this.#now();
  }

  /** Takes a token if one is there; never waits. */
  tryTake(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#ratePerMs);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
