import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isBotUserAgent,
  referrerHostOf,
  resolveLink,
  Slug,
  userAgentFamilyOf,
  type LinkVisited,
} from '@strata/links';
import type { RuntimeLogger } from '@strata/rpc';
import { newId, type Clock } from '@strata/shared-kernel';
import type { CachedLink } from './cached-link.ts';
import type { LinkCache } from './link-cache.ts';
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
// A redirect that can be disabled must not be kept by browsers or proxies (never a 301).
const REDIRECT_HEADERS = { 'cache-control': 'private, no-store', 'referrer-policy': 'unsafe-url' };
const GONE_TEXT = {
  disabled: 'This short link has been disabled.\n',
  expired: 'This short link has expired.\n',
  'used-up': 'This short link has reached its maximum number of visits.\n',
} as const;

/**
 * The short domain: `GET /<slug>` answers 302 to the link's target, 404 for a slug no link has,
 * 410 for a link disabled, expired or used up. node:http and nothing else on the path: the link
 * comes from the cache (the data service is asked only on a miss, once per slug at a time), the
 * decision is the domain's `resolveLink`, and the visit is counted and queued in one atomic ledger
 * step. Nothing is written to a database.
 */
export class RedirectServer {
  readonly counters: RedirectCounters = { redirects: 0, notFound: 0, gone: 0, lookups: 0 };
  readonly #options: RedirectServerOptions;
  readonly #inFlight = new Map<string, Promise<CachedLink | null>>();
  #server: Server | undefined;

  constructor(options: RedirectServerOptions) {
    this.#options = options;
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
    this.#visit(slug, request, response).catch((error: unknown) => {
      this.#options.logger.warn({ err: error, slug }, `redirect of ${slug} failed`);
      if (!response.headersSent) response.writeHead(503, { ...TEXT, 'retry-after': '1' });
      response.end('The short link service is unavailable; try again.\n');
    });
  }

  async #visit(slug: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const link = await this.#link(slug);
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
    const visitsSoFar = await this.#options.ledger.record(
      link.linkId,
      link.maxVisits,
      this.#visitOf(link, request, now),
    );
    const resolution = resolveLink(link, now, visitsSoFar);
    if (resolution.outcome === 'gone') {
      this.#gone(response, resolution.reason);
      return;
    }
    this.counters.redirects += 1;
    response.writeHead(302, { ...REDIRECT_HEADERS, location: resolution.targetUrl }).end();
  }

  /** The cached link, or one lookup per slug at a time whose answer fills the cache. */
  async #link(slug: string): Promise<CachedLink | null> {
    const cached = await this.#options.cache.get(slug);
    if (cached !== undefined) return cached;
    const running = this.#inFlight.get(slug);
    if (running !== undefined) return running;
    const lookup = (async () => {
      this.counters.lookups += 1;
      const found = await this.#options.lookup(slug);
      await this.#options.cache.fill(slug, found);
      return found;
    })().finally(() => this.#inFlight.delete(slug));
    this.#inFlight.set(slug, lookup);
    return lookup;
  }

  /** The LinkVisited envelope as it will travel; its id is the visit id consumers deduplicate on. */
  #visitOf(link: CachedLink, request: IncomingMessage, now: Date): string {
    const visitId = newId<'Visit'>();
    const userAgent = request.headers['user-agent'];
    const visitedAt = now.toISOString();
    const payload: LinkVisited = {
      visitId,
      linkId: link.linkId,
      slug: link.slug,
      visitedAt,
      referrerHost: referrerHostOf(request.headers.referer),
      userAgentFamily: userAgentFamilyOf(userAgent),
      bot: isBotUserAgent(userAgent),
      visitorHash: createHmac('sha256', this.#options.visitorHashKey)
        .update(`${request.socket.remoteAddress ?? ''}\n${userAgent ?? ''}`)
        .digest('hex'),
    };
    return JSON.stringify({
      id: visitId,
      type: 'LinkVisited',
      schemaVersion: 1,
      aggregateType: 'ShortLink',
      aggregateId: link.linkId,
      // The link's version the visit resolved against (ADR 0018).
      aggregateVersion: link.version,
      occurredAt: visitedAt,
      correlationId: visitId,
      causationId: null,
      traceparent: null,
      tracestate: null,
      payload,
    });
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
