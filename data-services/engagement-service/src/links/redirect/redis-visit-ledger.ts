import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MAX_VISITS_PER_EVENT } from '@strata/links';
import { queuedBatchesOf, queuedLinkNameOf } from './queued-visit.ts';
import type { LedgerLink, QueuedVisits, VisitLedger, VisitQueue, VisitSettled } from './visit-ledger.ts';

/** How long a process's last group commit is remembered for a repeat of it (see RECORD_BATCH). */
const COMMIT_MEMORY_MS = 10 * 60_000;

// One call per group commit, atomic: no two instances can both take a link's last visit.
// KEYS[1] the visit stream, KEYS[1 + j] batch j's link's count, the last key the process's commit
// memory. A commit run once already answers what it answered then and changes nothing: ioredis
// sends a command again after a reconnect when its answer was lost with the connection, and
// counting its visits twice would use up a cap with visits never answered. A process has one
// commit in flight at a time and sends the next only once that one is settled, so only its last
// commit can come again: one key per process holds that commit's number and answers (a key per
// commit, kept ten minutes, left ~1.8 million keys in Redis at bench:redirect's rate). ARGV[1] the
// number of batches (a batch: one link copy's visits), the last ARGV the commit's number; between
// them, per batch its cap (0: none), its number of visits n, its name (queuedLinkNameOf) and its
// n visits' JSON in arrival order as one argument, joined by commas. Per batch: the first
// `granted` visits (all of them without a cap, at most what is left of it with one) are counted
// and queued, the rest neither; the answer is each batch's count before it. The commit's granted
// visits go to the stream as one entry, a field per batch: its name and a tab and how many it
// holds, then their JSON (ADR 0061). Only a batch whose cap runs out is looked into, to cut it
// after the `}` that closes its last granted visit (a visit's JSON holds no other).
const RECORD_BATCH = `
local memory = KEYS[#KEYS]
local commit = ARGV[#ARGV]
local last = redis.call('GET', memory)
if last then
  local space = string.find(last, ' ', 1, true)
  if string.sub(last, 1, space - 1) == commit then return cjson.decode(string.sub(last, space + 1)) end
end
local fields = {}
local answers = {}
for batch = 1, tonumber(ARGV[1]) do
  local at = batch * 4 - 2
  local cap = tonumber(ARGV[at])
  local n = tonumber(ARGV[at + 1])
  local visits = ARGV[at + 3]
  local before
  local granted = n
  if cap > 0 then
    before = tonumber(redis.call('GET', KEYS[1 + batch]) or '0')
    granted = math.max(0, math.min(n, cap - before))
    if granted > 0 then redis.call('INCRBY', KEYS[1 + batch], granted) end
  else
    before = redis.call('INCRBY', KEYS[1 + batch], n) - n
  end
  if granted == n then
    fields[#fields + 1] = ARGV[at + 2] .. '\t' .. n
    fields[#fields + 1] = visits
  elseif granted > 0 then
    local stop = 0
    for _ = 1, granted do stop = string.find(visits, '}', stop + 1, true) end
    fields[#fields + 1] = ARGV[at + 2] .. '\t' .. granted
    fields[#fields + 1] = string.sub(visits, 1, stop)
  end
  answers[batch] = before
end
if #fields > 0 then redis.call('XADD', KEYS[1], '*', unpack(fields)) end
redis.call('SET', memory, commit .. ' ' .. cjson.encode(answers), 'PX', ${COMMIT_MEMORY_MS})
return answers`;

