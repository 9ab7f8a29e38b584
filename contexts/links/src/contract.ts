import {
  aggregate,
  command,
  creation,
  defineContract,
  finder,
  firstVersionEvents,
  z,
} from '@strata/shared-kernel';
import { SHORT_LINK_STATUSES, SLUG_KINDS } from './domain/short-link-status.ts';
import { customSlug, maxVisits, slug, slugKey, targetUrl } from './link-fields.ts';
import { LinkVisitStats, MAX_LINKS_PER_STATS_REQUEST } from './link-visit-stats.ts';
import { linkVisitPayloads } from './link-visited.ts';
import { shortLinkEventPayloads } from './short-link-events.ts';

/*
 * The links context's published language. Who is acting travels in RPC metadata, never in an
 * input: a link's owner is whoever creates it. The target's short-domain rule is the deployment's
 * (LinkPolicy), so the domain applies it; this schema checks everything else about a target.
 */

export const ShortLinkView = z.object({
  id: z.uuid(),
  slug,
  slugKind: z.enum(SLUG_KINDS),
  targetUrl,
  ownerId: z.uuid(),
  status: z.enum(SHORT_LINK_STATUSES),
  expiresAt: z.iso.datetime().nullable(),
  maxVisits: maxVisits.nullable(),
  createdAt: z.iso.datetime(),
  disabled: z.object({ by: z.uuid(), at: z.iso.datetime() }).nullable(),
  expiredAt: z.iso.datetime().nullable(),
  version: z.number().int().min(0),
});

export type ShortLinkView = z.infer<typeof ShortLinkView>;

export { HourlyLinkVisits, LinkVisitStats } from './link-visit-stats.ts';

export const linksContract = defineContract({
  context: 'links',
  callPolicy: {
    // Hosted by engagement-service with notification. A link's commands meet in one instance;
    // lookups by slug come from the redirect path on a cache miss only, so the limit is generous.
    balancing: 'consistent-hash',
    timeoutMs: 5_000,
    rateLimit: { ratePerSecond: 1_000, burst: 200 },
    hedgeQueries: true,
  },
  aggregates: {
    ShortLink: aggregate({
      id: z.uuid(),
      view: ShortLinkView,
      creations: {
        // Not retry-safe by itself: a retry without the caller's idempotency key makes a second
        // generated link, or answers custom-slug-must-not-be-taken for the caller's own link.
        create: creation({
          input: z.object({
            targetUrl,
            slug: customSlug.optional(),
            expiresAt: z.iso.datetime().optional(),
            maxVisits: maxVisits.optional(),
          }),
        }),
      },
      commands: {
        disable: command({ input: z.object({}), idempotent: true }),
        enable: command({ input: z.object({}), idempotent: true }),
      },
      queries: {
        // With a target, only the owner's links to it (as the URL parser writes it): how a share
        // link is made once per learner and course.
        findByOwner: finder({ input: z.object({ ownerId: z.uuid(), targetUrl: targetUrl.optional() }) }),
        // A slug is not the aggregate's id, and the DSL's `query` is addressed by id, so the lookup
        // is a finder answering at most one link (as identity's findByEmail). The redirect path
        // uses it to fill its cache on a miss and then decides each visit itself (resolveLink).
        findBySlug: finder({ input: z.object({ slug: slugKey }) }),
        // Hourly visit statistics of the given links (their owner's, or an admin's to see), built from
        // the visit events by the hosting service; one item per link asked, in the order asked.
        findVisitStats: finder({
          input: z.object({
            linkIds: z.array(z.uuid()).min(1).max(MAX_LINKS_PER_STATS_REQUEST),
            since: z.iso.datetime().optional(),
          }),
          item: LinkVisitStats,
        }),
      },
      // Every event is at its first schema version. LinkVisited and LinkVisitsRecorded are published
      // here but recorded by the redirect path, not by the aggregate (link-visited.ts, ADR 0017),
      // and shipped by it on a topic of their own (ADR 0063).
      events: {
        ...firstVersionEvents(shortLinkEventPayloads),
        ...firstVersionEvents(linkVisitPayloads, { topicSuffix: 'visits' }),
      },
    }),
  },
});
