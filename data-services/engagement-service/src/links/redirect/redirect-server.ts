import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  isBotUserAgent,
  referrerHostOf,
  resolveLink,
  Slug,
  userAgentFamilyOf,
  type UserAgentFamily,
} from '@strata/links';
import type { RuntimeLogger } from '@strata/rpc';
import type { Clock } from '@strata/shared-kernel';
import type { CachedLink } from './cached-link.ts';
import type { LinkCache } from './link-cache.ts';
import { encodeQueuedVisit } from './queued-visit.ts';
import { newVisitId } from './visit-id.ts';
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

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
/** Distinct referrer headers whose host is held; past it the set starts again. */
const MAX_REFERRERS_HELD = 10_000;
/** Where a connection keeps its visitor (see #visitorOf). */
const VISITOR = Symbol('visitor');

interface Visitor {
  readonly userAgent: string | undefined;
  readonly family: UserAgentFamily;
  readonly bot: boolean;
  readonly hash: string;
}
// A redirect that can be disabled must not be kept by browsers or proxies (never a 301).
// As a flat list of names and values: node:http takes it without walking an object per answer.
const REDIRECT_HEADERS = ['cache-control', 'private, no-store', 'referrer-policy', 'unsafe-url'] as const;
const GONE_TEXT = {
  disabled: 'This short link has been disabled.\n',
  expired: 'This short link has expired.\n',
  'used-up': 'This short link has reached its maximum number of visits.\n',
} as const;

/**
 * The short domain: `GET /<slug>` answers 302 to the link's target, 404 for a slug no link has,
 * 410 for a link disabled, expired or used up. node:http and nothing else on the path: the link
 * comes from this process's copy (the shared cache is asked when it has none, the data service only
 * on a miss there, once per slug at a time), the decision is the domain's `resolveLink`, and the
 * visit is counted and queued by the ledger, which answers once it has kept it. Nothing is written
 * to a database.
 */
export class RedirectServer {
  readonly counters: RedirectCounters = { redirects: 0, notFound: 0, gone: 0, lookups: 0 };
  readonly #options: RedirectServerOptions;
  readonly #visitorHashKey: KeyObject;
  readonly #inFlight = new Map<string, Promise<CachedLink | null>>();
  readonly #redirectHeaders = new WeakMap<CachedLink, string[]>();
  readonly #referrerHosts = new Map<string, string | null>();
  #visitedAt = { ms: 0, iso: '' };
  #server: Server | undefined;

  constructor(options: RedirectServerOptions) {
    this.#options = options;
    this.#visitorHashKey = createSecretKey(Buffer.from(options.visitorHashKey));
  }

  async listen(port: number, host: string): Promise<string> {
    const server = createServer((request, response) => this.#handle(request, response));
    server.keepAliveTimeout = 65_000;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...TEXT, allow: 'GET, HEAD' }).end('Only GET and HEAD.\n');
      return;
    }
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url.slice(1) : url.slice(1, query);
    if (path === 'healthz') {
      response.writeHead(200, TEXT).end('ok\n');
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
      this.#visit(slug, held, request, response);
      return;
    }
    this.#link(slug).then(
      (link) => this.#visit(slug, link, request, response),
      (error: unknown) => this.#unavailable(slug, response, error),
    );
  }

  #visit(slug: string, link: CachedLink | null, request: IncomingMessage, response: ServerResponse): void {
    // Whatever throws here (a visit that cannot be written down) is a 503, not a dead process.
    try {
      this.#answer(slug, link, request, response);
    } catch (error) {
      this.#unavailable(slug, response, error);
    }
  }

  #answer(slug: string, link: CachedLink | null, request: IncomingMessage, response: ServerResponse): void {
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
    const visit = this.#visitOf(link, request, now);
    // Answered only once Redis has counted and queued it, capped or not: a crash then loses no
    // visit that was answered (ADR 0031 measured answering first and kept this).
    this.#options.ledger.record(link.linkId, link.maxVisits, visit).then(
      (visitsSoFar) => {
        const resolution = resolveLink(link, now, visitsSoFar);
        if (resolution.outcome === 'gone') this.#gone(response, resolution.reason);
        else this.#redirect(response, link);
      },
      (error: unknown) => this.#unavailable(slug, response, error),
    );
  }

  #redirect(response: ServerResponse, link: CachedLink): void {
    this.counters.redirects += 1;
    // One header list per link copy, made at its first redirect: a copy never changes (a change
    // of the link is a new copy), so its list is the answer for as long as it is held.
    let headers = this.#redirectHeaders.get(link);
    if (headers === undefined) {
      headers = [...REDIRECT_HEADERS, 'location', link.targetUrl];
      this.#redirectHeaders.set(link, headers);
    }
    response.writeHead(302, headers).end();
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

  /** The visit as it waits to be shipped (see QueuedVisit); its id is the visit id. */
  #visitOf(link: CachedLink, request: IncomingMessage, now: Date): string {
    const visitor = this.#visitorOf(request);
    return encodeQueuedVisit({
      visitId: newVisitId(),
      linkId: link.linkId,
      linkVersion: link.version,
      slug: link.slug,
      visitedAt: this.#isoOf(now),
      referrerHost: this.#referrerHostOf(request.headers.referer),
      userAgentFamily: visitor.family,
      bot: visitor.bot,
      visitorHash: visitor.hash,
    });
  }

  /**
   * Who is visiting, kept on the connection: its address never changes and a browser sends the
   * same User-Agent on every request of a connection, so the keyed hash and the browser family are
   * worked out once per connection (again only if the User-Agent changes).
   */
  #visitorOf(request: IncomingMessage): Visitor {
    const userAgent = request.headers['user-agent'];
    const socket = request.socket as Socket & { [VISITOR]?: Visitor };
    const known = socket[VISITOR];
    if (known !== undefined && known.userAgent === userAgent) return known;
    const visitor: Visitor = {
      userAgent,
      family: userAgentFamilyOf(userAgent),
      bot: isBotUserAgent(userAgent),
      hash: createHmac('sha256', this.#visitorHashKey)
        .update(`${socket.remoteAddress ?? ''}\n${userAgent ?? ''}`)
        .digest('hex'),
    };
    socket[VISITOR] = visitor;
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

  #unavailable(slug: string, response: ServerResponse, error: unknown): void {
    this.#options.logger.warn({ err: error }, `redirect of ${slug} failed`);
    if (!response.headersSent) response.writeHead(503, { ...TEXT, 'retry-after': '1' });
    response.end('The short link service is unavailable; try again.\n');
  }

  #notFound(response: ServerResponse): void {
    this.counters.notFound += 1;
    response.writeHead(404, TEXT).end('No short link has this address.\n');
  }

  #gone(response: ServerResponse, reason: keyof typeof GONE_TEXT): void {
    this.counters.gone += 1;
    response.writeHead(410, { ...TEXT, 'cache-control': 'private, no-store' }).end(GONE_TEXT[reason]);
  }
}
