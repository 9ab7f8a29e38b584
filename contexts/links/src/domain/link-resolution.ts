import type { ShortLinkStatus } from './short-link-status.ts';

/** Why a known link no longer redirects; the redirect answers 410 Gone with the reason. */
export const GONE_REASONS = ['disabled', 'expired', 'used-up'] as const;

export type GoneReason = (typeof GONE_REASONS)[number];

/** What a visit to a known slug comes to: where to send the visitor, or why the link is gone. */
export type LinkResolution =
  | { readonly outcome: 'redirect'; readonly targetUrl: string }
  | { readonly outcome: 'gone'; readonly reason: GoneReason };

/** What resolving needs of a link, and no more: what the redirect path keeps in its cache. */
export interface ResolvableLink {
  readonly targetUrl: string;
  readonly status: ShortLinkStatus;
  readonly expiresAt: Date | null;
  readonly maxVisits: number | null;
}

// One frozen answer per reason: the hottest path of the platform allocates nothing to say "gone".
const GONE: { readonly [R in GoneReason]: LinkResolution } = {
  disabled: Object.freeze({ outcome: 'gone', reason: 'disabled' }),
  expired: Object.freeze({ outcome: 'gone', reason: 'expired' }),
  'used-up': Object.freeze({ outcome: 'gone', reason: 'used-up' }),
};

/**
 * Decides one visit. `visitsSoFar` is how many visits the link had already been granted before
 * this one: with an atomic counter, the number the increment answered minus one. So a link of at
 * most N visits redirects exactly the visits numbered 1 to N, however many arrive at once.
 *
 * Pure and cheap (three comparisons), since the redirect path calls it on every visit with
 * counts from Redis. The expiry is compared with `now` here rather than trusted to the status,
 * because the timer that records the expiry may run late; a disabled link is gone whatever the
 * time, so that reason comes first. A count that is not a number is read as used up, so a broken
 * counter never lets a capped link run free.
 */
export function resolveLink(link: ResolvableLink, now: Date, visitsSoFar: number): LinkResolution {
  if (link.status === 'disabled') return GONE.disabled;
  if (link.status === 'expired' || (link.expiresAt !== null && now.getTime() >= link.expiresAt.getTime())) {
    return GONE.expired;
  }
  if (link.maxVisits !== null && !(visitsSoFar < link.maxVisits)) return GONE['used-up'];
  return { outcome: 'redirect', targetUrl: link.targetUrl };
}
