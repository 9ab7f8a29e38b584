import { AggregateRoot, checkRule, newId, type Actor, type Clock } from '@strata/shared-kernel';
import type { ShortLinkEventPayloads, ShortLinkEventType } from '../short-link-events.ts';
import { resolveLink, type LinkResolution } from './link-resolution.ts';
import type { LinkPolicy } from './link-policy.ts';
import type { RandomSource } from './random-source.ts';
import type { ShortLinkId } from './short-link-id.ts';
import {
  expiredShortLinkCannotBeEnabled,
  maxVisitsMustBeAtLeastOne,
  maxVisitsMustNotExceedTheLimit,
  onlyItsOwnerOrAnAdminMayChangeAShortLink,
  shortLinkCannotExpireBeforeItsExpiry,
  shortLinkExpiryCannotBeInThePast,
} from './short-link-rules.ts';
import type { ShortLinkSnapshot } from './short-link-snapshot.ts';
import type { ShortLinkStatus, SlugKind } from './short-link-status.ts';
import { Slug } from './slug.ts';
import { TargetUrl } from './target-url.ts';

/** What an owner asks for. Without a slug the platform generates one. */
export interface ShortLinkRequest {
  readonly targetUrl: string;
  readonly slug?: string;
  readonly expiresAt?: Date;
  readonly maxVisits?: number;
}

/** What creating a link needs besides the request: the deployment's policy and a random source. */
export interface ShortLinkContext {
  readonly policy: LinkPolicy;
  readonly random: RandomSource;
}

/**
 * A short address on the platform's short domain that sends its visitors to a target URL. Its
 * owner made it (to share a course, a certificate, a campaign); it may expire at a set time and
 * may allow a maximum number of visits; its owner or an admin may disable it and enable it again.
 *
 * `resolve` decides a visit without changing anything: visits are counted outside the aggregate
 * and never load or save it (ADR 0017). State is private (`#`, ADR 0008); a store keeps it
 * through `toSnapshot()` / `ShortLink.restore()`.
 */
