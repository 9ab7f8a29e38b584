import type { Redis } from 'ioredis';
import { decodeCachedLink, encodeCachedLink, type CachedLink } from './cached-link.ts';

/**
 * Where the redirect path finds links by slug. `null` is a cached answer too: no link has this
 * slug (so a flood of 404s does not reach the data service). `undefined`: the cache does not know.
 */
export interface LinkCache {
  /**
   * What this process holds for the slug, without asking anyone (no promise, no I/O): the
   * redirect path's hit. `undefined` when it holds nothing fresh; then `get`.
   */
  peek(slug: string): CachedLink | null | undefined;
  get(slug: string): Promise<CachedLink | null | undefined>;
  /**
   * Keeps what the data service answered, unless an invalidation newer than `version` (the link's
   * version, 0 for "no link") already came: a lookup that raced a disable must not put the
   * enabled link back for minutes.
   */
  fill(slug: string, link: CachedLink | null): Promise<void>;
  /** A link event of version `version` came: drop the slug everywhere and fence older fills. */
  invalidate(slug: string, version: number): Promise<void>;
  /** Called with a slug whenever any instance invalidated it. */
  onInvalidated(listener: (slug: string) => void): void;
  close(): Promise<void>;
}

/** How long a local copy may be served without asking the shared cache: the bound on staleness. */
export const LOCAL_TTL_MS = 1_000;
/** How long the shared cache keeps a link; events invalidate it sooner. */
export const SHARED_TTL_MS = 5 * 60_000;
/** "No such link" is kept shorter: a link created meanwhile also invalidates it, this is a bound. */
export const SHARED_MISSING_TTL_MS = 30_000;
/** Fences outlive every shared entry they guard. */
const FENCE_TTL_SECONDS = 24 * 3_600;

/**
 * One process's short-lived copy in front of a shared cache. Every instance subscribes to
 * invalidations and drops its copy at once; LOCAL_TTL_MS bounds it should a message be lost.
 */
export class LocalLinkCache implements LinkCache {
  readonly #entries = new Map<string, { link: CachedLink | null; until: number }>();
  readonly #shared: LinkCache;
  readonly #now: () => number;
  readonly #maxEntries: number;
  /**
   * Invalidations heard so far. A read of the shared cache that overlapped one may bring back what
   * it dropped (Redis answered the read before its DEL, but the answer came after its message: two
   * connections, no order between them), so such a read is answered and not kept. Counted over
   * all slugs: link events are rare next to reads, and a read not kept only costs the next one.
   */
  #invalidations = 0;

  constructor(shared: LinkCache, options: { now?: () => number; maxEntries?: number } = {}) {
    this.#shared = shared;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
    shared.onInvalidated((slug) => this.#drop(slug));
  }

  peek(slug: string): CachedLink | null | undefined {
    const local = this.#entries.get(slug);
    return local !== undefined && local.until > this.#now() ? local.link : undefined;
  }

  async get(slug: string): Promise<CachedLink | null | undefined> {
    const local = this.peek(slug);
    if (local !== undefined) return local;
    const now = this.#now();
    const heard = this.#invalidations;
    const shared = await this.#shared.get(slug);
    if (shared !== undefined && this.#invalidations === heard) this.#keep(slug, shared, now);
    return shared;
  }

  async fill(slug: string, link: CachedLink | null): Promise<void> {
    await this.#shared.fill(slug, link);
  }

  invalidate(slug: string, version: number): Promise<void> {
    this.#drop(slug);
    return this.#shared.invalidate(slug, version);
  }

  onInvalidated(listener: (slug: string) => void): void {
    this.#shared.onInvalidated(listener);
  }

  close(): Promise<void> {
    return this.#shared.close();
  }

  #drop(slug: string): void {
    this.#invalidations += 1;
    this.#entries.delete(slug);
  }

  #keep(slug: string, link: CachedLink | null, now: number): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(slug, { link, until: now + LOCAL_TTL_MS });
  }
}