type LedgerRedis = Redis & {
  linkVisits(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
};

/** The consumer group every redirect instance ships visits in; an entry is someone's until acked. */
const VISIT_SHIPPERS_GROUP = 'visit-shippers';
/** A visit taken by an instance that died is taken over after this long without an acknowledgement. */
const CLAIM_IDLE_MS = 30_000;
/**
 * Visits per Redis call at most; more wait for the next call (one is in flight at a time). No more
 * than a LinkVisitsRecorded holds, so the shipper never cuts a batch.
 */
const MAX_BATCH = MAX_VISITS_PER_EVENT;
/** How long close() waits for the last commits. */
const CLOSE_WAIT_MS = 5_000;

interface PendingVisit {
  readonly link: LedgerLink;
  readonly visit: string;
  readonly settled: VisitSettled;
}

/**
 * Distributed mode: a count per link (`<prefix>links:visits:<linkId>`) and one stream of visits
 * (`<prefix>links:visit-stream`) every redirect instance adds to and ships from in a consumer
 * group: an entry taken by an instance that died before the broker acknowledged it is claimed by
 * another after CLAIM_IDLE_MS. At least once, never lost.
 *
 * Visits are committed in groups: the visits that arrive while one call is in flight (or in the
 * same turn of the event loop) go together in the next, one Lua call for all of them (ADR 0026).
 * Every visit still waits for the call that keeps it, so nothing answered is lost, and a cap
 * stays exact: Redis grants a link's visits in the order they came, across instances. A failed
 * call fails its visits openly (503, nothing counted or queued by it unless Redis ran it).
 */
export class RedisVisitLedger implements VisitLedger, VisitQueue {
  readonly #redis: LedgerRedis;
  readonly #reader: Redis | undefined;
  readonly #prefix: string;
  readonly #consumer: string;
  readonly #stream: string;
  #pending: PendingVisit[] = [];
  #committing = false;
  #scheduled = false;
  #drained: (() => void) | undefined;
  #pendingFirst = true;
  #lastClaim = 0;
  /** This process's last commit, remembered: a random part, so a restarted instance has its own. */
  readonly #commitMemory: string;
  #commits = 0;

  private constructor(redis: Redis, reader: Redis | undefined, prefix: string, consumer: string) {
    this.#redis = redis as LedgerRedis;
    this.#reader = reader;
    this.#prefix = prefix;
    this.#consumer = consumer;
    this.#stream = `${prefix}links:visit-stream`;
    this.#commitMemory = `${prefix}links:commit:${randomUUID()}`;
    this.#redis.defineCommand('linkVisits', { lua: RECORD_BATCH });
  }

  /**
   * `reader` is a connection of its own: it blocks on the stream while `redis` serves visits.
   * Without one the ledger records and cannot be taken from (the serving thread's ledger; the
   * link events thread ships).
   */
  static async open(
    redis: Redis,
    reader: Redis | undefined,
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

  record(link: LedgerLink, visit: string, settled: VisitSettled): void {
    this.#pending.push({ link, visit, settled });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#committing || this.#scheduled) return;
    this.#scheduled = true;
    // After this turn's other requests were read: they join the same call.
    setImmediate(this.#commit);
  }

  readonly #commit = (): void => {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    let batch = this.#pending;
    if (batch.length > MAX_BATCH) {
      this.#pending = batch.slice(MAX_BATCH);
      batch = batch.slice(0, MAX_BATCH);
    } else {
      this.#pending = [];
    }
    this.#committing = true;
    // By link copy (a link changed within the commit has two), each one's visits in arrival order.
    const byLink = new Map<LedgerLink, PendingVisit[]>();
    for (const pending of batch) {
      const visits = byLink.get(pending.link);
      if (visits === undefined) byLink.set(pending.link, [pending]);
      else visits.push(pending);
    }
    const keptAt = new Date().toISOString();
    const keys: string[] = [this.#stream];
    const args: (string | number)[] = [byLink.size];
    for (const [link, visits] of byLink) {
      keys.push(`${this.#prefix}links:visits:${link.linkId}`);
      // One argument per link, not per visit: ioredis encodes, and Lua receives, a few strings.
      let json = visits[0]!.visit;
      for (let index = 1; index < visits.length; index += 1) json += `,${visits[index]!.visit}`;
      args.push(
        link.maxVisits ?? 0,
        visits.length,
        queuedLinkNameOf(link.linkId, link.version, link.slug, keptAt),
        json,
      );
    }
    keys.push(this.#commitMemory);
    args.push((this.#commits += 1));
    this.#redis.linkVisits(keys.length, ...keys, ...args).then(
      (befores) => {
        let link = 0;
        for (const visits of byLink.values()) {
          const before = Number(befores[link++]);
          for (let index = 0; index < visits.length; index += 1) visits[index]!.settled(null, before + index);
        }
        this.#next();
      },
      (error: unknown) => {
        const failed = error instanceof Error ? error : new Error(String(error));
        for (const pending of batch) pending.settled(failed, 0);
        this.#next();
      },
    );
  };

  #next(): void {
    this.#committing = false;
    if (this.#pending.length > 0) this.#commit();
    else this.#drained?.();
  }

  async take(count: number, waitMs: number): Promise<QueuedVisits[]> {
    // First what this consumer took and did not acknowledge (a publish that failed), then what
    // another left behind, then new visits.
    if (this.#pendingFirst) {
      const mine = await this.#read(count, '0', undefined);
      if (mine.length > 0) return mine;
      this.#pendingFirst = false;
    }
    if (Date.now() - this.#lastClaim > CLAIM_IDLE_MS) {
      this.#lastClaim = Date.now();
      // As bytes, like #read (ioredis types no xautoclaimBuffer).
      const claimed = (await this.#readerOrFail().callBuffer(
        'XAUTOCLAIM',
        this.#stream,
        VISIT_SHIPPERS_GROUP,
        this.#consumer,
        CLAIM_IDLE_MS,
        '0',
        'COUNT',
        count,
      )) as [Buffer, [Buffer, Buffer[]][]];
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
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while ((this.#committing || this.#scheduled || this.#pending.length > 0) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#drained = undefined;
    }
    this.#reader?.disconnect();
  }

  #readerOrFail(): Redis {
    if (this.#reader === undefined) throw new Error('this visit ledger was opened without a reader');
    return this.#reader;
  }

  async #read(count: number, from: string, blockMs: number | undefined): Promise<QueuedVisits[]> {
    const args: (string | number)[] = ['GROUP', VISIT_SHIPPERS_GROUP, this.#consumer, 'COUNT', count];
    if (blockMs !== undefined && blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', this.#stream, from);
    const reader = this.#readerOrFail();
    // As bytes: the visits' JSON is shipped as it was queued, never decoded (ADR 0061).
    const answer = (await (reader.xreadgroupBuffer.bind(reader) as (...a: unknown[]) => Promise<unknown>)(
      ...args,
    )) as [Buffer, [Buffer, Buffer[] | null][]][] | null;
    return answer === null ? [] : entriesOf(answer[0]![1]);
  }
}

function entriesOf(entries: [Buffer, Buffer[] | null][]): QueuedVisits[] {
  // An entry deleted while pending comes back with no fields: nothing to ship, acknowledge it.
  return entries.map(([handle, fields]) => ({
    handle: handle.toString(),
    batches: queuedBatchesOf(fields ?? []),
  }));
}
