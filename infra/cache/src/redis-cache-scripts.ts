import type { Redis } from 'ioredis';

/*
 * The stale-write fence: `delete` stores a fresh random token under the key's fence key (and
 * removes the value); a load reads the fence before calling the loader and writes its value only
 * if the fence still holds what it read, in one Lua script so nothing can slip between the check
 * and the write. A random token rather than a counter, because the fence key expires (it only
 * matters while a load is under way) and a counter that expired and restarted could come back to
 * the value a slow load read (ABA). Chosen over delete-after-write, which still serves the stale
 * value for a moment and needs the writer to know an invalidation happened.
 */

// Keys of one cache entry share a hash tag, so the scripts touching value and fence also run on Redis Cluster.
export const valueKey = (prefix: string, key: string) => `${prefix}{${key}}`;
export const fenceKey = (prefix: string, key: string) => `${prefix}{${key}}:fence`;
export const lockKey = (prefix: string, key: string) => `${prefix}{${key}}:lock`;

// Longer than any load may take: a load whose fence expired before it wrote would not see the invalidation.
export const FENCE_TTL_MS = 15 * 60_000;

/** KEYS: value, fence, lock. ARGV: the fence read, the value, its TTL, the lock's token ('' if not held). */
export const WRITE_IF_FENCE_UNCHANGED = `
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end
local current = redis.call('GET', KEYS[2]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** KEYS: value, fence, lock. ARGV: the lock's token, its TTL. {1, value} a hit; {2, fence} locked; {0, fence} busy. */
export const READ_OR_LOCK = `
local value = redis.call('GET', KEYS[1])
if value then return {1, value} end
local fence = redis.call('GET', KEYS[2]) or ''
if redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2], 'NX') then return {2, fence} end
return {0, fence}`;

/** KEYS: lock. ARGV: the lock's token. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The scripts as ioredis commands: sent by their SHA (EVALSHA), the text only when Redis lacks it. */
export interface CacheScripts {
  strataCacheReadOrLock(
    value: string,
    fence: string,
    lock: string,
    token: string,
    ttlMs: number,
  ): Promise<[number, string]>;
  strataCacheWrite(
    value: string,
    fence: string,
    lock: string,
    fenceRead: string,
    text: string,
    ttlMs: number,
    token: string,
  ): Promise<number>;
  strataCacheReleaseLock(lock: string, token: string): Promise<number>;
}

export function defineCacheScripts(client: Redis): Redis & CacheScripts {
  client.defineCommand('strataCacheReadOrLock', { numberOfKeys: 3, lua: READ_OR_LOCK });
  client.defineCommand('strataCacheWrite', { numberOfKeys: 3, lua: WRITE_IF_FENCE_UNCHANGED });
  client.defineCommand('strataCacheReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  return client as Redis & CacheScripts;
}
