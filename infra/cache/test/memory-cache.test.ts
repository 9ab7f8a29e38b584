import { describe, expect, it } from '@jest/globals';
import { CacheArgumentError, MemoryCache } from '../src/index.ts';

describe('the in-memory cache', () => {
  it('holds at most maxEntries, evicting the least recently used first', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    await cache.set('a', 'A', { ttlMs: 60_000 });
    await cache.set('b', 'B', { ttlMs: 60_000 });
    await cache.set('c', 'C', { ttlMs: 60_000 });
    expect(await cache.get('a')).toBe('A'); // a is now the most recently used, b the least
    await cache.getOrLoad('d', async () => 'D', { ttlMs: 60_000 });

    expect(cache.size).toBe(3);
    expect(await cache.get('b')).toBeUndefined();
    expect([await cache.get('a'), await cache.get('c'), await cache.get('d')]).toEqual(['A', 'C', 'D']);
  });

  it('keeps its bound under many distinct keys', async () => {
    const cache = new MemoryCache({ maxEntries: 50 });
    for (let index = 0; index < 1_000; index += 1) {
      await cache.getOrLoad(`course:${index}`, async () => ({ index }), { ttlMs: 60_000 });
    }
    expect(cache.size).toBe(50);
    expect(await cache.get('course:999')).toEqual({ index: 999 });
    expect(await cache.get('course:0')).toBeUndefined();
  });

  it('hands out copies, so a caller mutating its value cannot change the cache', async () => {
    const cache = new MemoryCache({ maxEntries: 10 });
    const first = await cache.getOrLoad('course:1', async () => ({ title: 'original' }), { ttlMs: 60_000 });
    first.title = 'mutated by a caller';
    expect(await cache.get('course:1')).toEqual({ title: 'original' });
  });

  it('refuses a missing or non-positive entry bound, naming the field', () => {
    expect(() => new MemoryCache({ maxEntries: 0 })).toThrow(CacheArgumentError);
    expect(() => new MemoryCache({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryCache({ maxEntries: 10, ttlJitter: 2 })).toThrow(/ttlJitter/);
  });
});
