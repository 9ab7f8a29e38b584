/*
 * The sales read model's keys and its one write script. Applying an event is a Lua script, not
 * MULTI: the processed-id check must decide whether the counters move, and MULTI cannot branch on
 * a value read inside it (WATCH/retry could, at the cost of round trips and retries under load).
 * The script checks the id, moves every line's figures and records the id in one atomic step, so a
 * crash or a redelivery can never count an event twice or record an id whose figures were lost.
 *
 * Processed ids are a sorted set scored by a per-read-model sequence, trimmed to the most recent
 * `kept`: bounded by count rather than by time, so a burst cannot grow it past a known size, and a
 * redelivery (Kafka resends what came after the group's last commit, a few hundred at most) stays
 * far inside the window. A rebuild clears the ids with the figures and replays from the start.
 *
 * Every key carries the one hash tag `{sales}`, so the script's keys share a slot on Redis Cluster.
 */

export interface SalesKeys {
  /** Scanned (and unlinked) by clear(): every key of this read model starts with it. */
  readonly all: string;
  readonly processed: string;
  readonly sequence: string;
  readonly courses: string;
  course(courseId: string): string;
  instructor(instructorId: string): string;
}

export function salesKeys(prefix: string): SalesKeys {
  const base = `${prefix}{sales}:`;
  return {
    all: base,
    processed: `${base}processed`,
    sequence: `${base}sequence`,
    courses: `${base}courses`,
    course: (courseId) => `${base}course:${courseId}`,
    instructor: (instructorId) => `${base}instructor:${instructorId}`,
  };
}

/** ARGV values per order line, after the three leading ones (event id, kind, ids kept). */
export const ARGS_PER_LINE = 5;

/**
 * KEYS: processed, sequence, courses, then per line its course hash and its instructor's set.
 * ARGV: event id, 'paid' or 'refunded', ids kept, then per line courseId, instructorId, title,
 * currency, amount. Answers 1 when applied, 0 when the event id was already counted.
 */
export const APPLY_SALE_CHANGE = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local paid = ARGV[2] == 'paid'
for i = 1, (#KEYS - 3) / 2 do
  local course = KEYS[2 + 2 * i]
  local instructor = KEYS[3 + 2 * i]
  local a = 3 + (i - 1) * ${ARGS_PER_LINE}
  local courseId = ARGV[a + 1]
  redis.call('HSET', course, 'courseId', courseId, 'instructorId', ARGV[a + 2], 'title', ARGV[a + 3])
  local amount = tonumber(ARGV[a + 5])
  if paid then
    redis.call('HINCRBY', course, 'paidOrders', 1)
  else
    redis.call('HINCRBY', course, 'refundedOrders', 1)
    amount = -amount
  end
  redis.call('HINCRBY', course, 'revenue:' .. ARGV[a + 4], amount)
  redis.call('SADD', instructor, courseId)
  redis.call('SADD', KEYS[3], courseId)
end
local sequence = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], sequence, ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
return 1`;
