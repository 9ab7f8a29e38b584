import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { isUuidV7, newId } from '@strata/shared-kernel';

/** The 48-bit millisecond timestamp of a v7 id. */
const msOf = (id: string): number => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
/** The 62 bits after the version and variant that are not the counter's: the random tail. */
const tailOf = (id: string): string => id.replaceAll('-', '').slice(20);

describe('newId (uuid v7 from a pool of random bytes)', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('gives valid, unique, strictly increasing ids across many refills of the pool', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(ids.every((id) => isUuidV7(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (let index = 1; index < ids.length; index += 1) {
      expect((ids[index - 1] as string) < (ids[index] as string)).toBe(true);
    }
  });

  it('never hands out the same random bytes twice', () => {
    const tails = Array.from({ length: 2_000 }, () => tailOf(newId()));
    expect(new Set(tails).size).toBe(tails.length);
  });

  it('carries the clock in its first 48 bits', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    expect(msOf(newId())).toBe(Date.UTC(2030, 0, 1));
  });

  it('counts up within one millisecond and when the clock goes back, never sorting before the last id', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2031, 0, 1));
    const sameMs = Array.from({ length: 1_000 }, () => newId());
    now.mockReturnValue(Date.UTC(2031, 0, 1) - 5_000);
    const afterStep = newId();
    const all = [...sameMs, afterStep];
    for (let index = 1; index < all.length; index += 1) {
      expect((all[index - 1] as string) < (all[index] as string)).toBe(true);
    }
    expect(msOf(afterStep)).toBeGreaterThanOrEqual(Date.UTC(2031, 0, 1));
  });
});
