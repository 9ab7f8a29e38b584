import { describe, expect, it } from '@jest/globals';
import { RateLimitedWarnings } from '../src/cache-logger.ts';
import { jitteredTtl } from '../src/ttl-jitter.ts';
import { CapturingLogger } from './cache-test-kit.ts';

describe('rate-limited cache warnings', () => {
  it('logs one warning per kind per window and reports how many it held back', () => {
    const logger = new CapturingLogger();
    let now = 0;
    const warnings = new RateLimitedWarnings(logger, 10_000, () => now);
    for (let failure = 0; failure < 5; failure += 1) warnings.warn('get', { key: 'k' }, 'cache get failed');
    warnings.warn('set', { key: 'k' }, 'cache set failed');
    now = 10_000;
    warnings.warn('get', { key: 'k' }, 'cache get failed');

    expect(
      logger.warnings.map((warning) => [warning.fields.kind, warning.fields.suppressedSinceLast]),
    ).toEqual([
      ['get', 0],
      ['set', 0],
      ['get', 4],
    ]);
  });
});

describe('TTL jitter', () => {
  it('only ever shortens a TTL, by at most the given share', () => {
    expect(jitteredTtl(1_000, 0.1, () => 0)).toBe(1_000);
    expect(jitteredTtl(1_000, 0.1, () => 0.999_999)).toBe(900);
    expect(jitteredTtl(1_000, 0, () => 0.5)).toBe(1_000);
    expect(jitteredTtl(1, 0.5, () => 0.999_999)).toBe(1);
  });
});
