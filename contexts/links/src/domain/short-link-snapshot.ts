import type { ShortLinkId } from './short-link-id.ts';
import type { ShortLinkStatus, SlugKind } from './short-link-status.ts';
import type { Slug } from './slug.ts';
import type { TargetUrl } from './target-url.ts';

/**
 * Everything a short link is, as one immutable value: what a store writes
 * (`ShortLink.toSnapshot()`) and hands back to `ShortLink.restore()`.
 */
export interface ShortLinkSnapshot {
  readonly id: ShortLinkId;
  /** The version as persisted (see AggregateRoot). */
  readonly version: number;
  readonly slug: Slug;
  readonly slugKind: SlugKind;
  readonly targetUrl: TargetUrl;
  readonly ownerId: string;
  readonly status: ShortLinkStatus;
  readonly expiresAt: Date | null;
  readonly maxVisits: number | null;
  readonly createdAt: Date;
  /** Who disabled it and when, while it is disabled; null once enabled again. */
  readonly disabledBy: string | null;
  readonly disabledAt: Date | null;
  /** When the expiry timer recorded that it expired. */
  readonly expiredAt: Date | null;
}
