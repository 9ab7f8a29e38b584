import { Query, QueryHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import type { VerifiedCaller } from '@strata/runtime';
import type { LinksClient } from './injection-tokens.ts';
import type { LinkAddresses } from './link-addresses.ts';
import { campaignLinkOf, LinksCallHandler } from './links-call-handler.ts';
import type { CampaignLinkPage, MyLinksQuery } from './studio-api-schemas.ts';

/** The caller's short links, newest first, each with its hourly visit statistics. */
export class ListMyLinksQuery extends Query<CampaignLinkPage> {
  readonly caller: VerifiedCaller;
  readonly paging: MyLinksQuery;
  readonly correlationId: string;

  constructor(request: { caller: VerifiedCaller; paging: MyLinksQuery; correlationId: string }) {
    super();
    this.caller = request.caller;
    this.paging = request.paging;
    this.correlationId = request.correlationId;
  }
}

/** Two calls a page: the links, then the statistics of those links (engagement-service's rollup). */
@QueryHandler(ListMyLinksQuery)
export class ListMyLinksHandler extends LinksCallHandler<ListMyLinksQuery, CampaignLinkPage> {
  protected async call(
    links: LinksClient,
    { caller, paging }: ListMyLinksQuery,
    options: CallOptions,
    addresses: LinkAddresses,
  ): Promise<CampaignLinkPage> {
    const { since, ...page } = paging;
    const found = await links.ShortLink.findByOwner({ ownerId: caller.userId, ...page }, options);
    if (found.items.length === 0) return { items: [], nextCursor: found.nextCursor };
    const stats = await links.ShortLink.findVisitStats(
      { linkIds: found.items.map((link) => link.id), ...(since === undefined ? {} : { since }) },
      options,
    );
    const byLink = new Map(stats.items.map(({ linkId, ...figures }) => [linkId, figures]));
    return {
      items: found.items.map((link) => ({
        ...campaignLinkOf(link, addresses),
        stats: byLink.get(link.id) ?? { visits: 0, botVisits: 0, uniqueVisitors: 0, hours: [] },
      })),
      nextCursor: found.nextCursor,
    };
  }
}
