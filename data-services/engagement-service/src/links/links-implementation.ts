import {
  customSlugMustNotBeTaken,
  maySeeLinkOf,
  maySeeLinksOf,
  ShortLink,
  Slug,
  toShortLinkView,
  type LinkPolicy,
  type RandomSource,
} from '@strata/links';
import type { linksContract } from '@strata/links/contract';
import { actorOf, type ContractImplementation } from '@strata/rpc';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { checkRule, DomainError } from '@strata/shared-kernel';
import type { SqlLinksQueries } from './sql-links-queries.ts';
import { visitStatsOf } from './visit-stats/sql-visit-stats.ts';

/**
 * A generated slug is taken with a chance of about 10⁻¹¹ at ten million links (ADR 0017): one
 * fresh draw practically always suffices, a few bound the loop should the random source misbehave.
 */
const GENERATION_ATTEMPTS = 4;

/**
 * The links contract served by the ShortLink aggregate: each handler is one domain method, with
 * the caller as the domain's actor. Whether a slug is free is the store's to say, so creation
 * asks first (a precise 409 for a taken custom slug, a fresh draw for a taken generated one) and
 * the unique index settles a race at commit (translateSlugConflict).
 */
export function linksImplementation(ports: {
  queries: SqlLinksQueries;
  session: () => SqlEntityManager;
  policy: LinkPolicy;
  random: RandomSource;
}): ContractImplementation<typeof linksContract, { ShortLink: ShortLink }> {
  const { queries, policy, random, session } = ports;
  return {
    ShortLink: {
      aggregateType: 'ShortLink',
      toView: toShortLinkView,
      creations: {
        create: async (input, context) => {
          const actor = actorOf(context);
          const request = {
            targetUrl: input.targetUrl,
            ...(input.expiresAt === undefined ? {} : { expiresAt: new Date(input.expiresAt) }),
            ...(input.maxVisits === undefined ? {} : { maxVisits: input.maxVisits }),
          };
          if (input.slug !== undefined) {
            // The domain checks the slug's own rules first: a reserved slug is refused as reserved.
            const link = ShortLink.create(
              { ...request, slug: input.slug },
              { policy, random },
              actor,
              context.clock,
            );
            checkRule(customSlugMustNotBeTaken(link.slug, await queries.isSlugTaken(link.slug)));
            return link;
          }
          for (let attempt = 1; ; attempt += 1) {
            const link = ShortLink.create(request, { policy, random }, actor, context.clock);
            if (!(await queries.isSlugTaken(link.slug))) return link;
            if (attempt === GENERATION_ATTEMPTS) {
              throw DomainError.conflict(
                'generated-slug-could-not-be-made-free',
                `${GENERATION_ATTEMPTS} generated slugs in a row were taken; try again`,
              );
            }
          }
        },
      },
      commands: {
        disable: (link, _input, context) => link.disable(actorOf(context), context.clock),
        enable: (link, _input, context) => link.enable(actorOf(context), context.clock),
      },
      queries: {
        findByOwner: (input, _scope, context) => {
          if (!maySeeLinksOf(context.caller, input.ownerId)) {
            throw DomainError.permissionDenied(
              'short-links-are-their-owners-to-see',
              `${context.method}: only the owner of these links (or an admin) may list them`,
            );
          }
          if (input.targetUrl === undefined) return queries.linksOfOwner(input);
          // Compared as stored: the target as the URL parser writes it back.
          return queries.linksOfOwner({ ...input, targetUrl: new URL(input.targetUrl).href });
        },
        // Every link asked must be the caller's (or the caller an admin): one that is not, or that
        // does not exist, refuses the whole call alike, so ids cannot be probed for their links.
        findVisitStats: async (input, _scope, context) => {
          const owners = await queries.ownersOf(input.linkIds);
          const hidden = input.linkIds.filter((id) => {
            const owner = owners.get(id);
            return owner === undefined || !maySeeLinksOf(context.caller, owner);
          });
          if (hidden.length > 0) {
            throw DomainError.permissionDenied(
              'short-links-are-their-owners-to-see',
              `${context.method}: only the owner of a short link (or an admin) may see its visits; not: ${hidden.join(', ')}`,
              { field: 'linkIds' },
            );
          }
          return { items: await visitStatsOf(session(), input.linkIds, input.since), nextCursor: null };
        },
        // A link someone else owns is not shown to them: the answer is the same as for no link,
        // so slugs cannot be probed for their owners and targets through this finder.
        findBySlug: async (input, _scope, context) => {
          const key = Slug.keyOf(input.slug);
          const link = key === null ? null : await queries.linkWithSlug(key);
          if (link === null || !maySeeLinkOf(context.caller, link.ownerId))
            return { items: [], nextCursor: null };
          return { items: [link], nextCursor: null };
        },
      },
    },
  };
}
