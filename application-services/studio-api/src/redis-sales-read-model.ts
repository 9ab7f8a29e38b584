import { Redis } from 'ioredis';
import { byTitle, type CourseSalesFigures } from './course-sales-figures.ts';
import { APPLY_SALE_CHANGE, salesKeys, type SalesKeys } from './redis-sales-scripts.ts';
import type { ApplyOutcome, SaleChange } from './sale-change.ts';
import { DEFAULT_PROCESSED_IDS_KEPT, type SalesReadModel } from './sales-read-model.ts';

export interface RedisSalesReadModelOptions {
  client: Redis;
  /** Namespaces the read model's keys (STRATA_REDIS_KEY_PREFIX), so deployments can share one Redis. */
  prefix: string;
  processedIdsKept?: number;
}

const REVENUE_FIELD = 'revenue:';
const SCAN_BATCH = 500;

/**
 * Distributed mode's sales read model, shared by every studio-api instance and by the rebuild
 * command. Per course a hash (title, instructor, counters, one `revenue:<currency>` field per
 * currency); a set of course ids per instructor and one of every course; the processed event ids.
 * Writes go through one Lua script (redis-sales-scripts.ts says why).
 */
export class RedisSalesReadModel implements SalesReadModel {
  readonly #client: Redis;
  readonly #keys: SalesKeys;
  readonly #processedIdsKept: number;
  #ownsClient = false;

  /** Uses the caller's client and leaves it open on close(). */
  constructor(options: RedisSalesReadModelOptions) {
    if (options.prefix.length === 0) throw new TypeError('RedisSalesReadModel needs a non-empty key prefix');
    this.#client = options.client;
    this.#keys = salesKeys(options.prefix);
    this.#processedIdsKept = options.processedIdsKept ?? DEFAULT_PROCESSED_IDS_KEPT;
  }

  /**
   * Opens its own client, connecting in the background: studio-api starts (its courses routes work)
   * while Redis is down. Unlike a cache's client it keeps ioredis' offline queue, so a write during a
   * short reconnect waits for it rather than failing: a failed write is retried and, after the
   * consumer's last attempt, dead-lettered, which only a rebuild repairs.
   */
  static connect(
    options: Omit<RedisSalesReadModelOptions, 'client'> & {
      url: string;
      onError?: (error: Error) => void;
    },
  ): RedisSalesReadModel {
    const { url, onError, ...rest } = options;
    const client = new Redis(url);
    // Without a listener ioredis prints every failed reconnect to the console.
    client.on('error', (error: Error) => onError?.(error));
    const model = new RedisSalesReadModel({ ...rest, client });
    model.#ownsClient = true;
    return model;
  }

  async apply(change: SaleChange): Promise<ApplyOutcome> {
    const keys = [this.#keys.processed, this.#keys.sequence, this.#keys.courses];
    const args: string[] = [change.eventId, change.kind, String(this.#processedIdsKept)];
    for (const line of change.lines) {
      keys.push(this.#keys.course(line.courseId), this.#keys.instructor(line.instructorId));
      args.push(line.courseId, line.instructorId, line.title, line.price.currency, String(line.price.amount));
    }
    const applied = await this.#client.eval(APPLY_SALE_CHANGE, keys.length, ...keys, ...args);
    return applied === 1 ? 'applied' : 'duplicate';
  }

  async salesOf(instructorId: string): Promise<CourseSalesFigures[]> {
    const courseIds = await this.#client.smembers(this.#keys.instructor(instructorId));
    // A course that changed hands is in its old instructor's set too; its hash says whose it is now.
    return (await this.#figuresOf(courseIds)).filter((course) => course.instructorId === instructorId);
  }

  async allSales(): Promise<CourseSalesFigures[]> {
    return this.#figuresOf(await this.#client.smembers(this.#keys.courses));
  }

  countCourses(): Promise<number> {
    return this.#client.scard(this.#keys.courses);
  }

  async clear(): Promise<void> {
    const pattern = `${this.#keys.all.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
      if (keys.length > 0) await this.#client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.quit();
  }

  async #figuresOf(courseIds: string[]): Promise<CourseSalesFigures[]> {
    if (courseIds.length === 0) return [];
    const pipeline = this.#client.pipeline();
    for (const courseId of courseIds) pipeline.hgetall(this.#keys.course(courseId));
    const replies = (await pipeline.exec()) ?? [];
    const figures: CourseSalesFigures[] = [];
    for (const [error, hash] of replies) {
      if (error) throw error;
      const fields = hash as Record<string, string>;
      if (fields.courseId === undefined) continue;
      figures.push(figuresOf(fields));
    }
    return figures.sort(byTitle);
  }
}

function figuresOf(fields: Record<string, string>): CourseSalesFigures {
  return {
    courseId: fields.courseId!,
    title: fields.title!,
    instructorId: fields.instructorId!,
    paidOrders: Number(fields.paidOrders ?? 0),
    refundedOrders: Number(fields.refundedOrders ?? 0),
    revenue: Object.entries(fields)
      .filter(([field]) => field.startsWith(REVENUE_FIELD))
      .map(([field, amount]) => ({ amount: Number(amount), currency: field.slice(REVENUE_FIELD.length) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
