import { describe, expect, it, jest } from '@jest/globals';

// The pool's first refill is all zeros, so an id taken from it must be skipped; later refills are random.
let refills = 0;
const crypto = await import('node:crypto');
jest.unstable_mockModule('node:crypto', () => ({
  ...crypto,
  randomFillSync: (buffer: Buffer) => {
    refills += 1;
    return refills === 1 ? buffer.fill(0) : crypto.randomFillSync(buffer);
  },
}));
const { pooledIdGenerator, randomHexId, writeRandomHexId } = await import('../src/random-ids.ts');

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
});
