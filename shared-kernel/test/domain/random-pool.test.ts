import { describe, expect, it } from '@jest/globals';
import { newId, randomPool, takeRandomBytes } from '@strata/shared-kernel';

// The process's one pool of random bytes (ADR 0087): every id of the platform draws from it, so
// what one caller takes no other may be given, and a refill happens only when the pool runs out.

const hexOf = (from: number, to: number): string =>
  Array.from(randomPool.subarray(from, to), (byte) => byte.toString(16).padStart(2, '0')).join('');

describe('the random pool', () => {
  it('hands out each byte once, one region after the other, and refills only when the pool runs out', () => {
    takeRandomBytes(4096);
    const first = takeRandomBytes(16);
    const before = randomPool.slice(first, first + 16);
    const second = takeRandomBytes(100);
    expect(first).toBe(0);
    expect(second).toBe(16);
    // Taking from the same pool did not write over what was handed out before.
    expect(randomPool.slice(first, first + 16)).toEqual(before);
    expect(takeRandomBytes(4096 - 116)).toBe(116);
    expect(takeRandomBytes(1)).toBe(0);
  });

  it('gives bytes that differ from refill to refill', () => {
    const pools = Array.from({ length: 3 }, () => {
      takeRandomBytes(4096);
      return hexOf(0, 4096);
    });
    expect(new Set(pools).size).toBe(3);
    expect(pools[0]).not.toBe('00'.repeat(4096));
  });

  it('refuses more bytes than it holds', () => {
    expect(() => takeRandomBytes(4097)).toThrow(RangeError);
  });

  it('is what newId draws from: its last 40 random bits are the pool bytes it took', () => {
    takeRandomBytes(4096);
    const id = newId();
    // From a new pool: 4 bytes for its counter when its millisecond was new (else none), then 6,
    // the first of which gives 2 bits.
    const tail = id.replaceAll('-', '').slice(22);
    expect([hexOf(5, 10), hexOf(1, 6)]).toContain(tail);
  });
});
