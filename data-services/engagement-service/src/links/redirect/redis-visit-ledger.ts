import type { Redis } from 'ioredis';
import { queuedBatchesOf } from './queued-visit.ts';
import { RECORD_BATCH, VisitGroupCommit } from './visit-group-commit.ts';
import type { LedgerLink, QueuedVisits, VisitLedger, VisitQueue, VisitSettled } from './visit-ledger.ts';

type LedgerRedis = Redis & {
  linkVisits(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
};

/** The consumer group every redirect instance ships visits in; an entry is someone's until acked. */
const VISIT_SHIPPERS_GROUP = 'visit-shippers';
/** A visit taken by an instance that died is taken over after this long without an acknowledgement. */
const CLAIM_IDLE_MS = 30_000;

/**
 * Distributed mode: a count per link (`<prefix>links:visits:<linkId>`) and one stream of visits
 * (`<prefix>links:visit-stream`) every redirect instance adds to and ships from in a consumer
 * group: an entry taken by an instance that died before the broker acknowledged it is claimed by
 * another after CLAIM_IDLE_MS. At least once, never lost. Visits are kept in group commits
 * (VisitGroupCommit) sent through ioredis, which resends a command whose answer a broken
 * connection lost.
 */
export class RedisVisitLedger implements VisitLedger, VisitQueue {
  readonly #redis: LedgerRedis;
  readonly #reader: Redis | undefined;
  readonly #consumer: string;
  readonly #stream: string;
  readonly #commits: VisitGroupCommit;
  #pendingFirst = true;
  #lastClaim = 0;

  private constructor(redis: Redis, reader: Redis | undefined, prefix: string, consumer: string) {
    this.#redis = redis as LedgerRedis;
    this.#reader = reader;
    this.#consumer = consumer;
    this.#stream = `${prefix}links:visit-stream`;
    this.#redis.defineCommand('linkVisits', { lua: RECORD_BATCH });
    this.#commits = new VisitGroupCommit((keys, args, answered) => {
      this.#redis.linkVisits(keys.length, ...keys, ...args).then(
        (befores) => answered(null, befores),
        (error: unknown) => answered(error instanceof Error ? error : new Error(String(error)), []),
      );
    }, prefix);
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
    this.#commits.record(link, visit, settled);
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
    await this.#commits.close();
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
