import type { Actor, Page } from '@strata/shared-kernel';
import type { ShortLinkView } from './contract.ts';

/** Pages run in a stable order and resume from an opaque cursor the previous page gave. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}

export interface OwnerLinksQuery extends PageRequest {
  readonly ownerId: string;
  /** Only the links to this target, as the URL parser writes it. */
  readonly targetUrl?: string;
}

/**
 * The links context's read side: what it asks of a store across links. The context says what it
 * asks; a data service answers from its store (engagement-service, later).
 */
export interface LinksQueries {
  /** One owner's links, newest first. */
  linksOfOwner(query: OwnerLinksQuery): Promise<Page<ShortLinkView>>;
  /** The link with this slug (already folded to lower case, see `Slug.keyOf`), if any. */
  linkWithSlug(slugKey: string): Promise<ShortLinkView | null>;
}

/**
 * The role of the redirect path when it looks a link up by slug to fill its cache. No person holds
 * it; the process serving the short domain calls with it.
 */
export const REDIRECT_ROLE = 'link-redirect';

/** A person's links, and where they lead, are theirs to list, and an admin's. */
export function maySeeLinksOf(caller: Partial<Actor> | undefined, ownerId: string): boolean {
  return caller?.userId === ownerId || (caller?.roles ?? []).includes('admin');
}

/** A link found by its slug: its owner, an admin, and the redirect path (which must see every link). */
export function maySeeLinkOf(caller: Partial<Actor> | undefined, ownerId: string): boolean {
  return maySeeLinksOf(caller, ownerId) || (caller?.roles ?? []).includes(REDIRECT_ROLE);
}
