import type { Redis } from 'ioredis';

/**
 * The same GCRA as `gcra()` in rate-limiter.ts, run inside Redis so that every gateway instance
 * reads and moves one TAT per key in one atomic round trip. The clock is Redis's TIME, not the
 * gateways': two gateways with skewed clocks still share one timeline.
 *
 * It decides `count` cells of one key at once, exactly as `count` calls one after the other at the
 * same instant would: the first `allowed` of them pass (as many cells as fit before TAT runs a
 * period ahead), the rest are refused. `returned` cells, granted earlier and never spent, are
 * given back first (TAT moves back by them, never before now). Returns the number allowed, the
 * remaining allowance and TAT − now after them, until the next cell frees, and the interval.
 */
export const gcraScript = `
local period = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local returned = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat ~= nil then tat = tat - returned * interval end
if tat == nil or tat < now then tat = now end
local allowed = math.floor((now + period - tat) / interval + 1e-9)
if allowed > count then allowed = count end
if allowed < 0 then allowed = 0 end
local new_tat = tat + allowed * interval
if allowed > 0 or returned > 0 then
  redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now) + 1)
end
local remaining = math.floor((period - (new_tat - now)) / interval + 1e-9)
if remaining < 0 then remaining = 0 end
return {allowed, remaining, tostring(new_tat - now), tostring(new_tat + interval - period - now), tostring(interval)}
`;

export type GcraReply = [number, number, string, string, string];

export interface GcraRedis extends Redis {
  strataGcra(
    key: string,
    periodMs: number,
    limit: number,
    count: number,
    returned: number,
  ): Promise<GcraReply>;
}

/** A pipeline's commands answer through exec(), in order. */
export interface GcraPipeline {
  strataGcra(key: string, periodMs: number, limit: number, count: number, returned: number): GcraPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
}
