import type { ShortLinkView } from './contract.ts';
import type { ResolvableLink } from './domain/link-resolution.ts';
import type { ShortLink } from './domain/short-link.ts';

/** What the contract shows of a link, field by field, so a new internal field never leaks by accident. */
export function toShortLinkView(link: ShortLink): ShortLinkView {
  const { disabledBy, disabledAt } = link;
  return {
    id: link.id,
    slug: link.slug,
    slugKind: link.slugKind,
    targetUrl: link.targetUrl,
    ownerId: link.ownerId,
    status: link.status,
    expiresAt: link.expiresAt?.toISOString() ?? null,
    maxVisits: link.maxVisits,
    createdAt: link.createdAt.toISOString(),
    disabled:
      disabledBy !== null && disabledAt !== null ? { by: disabledBy, at: disabledAt.toISOString() } : null,
    expiredAt: link.expiredAt?.toISOString() ?? null,
    version: link.version,
  };
}

/** What resolving needs, from a view: how the redirect path fills its cache from `findBySlug`. */
export function resolvableLinkOf(view: ShortLinkView): ResolvableLink {
  return {
    targetUrl: view.targetUrl,
    status: view.status,
    expiresAt: view.expiresAt === null ? null : new Date(view.expiresAt),
    maxVisits: view.maxVisits,
  };
}
