import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { isBotUserAgent, referrerHostOf, resolveLink, Slug, userAgentFamilyOf } from '@strata/links';
import type { RuntimeLogger } from '@strata/rpc';
import { newId, type Clock } from '@strata/shared-kernel';
import type { CachedLink } from './cached-link.ts';
import type { LinkCache } from './link-cache.ts';
import {
  headerLines,
  ShortDomainHttp,
  TEXT_PLAIN,
  type HeaderLines,
  type ShortConnection,
  type ShortRequest,
} from './short-domain-http.ts';
import { visitJsonWith, visitorJsonOf } from './queued-visit.ts';
import type { VisitLedger } from './visit-ledger.ts';

/** How the redirect path asks the data service for a link it has not cached (findBySlug). */
export type LinkLookup = (slug: string) => Promise<CachedLink | null>;

export interface RedirectCounters {
  /** Visits answered 302. */
  redirects: number;
  /** Answers 404 (no such slug) and 410 (disabled, expired, used up). */
  notFound: number;
  gone: number;
  /** Lookups that reached the data service: the only way a visit can cause a database read. */
  lookups: number;
}

export interface RedirectServerOptions {
  readonly cache: LinkCache;
  readonly ledger: VisitLedger;
  readonly lookup: LinkLookup;
  readonly clock: Clock;
  /** Keys the visitor hash: the same on every instance, so unique visitors count across them. */
  readonly visitorHashKey: string;
  readonly logger: Pick<RuntimeLogger, 'warn'>;
}

/** Distinct referrer headers whose host is held; past it the set starts again. */
const MAX_REFERRERS_HELD = 10_000;
/** Where a connection keeps its visitor (see #visitorOf). */
const VISITOR = Symbol('visitor');

interface Visitor {
  readonly userAgent: string | undefined;
  /** The visitor's part of each of its visits' JSON (visitorJsonOf). */
  readonly json: string;
}
// A redirect that can be disabled must not be kept by browsers or proxies (never a 301).
const REDIRECT_HEADERS = ['cache-control', 'private, no-store', 'referrer-policy', 'unsafe-url'] as const;
const GONE_HEADERS = TEXT_PLAIN + headerLines('cache-control', 'private, no-store');
const UNAVAILABLE_HEADERS = TEXT_PLAIN + headerLines('retry-after', '1');
const GONE_TEXT = {
  disabled: 'This short link has been disabled.\n',
  expired: 'This short link has expired.\n',
  'used-up': 'This short link has reached its maximum number of visits.\n',
} as const;

/**
 * The short domain: `GET /<slug>` answers 302 to the link's target, 404 for a slug no link has,
 * 410 for a link disabled, expired or used up. Its own HTTP on node:net (ADR 0043) and nothing
 * else on the path: the link comes from this process's copy (the shared cache is asked when it
 * has none, the data service only on a miss there, once per slug at a time), the decision is the
 * domain's `resolveLink`, and the visit is counted and queued by the ledger, which answers once
 * it has kept it. Nothing is written to a database.
 */
export class RedirectServer {
  readonly counters: RedirectCounters = { redirects: 0, notFound: 0, gone: 0, lookups: 0 };
  readonly #options: RedirectServerOptions;
  readonly #visitorHashKey: KeyObject;
  readonly #inFlight = new Map<string, Promise<CachedLink | null>>();
  readonly #redirectHeaders = new WeakMap<CachedLink, string>();
  readonly #referrerHosts = new Map<string, string | null>();
  #visitedAt = { ms: 0, iso: '' };
  #server: ShortDomainHttp | undefined;

  constructor(options: RedirectServerOptions) {
    this.#options = options;
    this.#visitorHashKey = createSecretKey(Buffer.from(options.visitorHashKey));
  }

