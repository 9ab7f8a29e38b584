import { Command, CommandHandler } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import type { VerifiedCaller } from '@strata/runtime';
import type { LinksClient } from './injection-tokens.ts';
import type { LinkAddresses } from './link-addresses.ts';
import { campaignLinkOf, LinksCallHandler } from './links-call-handler.ts';
import type { CampaignLinkView } from './studio-api-schemas.ts';
import type { StudioRequest } from './studio-command.ts';

/**
 * Disabling stops a link's redirects on every instance of the short domain within a second (410);
 * enabling lets it redirect again unless it expired. Both are idempotent. Who may is the links
 * domain's decision (the owner, or an admin).
 */
export class SwitchLinkCommand extends Command<CampaignLinkView> implements StudioRequest {
  readonly caller: VerifiedCaller;
  readonly linkId: string;
  readonly to: 'disabled' | 'active';
  readonly correlationId: string;

  constructor(request: StudioRequest & { linkId: string; to: 'disabled' | 'active' }) {
    super();
    this.caller = request.caller;
    this.linkId = request.linkId;
    this.to = request.to;
    this.correlationId = request.correlationId;
  }
}

@CommandHandler(SwitchLinkCommand)
export class SwitchLinkHandler extends LinksCallHandler<SwitchLinkCommand, CampaignLinkView> {
  protected async call(
    links: LinksClient,
    { linkId, to }: SwitchLinkCommand,
    options: CallOptions,
    addresses: LinkAddresses,
  ): Promise<CampaignLinkView> {
    const link =
      to === 'disabled'
        ? await links.ShortLink.disable(linkId, {}, options)
        : await links.ShortLink.enable(linkId, {}, options);
    return campaignLinkOf(link, addresses);
  }
}