export class ShortLink extends AggregateRoot<ShortLinkId> {
  declare readonly id: ShortLinkId;
  readonly #fields: {
    -readonly [K in Exclude<keyof ShortLinkSnapshot, 'id' | 'version'>]: ShortLinkSnapshot[K];
  };

  private constructor(snapshot: ShortLinkSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  /** A link as a store kept it: no rule runs and no event is recorded, it already happened. */
  static restore(snapshot: ShortLinkSnapshot): ShortLink {
    return new ShortLink(snapshot);
  }

  toSnapshot(): ShortLinkSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'ShortLink' {
    return 'ShortLink';
  }

  get slug(): string {
    return this.#fields.slug.value;
  }

  get slugKind(): SlugKind {
    return this.#fields.slugKind;
  }

  get targetUrl(): string {
    return this.#fields.targetUrl.value;
  }

  get ownerId(): string {
    return this.#fields.ownerId;
  }

  get status(): ShortLinkStatus {
    return this.#fields.status;
  }

  get expiresAt(): Date | null {
    return this.#fields.expiresAt && new Date(this.#fields.expiresAt);
  }

  get maxVisits(): number | null {
    return this.#fields.maxVisits;
  }

  get createdAt(): Date {
    return new Date(this.#fields.createdAt);
  }

  get disabledBy(): string | null {
    return this.#fields.disabledBy;
  }

  get disabledAt(): Date | null {
    return this.#fields.disabledAt && new Date(this.#fields.disabledAt);
  }

  get expiredAt(): Date | null {
    return this.#fields.expiredAt && new Date(this.#fields.expiredAt);
  }

  /**
   * Anyone signed in makes a link to a target of their choice; they own it from then on. A slug
   * they choose is kept if it keeps the slug rules; without one, `context.random` makes one up.
   * Whether the slug is free is the store's to say: it refuses a taken custom slug
   * (`custom-slug-must-not-be-taken`) and the service creates again on a generated collision.
   */
  static create(
    request: ShortLinkRequest,
    context: ShortLinkContext,
    actor: Actor,
    clock: Clock,
    id: ShortLinkId = newId<'ShortLink'>(),
  ): ShortLink {
    const now = clock.now();
    const targetUrl = TargetUrl.of(request.targetUrl, context.policy);
    const slug = request.slug === undefined ? Slug.generate(context.random) : Slug.custom(request.slug);
    const expiresAt = request.expiresAt ?? null;
    if (expiresAt !== null) checkRule(shortLinkExpiryCannotBeInThePast(expiresAt, now));
    const maxVisits = request.maxVisits ?? null;
    if (maxVisits !== null) {
      checkRule(maxVisitsMustBeAtLeastOne(maxVisits));
      checkRule(maxVisitsMustNotExceedTheLimit(maxVisits));
    }
    const link = new ShortLink({
      id,
      version: 0,
      slug,
      slugKind: request.slug === undefined ? 'generated' : 'custom',
      targetUrl,
      ownerId: actor.userId,
      status: 'active',
      expiresAt: expiresAt && new Date(expiresAt),
      maxVisits,
      createdAt: now,
      disabledBy: null,
      disabledAt: null,
      expiredAt: null,
    });
    link.#emit(
      'ShortLinkCreated',
      {
        linkId: id,
        slug: slug.value,
        slugKind: link.#fields.slugKind,
        targetUrl: targetUrl.value,
        ownerId: actor.userId,
        expiresAt: expiresAt?.toISOString() ?? null,
        maxVisits,
      },
      now,
    );
    return link;
  }

  /** Stops the link redirecting. Disabling a link that is disabled or expired changes nothing. */
  disable(actor: Actor, clock: Clock): void {
    checkRule(onlyItsOwnerOrAnAdminMayChangeAShortLink(actor, this.#fields.ownerId, this.id));
    if (this.#fields.status !== 'active') return;
    const now = clock.now();
    this.#fields.status = 'disabled';
    this.#fields.disabledBy = actor.userId;
    this.#fields.disabledAt = now;
    this.#emit('ShortLinkDisabled', { linkId: this.id, slug: this.slug, disabledBy: actor.userId }, now);
  }

  /** Lets a disabled link redirect again, unless it has expired. Enabling an active link changes nothing. */
  enable(actor: Actor, clock: Clock): void {
    checkRule(onlyItsOwnerOrAnAdminMayChangeAShortLink(actor, this.#fields.ownerId, this.id));
    const now = clock.now();
    checkRule(expiredShortLinkCannotBeEnabled(this.#fields.status, this.#fields.expiresAt, now, this.id));
    if (this.#fields.status === 'active') return;
    this.#fields.status = 'active';
    this.#fields.disabledBy = null;
    this.#fields.disabledAt = null;
    this.#emit('ShortLinkEnabled', { linkId: this.id, slug: this.slug, enabledBy: actor.userId }, now);
  }

  /**
   * The expiry timer records that the link's expiry has passed. It takes no actor: it states a
   * fact of time that anyone may observe and no one may bring forward (refused before the
   * expiry). Once recorded, a second run changes nothing.
   */
  expire(clock: Clock): void {
    if (this.#fields.status === 'expired') return;
    const now = clock.now();
    checkRule(shortLinkCannotExpireBeforeItsExpiry(this.#fields.expiresAt, now, this.id));
    const expiresAt = this.#fields.expiresAt as Date;
    this.#fields.status = 'expired';
    this.#fields.expiredAt = now;
    this.#emit(
      'ShortLinkExpired',
      { linkId: this.id, slug: this.slug, expiresAt: expiresAt.toISOString() },
      now,
    );
  }

  /** Decides a visit at `now`, the link having granted `visitsSoFar` visits before it (see `resolveLink`). */
  resolve(now: Date, visitsSoFar: number): LinkResolution {
    return resolveLink(
      {
        targetUrl: this.#fields.targetUrl.value,
        status: this.#fields.status,
        expiresAt: this.#fields.expiresAt,
        maxVisits: this.#fields.maxVisits,
      },
      now,
      visitsSoFar,
    );
  }

  #emit<TType extends ShortLinkEventType>(
    type: TType,
    payload: ShortLinkEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
