import { Inject } from '@nestjs/common';
import type { ShortLinkView } from '@strata/links/contract';
import { callOptionsFor, type StudioRequest } from './studio-command.ts';
import type { CallOptions } from '@strata/rpc';
import { LINK_ADDRESSES, LINKS_CLIENT, type LinksClient } from './injection-tokens.ts';
import type { LinkAddresses } from './link-addresses.ts';
import type { CampaignLinkView } from './studio-api-schemas.ts';

/**
 * A studio links handler: links calls made for the verified caller, answered with each link's
 * short URL and course. As CatalogCallHandler, the client stays in this class's `#` fields.
 */
export abstract class LinksCallHandler<TRequest extends StudioRequest, TResult> {
  readonly #links: LinksClient;
  readonly #addresses: LinkAddresses;

  constructor(@Inject(LINKS_CLIENT) links: LinksClient, @Inject(LINK_ADDRESSES) addresses: LinkAddresses) {
    this.#links = links;
    this.#addresses = addresses;
  }

  execute(request: TRequest): Promise<TResult> {
    return this.call(this.#links, request, callOptionsFor(request), this.#addresses);
  }

  protected abstract call(
    links: LinksClient,
    request: TRequest,
    options: CallOptions,
    addresses: LinkAddresses,
  ): Promise<TResult>;
}

export function campaignLinkOf(link: ShortLinkView, addresses: LinkAddresses): CampaignLinkView {
  return { ...link, shortUrl: addresses.shortUrl(link.slug), courseId: addresses.courseOf(link.targetUrl) };
}
