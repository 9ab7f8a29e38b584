import { z } from '@strata/shared-kernel';

/** The slice of a pino logger the cache uses; pass the service's own logger. */
export interface CacheLogger {
  warn(fields: object, message: string): void;
}

export const cacheLoggerSchema = z.custom<CacheLogger>(
  (value) => typeof value === 'object' && value !== null && typeof (value as CacheLogger).warn === 'function',
  'expected a logger with a warn(fields, message) method, e.g. a pino logger',
);

/**
 * While Redis is down every read fails the same way; one line per operation kind per window (with
 * how many were suppressed) tells the operator everything without flooding the log.
 */
export class RateLimitedWarnings {
  readonly #logger: CacheLogger;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { openedAt: number; suppressed: number }>();

  constructor(logger: CacheLogger, windowMs: number, now: () => number = Date.now) {
    this.#logger = logger;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  warn(kind: string, fields: object, message: string): void {
    const now = this.#now();
    const window = this.#windows.get(kind);
    if (window && now - window.openedAt < this.#windowMs) {
      window.suppressed += 1;
      return;
    }
    this.#windows.set(kind, { openedAt: now, suppressed: 0 });
    this.#logger.warn({ ...fields, kind, suppressedSinceLast: window?.suppressed ?? 0 }, message);
  }
}
