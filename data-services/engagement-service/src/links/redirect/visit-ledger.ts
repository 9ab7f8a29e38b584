import type { Redis } from 'ioredis';

/**
 * Where visits are counted and queued for shipping, in one atomic step per visit. `record` answers
 * how many visits the link had been granted before this one (`visitsSoFar` of resolveLink): with a
 * cap of N, the visits answered 0 … N−1 are granted and queued, every later one answers N or more
 * and is neither counted nor queued. No database is written: the hottest path of the platform
 * waits for one Redis round trip (distributed) or nothing (embedded).
 */
export interface VisitLedger {
  record(linkId: string, maxVisits: number | null, visit: string): Promise<number>;
  close(): Promise<void>;
}

/** The queue of visits not yet shipped, as the shipper drains it. */
export interface VisitQueue {
  /** Up to `count` queued visits (oldest first), each with the handle `acknowledge` takes. */
  take(count: number, waitMs: number): Promise<{ handle: string; visit: string }[]>;
  /** Removes visits the broker acknowledged. */
  acknowledge(handles: readonly string[]): Promise<void>;
}

/** Embedded mode: counts and queue in this process (it is the only one serving the short domain). */
export class MemoryVisitLedger implements VisitLedger, VisitQueue {
  readonly #counts = new Map<string, number>();
  readonly #queue: { handle: string; visit: string }[] = [];
  #taken = 0;
  #sequence = 0;
  #wake: (() => void) | undefined;

  async record(linkId: string, maxVisits: number | null, visit: string): Promise<number> {
    const before = this.#counts.get(linkId) ?? 0;
    if (maxVisits !== null && before >= maxVisits) return before;
    this.#counts.set(linkId, before + 1);
    this.#queue.push({ handle: String((this.#sequence += 1)), visit });
    this.#wake?.();
    return before;
  }

  async take(count: number, waitMs: number): Promise<{ handle: string; visit: string }[]> {
    if (this.#queue.length === this.#taken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    const batch = this.#queue.slice(this.#taken, this.#taken + count);
    this.#taken += batch.length;
    return batch;
  }

  async acknowledge(handles: readonly string[]): Promise<void> {
    const done = new Set(handles);
    let removed = 0;
    for (let index = this.#queue.length - 1; index >= 0; index -= 1) {
      if (done.has(this.#queue[index]!.handle)) {
        this.#queue.splice(index, 1);
        if (index < this.#taken) removed += 1;
      }
    }
    this.#taken -= removed;
  }

  /** Puts taken but unacknowledged visits back at the front: the broker refused them. */
  release(): void {
    this.#taken = 0;
  }

  async close(): Promise<void> {
    this.#wake?.();
  }
}

// KEYS[1] the link's count, KEYS[2] the visit stream; ARGV[1] the cap (0: none), ARGV[2] the visit.
// Read, compare, count and queue in one script: no two instances can both take the last visit.
const RECORD = `
local cap = tonumber(ARGV[1])
if cap > 0 then
  local before = tonumber(redis.call('GET', KEYS[1]) or '0')
  if before >= cap then return before end
end
local after = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], '*', 'v', ARGV[2])
return after - 1`;

type LedgerRedis = Redis & {
  linkVisit(countKey: string, streamKey: string, cap: number, visit: string): Promise<number>;
};

/** The consumer group every redirect instance ships visits in; an entry is someone's until acked. */
export const VISIT_SHIPPERS_GROUP = 'visit-shippers';
/** A visit taken by an instance that died is taken over after this long without an acknowledgement. */
const CLAIM_IDLE_MS = 30_000;

/**
 * Distributed mode: a count per link (`<prefix>links:visits:<linkId>`, kept as long as the link
 * may be capped) and one stream of visits (`<prefix>links:visit-stream`) every redirect instance
 * adds to and ships from in a consumer group: a visit taken by an instance that died before the
 * broker acknowledged it is claimed by another after CLAIM_IDLE_MS. At least once, never lost.
 */
export class RedisVisitLedger implements VisitLedger, VisitQueue {
  readonly #redis: LedgerRedis;
  readonly #reader: Redis;
  readonly #prefix: string;
  readonly #consumer: string;
  readonly #stream: string;
  #pendingFirst = true;
  #lastClaim = 0;

  private constructor(redis: Redis, reader: Redis, prefix: string, consumer: string) {
    this.#redis = redis as LedgerRedis;
    this.#reader = reader;
    this.#prefix = prefix;
    this.#consumer = consumer;
    this.#stream = `${prefix}links:visit-stream`;
    this.#redis.defineCommand('linkVisit', { numberOfKeys: 2, lua: RECORD });
  }

  /** `reader` is a connection of its own: it blocks on the stream while `redis` serves visits. */
  static async open(
    redis: Redis,
    reader: Redis,
    prefix: string,
    consumer: string,
  ): Promise<RedisVisitLedger> {
    const ledger = new RedisVisitLedger(redis, reader, prefix, consumer);
    try {
      await redis.xgroup('CREATE', ledger.#stream, VISIT_SHIPPERS_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
    return ledger;
  }

  record(linkId: string, maxVisits: number | null, visit: string): Promise<number> {
    return this.#redis.linkVisit(
      `${this.#prefix}links:visits:${linkId}`,
      this.#stream,
      maxVisits ?? 0,
      visit,
    );
  }

  async take(count: number, waitMs: number): Promise<{ handle: string; visit: string }[]> {
    // First what this consumer took and did not acknowledge (a publish that failed), then what
    // another left behind, then new visits.
    if (this.#pendingFirst) {
      const mine = await this.#read(count, '0', undefined);
      if (mine.length > 0) return mine;
      this.#pendingFirst = false;
    }
    if (Date.now() - this.#lastClaim > CLAIM_IDLE_MS) {
      this.#lastClaim = Date.now();
      const claimed = (await this.#reader.xautoclaim(
        this.#stream,
        VISIT_SHIPPERS_GROUP,
        this.#consumer,
        CLAIM_IDLE_MS,
        '0',
        'COUNT',
        count,
      )) as [string, [string, string[]][]];
      const visits = entriesOf(claimed[1]);
      if (visits.length > 0) return visits;
    }
    return this.#read(count, '>', waitMs);
  }

  async acknowledge(handles: readonly string[]): Promise<void> {
    if (handles.length === 0) return;
    await this.#redis
      .multi()
      .xack(this.#stream, VISIT_SHIPPERS_GROUP, ...handles)
      .xdel(this.#stream, ...handles)
      .exec();
  }

  release(): void {
    this.#pendingFirst = true;
  }

  async close(): Promise<void> {
    this.#reader.disconnect();
  }

  async #read(count: number, from: string, blockMs: number | undefined) {
    const args: (string | number)[] = ['GROUP', VISIT_SHIPPERS_GROUP, this.#consumer, 'COUNT', count];
    if (blockMs !== undefined && blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', this.#stream, from);
    const answer = (await (this.#reader.xreadgroup as (...a: unknown[]) => Promise<unknown>)(...args)) as
      [string, [string, string[] | null][]][] | null;
    return answer === null ? [] : entriesOf(answer[0]![1]);
  }
}

function entriesOf(entries: [string, string[] | null][]): { handle: string; visit: string }[] {
  // An entry deleted while pending comes back with no fields: nothing to ship, acknowledge it.
  return entries.map(([handle, fields]) => ({ handle, visit: fields?.[1] ?? '' }));
}
