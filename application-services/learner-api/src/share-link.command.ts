import { Inject } from '@nestjs/common';
import { Command, CommandHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';
import {
  CATALOG_CLIENT,
  LEARNING_CLIENT,
  LINKS_CLIENT,
  SHARE_ADDRESSES,
  type CatalogClient,
  type LearningClient,
  type LinksClient,
} from './injection-tokens.ts';
import type { SharedLinkView } from './learner-api-schemas.ts';
import { anonymousCall, learnerCall, type LearnerRequest } from './learner-call.ts';
import type { ShareAddresses } from './share-addresses.ts';

/** What a learner shares: a published course's page, or the public check of a certificate of theirs. */
export type Shared = { readonly course: string } | { readonly certificate: string };

/** Answered with whether the link was made now (201) or is the one the learner had (200). */
export interface ShareOutcome {
  readonly made: boolean;
  readonly link: SharedLinkView;
}

export class ShareLinkCommand extends Command<ShareOutcome> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly shared: Shared;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { shared: Shared }) {
    super();
    this.caller = request.caller;
    this.shared = request.shared;
    this.correlationId = request.correlationId;
  }
}

/**
 * One short link per learner and shared page, however often asked: the learner's link to that page
 * is looked up first (findByOwner with the target), and made only when there is none, under an
 * idempotency key of the learner and the page so two requests racing each other make one link.
 * The page is checked first, so a refusal leaves nothing behind: a course must be published (an
 * unpublished or unknown one is 404), a certificate must be the caller's (403) and exist (404).
 */
@CommandHandler(ShareLinkCommand)
export class ShareLinkHandler {
  readonly #catalog: CatalogClient;
  readonly #learning: LearningClient;
  readonly #links: LinksClient;
  readonly #addresses: ShareAddresses;

  constructor(
    @Inject(CATALOG_CLIENT) catalog: CatalogClient,
    @Inject(LEARNING_CLIENT) learning: LearningClient,
    @Inject(LINKS_CLIENT) links: LinksClient,
    @Inject(SHARE_ADDRESSES) addresses: ShareAddresses,
  ) {
    this.#catalog = catalog;
    this.#learning = learning;
    this.#links = links;
    this.#addresses = addresses;
  }

  async execute(command: ShareLinkCommand): Promise<ShareOutcome> {
    const targetUrl = await this.#targetOf(command);
    const options = learnerCall(command);
    const ownerId = command.caller.userId;
    const [existing] = (await this.#links.ShortLink.findByOwner({ ownerId, targetUrl, limit: 1 }, options))
      .items;
    if (existing !== undefined) return { made: false, link: this.#shown(existing) };
    const made = await this.#links.ShortLink.create(
      { targetUrl },
      { ...options, idempotencyKey: `share:${ownerId}:${targetUrl}` },
    );
    return { made: true, link: this.#shown(made) };
  }

  async #targetOf(command: ShareLinkCommand): Promise<string> {
    const { shared, correlationId } = command;
    if ('course' in shared) {
      const course = await this.#catalog.Course.get(shared.course, anonymousCall(correlationId)).catch(
        (error: unknown) => {
          if (error instanceof RpcError && error.code === 'NOT_FOUND') return null;
          throw error;
        },
      );
      if (course === null || course.status !== 'published') {
        throw new RpcError('NOT_FOUND', `no published course has the id ${shared.course}`, {
          reason: 'shared-course-must-be-published',
          issues: [{ path: ['params', 'courseId'], message: 'no published course has this id' }],
        });
      }
      return this.#addresses.coursePage(course.id);
    }
    const certificate = await this.#learning.Certificate.verify(
      shared.certificate,
      {},
      anonymousCall(correlationId),
    ).catch((error: unknown) => {
      if (error instanceof RpcError && error.code === 'NOT_FOUND') {
        throw new RpcError('NOT_FOUND', `no certificate has the id ${shared.certificate}`, {
          reason: error.reason ?? 'certificate-not-found',
          issues: [{ path: ['params', 'certificateId'], message: 'no certificate has this id' }],
        });
      }
      throw error;
    });
    if (certificate.learnerId !== command.caller.userId) {
      throw new RpcError('PERMISSION_DENIED', 'a learner shares their own certificates only', {
        reason: 'only-its-learner-may-share-a-certificate',
        issues: [{ path: ['params', 'certificateId'], message: 'this certificate is not yours' }],
      });
    }
    return this.#addresses.certificatePage(certificate.certificateId);
  }

  #shown(link: Omit<SharedLinkView, 'shortUrl'>): SharedLinkView {
    return { ...link, shortUrl: this.#addresses.shortUrl(link.slug) };
  }
}
