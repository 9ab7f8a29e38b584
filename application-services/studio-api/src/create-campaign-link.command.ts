import { Inject } from '@nestjs/common';
import { Command, CommandHandler } from '@nestjs/cqrs';
import { pointAtBodyField, type VerifiedCaller } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';
import {
  CATALOG_CLIENT,
  LINK_ADDRESSES,
  LINKS_CLIENT,
  type CatalogClient,
  type LinksClient,
} from './injection-tokens.ts';
import { refusalAt, type LinkAddresses } from './link-addresses.ts';
import { campaignLinkOf } from './links-call-handler.ts';
import type { CampaignLinkView, CreateCampaignLinkBody } from './studio-api-schemas.ts';
import { callOptionsFor, type StudioRequest } from './studio-command.ts';
import { isAdmin } from './studio-roles.ts';

/** A short link to one of the caller's courses, with the slug, expiry and maximum visits asked. */
export class CreateCampaignLinkCommand extends Command<CampaignLinkView> implements StudioRequest {
  readonly caller: VerifiedCaller;
  readonly input: CreateCampaignLinkBody;
  readonly correlationId: string;

  constructor(request: StudioRequest & { input: CreateCampaignLinkBody }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}

/**
 * The course is asked of the catalog first: a link is made only to a course the caller teaches (or
 * any, for an admin), so a refusal there leaves nothing behind. The link itself is one creation in
 * engagement-service, whole or not at all; its refusals (a taken slug 409, an expiry in the past)
 * name the body field they are about.
 */
@CommandHandler(CreateCampaignLinkCommand)
export class CreateCampaignLinkHandler {
  readonly #catalog: CatalogClient;
  readonly #links: LinksClient;
  readonly #addresses: LinkAddresses;

  constructor(
    @Inject(CATALOG_CLIENT) catalog: CatalogClient,
    @Inject(LINKS_CLIENT) links: LinksClient,
    @Inject(LINK_ADDRESSES) addresses: LinkAddresses,
  ) {
    this.#catalog = catalog;
    this.#links = links;
    this.#addresses = addresses;
  }

  async execute(command: CreateCampaignLinkCommand): Promise<CampaignLinkView> {
    const { courseId, ...link } = command.input;
    const options = callOptionsFor(command);
    try {
      const course = await this.#catalog.Course.get(courseId, options).catch((error: unknown) => {
        if (error instanceof RpcError && error.code === 'NOT_FOUND') {
          throw refusalAt('courseId', 'NOT_FOUND', 'course-not-found', `no course has the id ${courseId}`);
        }
        throw error;
      });
      if (course.instructorId !== command.caller.userId && !isAdmin(command.caller)) {
        throw refusalAt(
          'courseId',
          'PERMISSION_DENIED',
          'campaign-links-are-for-the-instructors-own-courses',
          'an instructor makes campaign links to their own courses only',
        );
      }
      const created = await this.#links.ShortLink.create(
        { ...link, targetUrl: this.#addresses.coursePage(courseId) },
        options,
      );
      return campaignLinkOf(created, this.#addresses);
    } catch (error) {
      throw pointAtBodyField(error);
    }
  }
}
