import { describe, expect, it } from '@jest/globals';
import { isUnsampledTraceparent } from '../src/index.ts';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentId = '00f067aa0ba902b7';

describe('isUnsampledTraceparent', () => {
  it('accepts a valid version-00 traceparent whose sampled flag is off', () => {
    expect(isUnsampledTraceparent(`00-${traceId}-${parentId}-00`)).toBe(true);
    // Other flags may be set; only the lowest bit says sampled.
    expect(isUnsampledTraceparent(`00-${traceId}-${parentId}-02`)).toBe(true);
  });

  it('refuses a sampled one, which the gateway must continue with a span of its own', () => {
    expect(isUnsampledTraceparent(`00-${traceId}-${parentId}-01`)).toBe(false);
    expect(isUnsampledTraceparent(`00-${traceId}-${parentId}-ff`)).toBe(false);
  });

  it('leaves every malformed or other-version value to the propagator', () => {
    for (const value of [
      undefined,
      ['00', traceId],
      '',
      `00-${'0'.repeat(32)}-${parentId}-00`,
      `00-${traceId}-${'0'.repeat(16)}-00`,
      `00-${traceId.toUpperCase()}-${parentId}-00`,
      `01-${traceId}-${parentId}-00`,
      `00-${traceId}-${parentId}-00-extra`,
      `00-${traceId.slice(1)}x-${parentId}-00`,
      `00_${traceId}_${parentId}_00`,
    ])
      expect(isUnsampledTraceparent(value)).toBe(false);
  });
});
