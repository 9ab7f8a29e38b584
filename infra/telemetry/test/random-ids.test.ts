import { describe, expect, it, jest } from '@jest/globals';
import { randomPool, takeRandomBytes } from '@strata/shared-kernel';
import { pooledIdGenerator, randomHexId, writeRandomHexId } from '../src/random-ids.ts';

// The ids come from the shared kernel's pool, which refills from the global crypto. Its first
// refill here is all zeros, so an id taken from it must be skipped; later refills are random.
let refills = 0;
const getRandomValues = crypto.getRandomValues.bind(crypto) as (array: Uint8Array) => Uint8Array;
jest.spyOn(crypto, 'getRandomValues').mockImplementation(((array: Uint8Array) => {
  refills += 1;
  return refills === 1 ? array.fill(0) : getRandomValues(array);
}) as typeof crypto.getRandomValues);

describe('random trace and span ids from a pool (ADR 0087)', () => {
  it('are never all zeros, even when the random bytes are', () => {
    const first = randomHexId(32);
    expect(first).not.toBe('0'.repeat(32));
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(refills).toBe(2);
  });

  it('are lowercase hex of the W3C lengths, and do not repeat across refills', () => {
    const traceIds = Array.from({ length: 5_000 }, () => pooledIdGenerator.generateTraceId());
    const spanIds = Array.from({ length: 5_000 }, () => pooledIdGenerator.generateSpanId());
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(traceIds).size).toBe(traceIds.length);
    expect(new Set(spanIds).size).toBe(spanIds.length);
    expect(refills).toBeGreaterThan(10);
  });

  it('writes an id into a buffer at an offset, as ASCII, leaving the bytes around it as they were', () => {
    const target = Buffer.from(`00-${'-'.repeat(32)}-${'-'.repeat(16)}-00`, 'latin1');
    writeRandomHexId(target, 3, 32);
    writeRandomHexId(target, 36, 16);
    expect(target.toString('latin1')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it("draw from the shared kernel's one pool, which newId draws from too", () => {
    takeRandomBytes(4096);
    const id = randomHexId(32);
    expect(id).toBe(Buffer.from(randomPool.subarray(0, 16)).toString('hex'));
    expect(takeRandomBytes(8)).toBe(16);
  });
});
