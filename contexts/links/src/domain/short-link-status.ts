/**
 * Where a short link stands. It is created active; its owner (or an admin) may disable it and
 * enable it again; once its expiry has passed the clock expires it, and that is final. Using up
 * its maximum visits is not a status: the visits are counted outside the aggregate (ADR 0017),
 * so only a resolution can say a link is used up.
 */
export const SHORT_LINK_STATUSES = ['active', 'disabled', 'expired'] as const;

export type ShortLinkStatus = (typeof SHORT_LINK_STATUSES)[number];

/** How a link got its slug: made up by the platform, or chosen by its owner. */
export const SLUG_KINDS = ['generated', 'custom'] as const;

export type SlugKind = (typeof SLUG_KINDS)[number];