/** Embedded mode: one process, so the shared cache is a map and an invalidation a function call. */
export class MemoryLinkCache implements LinkCache {
  readonly #entries = new Map<string, { link: CachedLink | null; until: number }>();
  readonly #fences = new Map<string, number>();
  readonly #listeners: ((slug: string) => void)[] = [];
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  peek(slug: string): CachedLink | null | undefined {
    const entry = this.#entries.get(slug);
    if (entry === undefined || entry.until <= this.#now()) return undefined;
    return entry.link;
  }

  async get(slug: string): Promise<CachedLink | null | undefined> {
    return this.peek(slug);
  }

  async fill(slug: string, link: CachedLink | null): Promise<void> {
    if ((this.#fences.get(slug) ?? 0) > (link?.version ?? 0)) return;
    const ttl = link === null ? SHARED_MISSING_TTL_MS : SHARED_TTL_MS;
    this.#entries.set(slug, { link, until: this.#now() + ttl });
  }

  async invalidate(slug: string, version: number): Promise<void> {
    if (version > (this.#fences.get(slug) ?? 0)) this.#fences.set(slug, version);
    this.#entries.delete(slug);
    for (const listener of this.#listeners) listener(slug);
  }

  onInvalidated(listener: (slug: string) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {}
}

const FILL = `
local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
if fence > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

const INVALIDATE = `
local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) > fence then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4]) end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

type FencedRedis = Redis & {
  linkFill(key: string, fence: string, value: string, version: number, ttlMs: number): Promise<number>;
  linkInvalidate(
    key: string,
    fence: string,
    version: number,
    channel: string,
    slug: string,
    fenceTtlSeconds: number,
  ): Promise<number>;
};

/**
 * Distributed mode: links in Redis under `<prefix>links:slug:<slug>`, each fill and invalidation
 * one Lua script (atomic with the fence it reads or moves), invalidations announced on a pub/sub
 * channel every instance listens to (a dedicated subscriber connection).
 */
export class RedisLinkCache implements LinkCache {
  readonly #redis: FencedRedis;
  readonly #subscriber: Redis | undefined;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #listeners: ((slug: string) => void)[] = [];

  private constructor(redis: Redis, subscriber: Redis | undefined, prefix: string) {
    this.#redis = redis as FencedRedis;
    this.#subscriber = subscriber;
    this.#prefix = prefix;
    this.#channel = `${prefix}links:invalidated`;
    this.#redis.defineCommand('linkFill', { numberOfKeys: 2, lua: FILL });
    this.#redis.defineCommand('linkInvalidate', { numberOfKeys: 2, lua: INVALIDATE });
    subscriber?.on('message', (_channel: string, slug: string) => {
      for (const listener of this.#listeners) listener(slug);
    });
  }

  /**
   * `redis` is shared with the visit ledger; `subscriber` is this cache's own (it only listens).
   * Without a subscriber the cache only invalidates (the thread that reads link events), and
   * its listeners hear nothing.
   */
  static async open(redis: Redis, subscriber: Redis | undefined, prefix: string): Promise<RedisLinkCache> {
    const cache = new RedisLinkCache(redis, subscriber, prefix);
    await subscriber?.subscribe(cache.#channel);
    return cache;
  }

  /** Holds nothing in this process: every answer is Redis's (LocalLinkCache keeps copies). */
  peek(): undefined {
    return undefined;
  }

  async get(slug: string): Promise<CachedLink | null | undefined> {
    const stored = await this.#redis.get(this.#key(slug));
    return stored === null ? undefined : decodeCachedLink(stored);
  }

  async fill(slug: string, link: CachedLink | null): Promise<void> {
    await this.#redis.linkFill(
      this.#key(slug),
      this.#fence(slug),
      encodeCachedLink(link),
      link?.version ?? 0,
      link === null ? SHARED_MISSING_TTL_MS : SHARED_TTL_MS,
    );
  }

  async invalidate(slug: string, version: number): Promise<void> {
    await this.#redis.linkInvalidate(
      this.#key(slug),
      this.#fence(slug),
      version,
      this.#channel,
      slug,
      FENCE_TTL_SECONDS,
    );
  }

  onInvalidated(listener: (slug: string) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    await this.#subscriber?.quit().catch(() => undefined);
  }

  #key(slug: string): string {
    return `${this.#prefix}links:slug:${slug}`;
  }

  #fence(slug: string): string {
    return `${this.#prefix}links:fence:${slug}`;
  }
}