  async listen(port: number, host: string): Promise<string> {
    const server = new ShortDomainHttp((request) => this.#handle(request));
    this.#server = server;
    const bound = await server.listen(port, host);
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  }

  async close(): Promise<void> {
    await this.#server?.close();
  }

  #handle(request: ShortRequest): void {
    const url = request.target;
    const query = url.indexOf('?');
    const path = query === -1 ? url.slice(1) : url.slice(1, query);
    const response = request.connection;
    if (path === 'healthz') {
      response.answer(200, TEXT_PLAIN, 'ok\n');
      return;
    }
    const slug = Slug.keyOf(path);
    if (slug === null) {
      this.#notFound(response);
      return;
    }
    // A hit is answered from this process's copy without a promise; a miss waits for the cache.
    const held = this.#options.cache.peek(slug);
    if (held !== undefined) {
      this.#visit(slug, held, request);
      return;
    }
    this.#link(slug).then(
      (link) => this.#visit(slug, link, request),
      (error: unknown) => this.#unavailable(slug, response, error),
    );
  }

  #visit(slug: string, link: CachedLink | null, request: ShortRequest): void {
    // Whatever throws here (a visit that cannot be written down) is a 503, not a dead process.
    try {
      this.#answer(slug, link, request);
    } catch (error) {
      this.#unavailable(slug, request.connection, error);
    }
  }

  #answer(slug: string, link: CachedLink | null, request: ShortRequest): void {
    const response = request.connection;
    if (link === null) {
      this.#notFound(response);
      return;
    }
    const now = this.#options.clock.now();
    // Disabled or expired: gone without counting (the count is what a cap compares with).
    const before = resolveLink(link, now, 0);
    if (before.outcome === 'gone') {
      this.#gone(response, before.reason);
      return;
    }
    const headers = this.#redirectHeadersOf(link);
    const visit = this.#visitOf(request, now);
    // Answered only once Redis has counted and queued it, capped or not: a crash then loses no
    // visit that was answered (ADR 0031 measured answering first and kept this).
    this.#options.ledger.record(link, visit, (error, visitsSoFar) => {
      // Never throws into the ledger, which settles a whole commit's visits in one loop.
      try {
        if (error !== null) throw error;
        const resolution = resolveLink(link, now, visitsSoFar);
        if (resolution.outcome === 'gone') this.#gone(response, resolution.reason);
        else this.#redirect(response, headers);
      } catch (failure) {
        this.#unavailable(slug, response, failure);
      }
    });
  }

  /**
   * One header text per link copy, made at its first visit: a copy never changes (a change of the
   * link is a new copy), so its text is the answer for as long as it is held. A target that could
   * not be written as a header throws before the visit is counted.
   */
  #redirectHeadersOf(link: CachedLink): HeaderLines {
    let headers = this.#redirectHeaders.get(link);
    if (headers === undefined) {
      headers = headerLines(...REDIRECT_HEADERS, 'location', link.targetUrl);
      this.#redirectHeaders.set(link, headers);
    }
    return headers;
  }

  #redirect(response: ShortConnection, headers: HeaderLines): void {
    this.counters.redirects += 1;
    response.answer(302, headers, '');
  }

  /** The cached link, or one lookup per slug at a time whose answer fills the cache. */
  #link(slug: string): Promise<CachedLink | null> {
    const running = this.#inFlight.get(slug);
    if (running !== undefined) return running;
    const finding = (async () => {
      const cached = await this.#options.cache.get(slug);
      if (cached !== undefined) return cached;
      this.counters.lookups += 1;
      const found = await this.#options.lookup(slug);
      await this.#options.cache.fill(slug, found);
      return found;
    })().finally(() => this.#inFlight.delete(slug));
    this.#inFlight.set(slug, finding);
    return finding;
  }

  /**
   * The visit's JSON as it waits to be shipped (see QueuedLinkVisits); its id is the visit id, a
   * UUIDv7 like every id of the platform (the consumers' inboxes dedupe by it, and v7 keeps their
   * inserts local), from the process's one pool of random bytes (ADR 0026, 0087).
   */
  #visitOf(request: ShortRequest, now: Date): string {
    return visitJsonWith(
      newId(),
      this.#isoOf(now),
      this.#referrerHostOf(request.referer),
      this.#visitorOf(request).json,
    );
  }

  /**
   * Who is visiting, kept on the connection: its address never changes and a browser sends the
   * same User-Agent on every request of a connection, so the keyed hash and the browser family are
   * worked out once per connection (again only if the User-Agent changes), as the visitor's part
   * of the visit's JSON.
   */
  #visitorOf(request: ShortRequest): Visitor {
    const userAgent = request.userAgent;
    const connection = request.connection as ShortConnection & { [VISITOR]?: Visitor };
    const known = connection[VISITOR];
    if (known !== undefined && known.userAgent === userAgent) return known;
    const visitor: Visitor = {
      userAgent,
      json: visitorJsonOf({
        userAgentFamily: userAgentFamilyOf(userAgent),
        bot: isBotUserAgent(userAgent),
        visitorHash: createHmac('sha256', this.#visitorHashKey)
          .update(`${connection.remoteAddress ?? ''}\n${userAgent ?? ''}`)
          .digest('hex'),
      }),
    };
    connection[VISITOR] = visitor;
    return visitor;
  }

  /** Referrer headers repeat (the pages that link to a short link): each parsed once, a bounded set. */
  #referrerHostOf(referrer: string | undefined): string | null {
    if (referrer === undefined) return null;
    const known = this.#referrerHosts.get(referrer);
    if (known !== undefined) return known;
    const host = referrerHostOf(referrer);
    if (this.#referrerHosts.size >= MAX_REFERRERS_HELD) this.#referrerHosts.clear();
    this.#referrerHosts.set(referrer, host);
    return host;
  }

  /** Many visits share a millisecond: its ISO text is written once. */
  #isoOf(now: Date): string {
    const ms = now.getTime();
    if (this.#visitedAt.ms !== ms) this.#visitedAt = { ms, iso: now.toISOString() };
    return this.#visitedAt.iso;
  }

  #unavailable(slug: string, response: ShortConnection, error: unknown): void {
    this.#options.logger.warn({ err: error }, `redirect of ${slug} failed`);
    response.answer(503, UNAVAILABLE_HEADERS, 'The short link service is unavailable; try again.\n');
  }

  #notFound(response: ShortConnection): void {
    this.counters.notFound += 1;
    response.answer(404, TEXT_PLAIN, 'No short link has this address.\n');
  }

  #gone(response: ShortConnection, reason: keyof typeof GONE_TEXT): void {
    this.counters.gone += 1;
    response.answer(410, GONE_HEADERS, GONE_TEXT[reason]);
  }
}
