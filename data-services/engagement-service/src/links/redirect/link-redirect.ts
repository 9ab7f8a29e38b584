import { randomBytes } from 'node:crypto';
import { consumeInProcess, topicFor, type InProcessEventBroker } from '@strata/events';
import { REDIRECT_ROLE } from '@strata/links';
import { linksContract } from '@strata/links/contract';
import { createContractClient, type Invoke, type RuntimeLogger } from '@strata/rpc';
import type { Clock } from '@strata/shared-kernel';
import { Redis } from 'ioredis';
import { cachedLinkOf } from './cached-link.ts';
import { RedirectCacheInvalidation } from './cache-invalidation.ts';
import { LocalLinkCache, MemoryLinkCache, RedisLinkCache, type LinkCache } from './link-cache.ts';
import { RedirectServer, type LinkLookup } from './redirect-server.ts';
import { startLinkEventsThread } from './link-events-thread.ts';
import { MemoryVisitLedger } from './memory-visit-ledger.ts';
import { RedisVisitLedger } from './redis-visit-ledger.ts';
import type { VisitLedger } from './visit-ledger.ts';
import { VisitShipper } from './visit-shipper.ts';
import { linkVisitsTopicFor } from '../visits-topic.ts';

export const LINK_REDIRECT = 'link-redirect';

export interface RunningLinkRedirect {
  /** Where the short domain is served, e.g. http://127.0.0.1:8090; a link is `<url>/<slug>`. */
  readonly url: string;
  readonly server: RedirectServer;
  /** Stops taking visits, ships what was queued, then closes its connections. */
  stop(): Promise<void>;
}

interface CommonOptions {
  /** engagement-service, in-process or over RPC: asked for a link only on a cache miss. */
  readonly engagement: Invoke;
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly logger: Pick<RuntimeLogger, 'warn'>;
  readonly eventNamespace?: string;
  /** Keys the visitor hash (unique visitor estimates); every instance of a deployment shares it. */
  readonly visitorHashKey?: string;
}

/** The data service's finder, as the redirect path's role: the only database read a visit can cause. */
function lookupThrough(engagement: Invoke, service: string): LinkLookup {
  const links = createContractClient(linksContract, { service, invoke: engagement });
  return async (slug) => {
    const page = await links.ShortLink.findBySlug({ slug, limit: 1 }, { caller: { roles: [REDIRECT_ROLE] } });
    const [view] = page.items;
    return view === undefined ? null : cachedLinkOf(view);
  };
}

/**
 * `npm start`'s short domain: in this process, links cached in memory and invalidated by the
 * in-process broker's link events, visits counted in memory and shipped to the same broker, on
 * the visits' own topic.
 */
export async function startEmbeddedLinkRedirect(
  options: CommonOptions & { readonly broker: InProcessEventBroker; readonly service: string },
): Promise<RunningLinkRedirect> {
  const cache = new MemoryLinkCache();
  const ledger = new MemoryVisitLedger();
  const unsubscribe = consumeInProcess(
    options.broker,
    [topicFor(linksContract.context, options.eventNamespace)],
    new RedirectCacheInvalidation(cache, `${LINK_REDIRECT}.cache`),
  );
  const shipper = new VisitShipper({
    queue: ledger,
    broker: options.broker,
    topic: linkVisitsTopicFor(options.eventNamespace),
    logger: options.logger,
  });
  const server = serverOf(options, cache, ledger);
  const url = await server.listen(options.port, options.host);
  shipper.start();
  return {
    url,
    server,
    async stop() {
      await server.close();
      await shipper.stop();
      unsubscribe();
      await ledger.close();
    },
  };
}

/**
 * A distributed instance of the short domain: links in Redis behind a one-second local copy
 * (dropped at once on an invalidation over Redis pub/sub), visits counted in Redis in group
 * commits; on a thread of its own, the link events become invalidations (one consumer group for
 * all instances) and queued visits ship from the Redis stream to Kafka (ADR 0026), on a topic of
 * their own that the invalidations never read (ADR 0063).
 */
export async function startDistributedLinkRedirect(
  options: CommonOptions & {
    readonly service: string;
    readonly redisUrl: string;
    /** Every key and channel of this deployment's short domain starts with it, e.g. `strata:`. */
    readonly redisPrefix: string;
    readonly kafkaBrokers: string[];
    /** Names this instance in the visit stream's consumer group; stable across restarts. */
    readonly instanceId: string;
    readonly consumerGroup: string;
  },
): Promise<RunningLinkRedirect> {
  // Not auto-pipelined: the ledger batches visits itself (one group commit in flight), and a
  // cache miss is rare, so ioredis' pipeline per commit was only cost (ADR 0043 addendum).
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(options.redisUrl);
  const cache = new LocalLinkCache(await RedisLinkCache.open(redis, subscriber, options.redisPrefix));
  const ledger = await RedisVisitLedger.open(redis, undefined, options.redisPrefix, options.instanceId);
  const linkEvents = await startLinkEventsThread(
    {
      redisUrl: options.redisUrl,
      redisPrefix: options.redisPrefix,
      kafkaBrokers: options.kafkaBrokers,
      clientId: LINK_REDIRECT,
      topic: topicFor(linksContract.context, options.eventNamespace),
      visitsTopic: linkVisitsTopicFor(options.eventNamespace),
      instanceId: options.instanceId,
      consumerGroup: options.consumerGroup,
    },
    options.logger,
  );
  const server = serverOf(options, cache, ledger);
  const url = await server.listen(options.port, options.host);
  return {
    url,
    server,
    async stop() {
      await server.close();
      // The last visits are kept in Redis first, then the thread ships them.
      await ledger.close();
      await linkEvents.stop();
      await cache.close();
      await redis.quit().catch(() => undefined);
    },
  };
}

function serverOf(
  options: CommonOptions & { readonly service: string },
  cache: LinkCache,
  ledger: VisitLedger,
): RedirectServer {
  return new RedirectServer({
    cache,
    ledger,
    lookup: lookupThrough(options.engagement, options.service),
    clock: options.clock,
    visitorHashKey: options.visitorHashKey ?? randomBytes(32).toString('hex'),
    logger: options.logger,
  });
}
