import type { ResolvableLink } from '@strata/links';
import type { ShortLinkView } from '@strata/links/contract';

/**
 * What the redirect path keeps of a link: what resolving needs, plus the link's id (visits are
 * counted by it) and version (a fill older than the last invalidation is refused, see LinkCache).
 */
export interface CachedLink extends ResolvableLink {
  readonly linkId: string;
  readonly slug: string;
  readonly version: number;
}

export function cachedLinkOf(view: ShortLinkView): CachedLink {
  return {
    linkId: view.id,
    slug: view.slug,
    version: view.version,
    targetUrl: view.targetUrl,
    status: view.status,
    expiresAt: view.expiresAt === null ? null : new Date(view.expiresAt),
    maxVisits: view.maxVisits,
  };
}

/** As stored in Redis: one JSON string, the expiry as epoch milliseconds. */
export function encodeCachedLink(link: CachedLink | null): string {
  if (link === null) return 'null';
  return JSON.stringify({ ...link, expiresAt: link.expiresAt?.getTime() ?? null });
}

export function decodeCachedLink(stored: string): CachedLink | null {
  const raw = JSON.parse(stored) as (Omit<CachedLink, 'expiresAt'> & { expiresAt: number | null }) | null;
  if (raw === null) return null;
  return { ...raw, expiresAt: raw.expiresAt === null ? null : new Date(raw.expiresAt) };
}
