import type { Actor, BusinessRule } from '@strata/shared-kernel';
import type { ShortLinkStatus } from './short-link-status.ts';

// The rules a short link keeps besides its slug's and its target's, each a named thing with a
// stable code that clients, the glossary and tests key on.

/** Admins moderate: they may stop a link that is abused, and start it again, whoever owns it. */
export function onlyItsOwnerOrAnAdminMayChangeAShortLink(
  actor: Actor,
  ownerId: string,
  linkId: string,
): BusinessRule {
  return {
    code: 'only-its-owner-or-an-admin-may-change-a-short-link',
    message: 'only the owner of this short link, or an admin, may disable or enable it',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId, linkId },
    isBroken: () => actor.userId !== ownerId && !actor.roles.includes('admin'),
  };
}

/** A link that would be gone the moment it is made is a mistake in the form, not a link. */
export function shortLinkExpiryCannotBeInThePast(expiresAt: Date, now: Date): BusinessRule {
  // An invalid Date is no moment at all, so it is never later than now.
  const given = Number.isNaN(expiresAt.getTime()) ? null : expiresAt.toISOString();
  return {
    code: 'short-link-expiry-cannot-be-in-the-past',
    message: `a short link's expiry is later than now (${now.toISOString()}); got ${given ?? 'no valid date'}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'expiresAt', expiresAt: given, now: now.toISOString() },
    isBroken: () => given === null || expiresAt.getTime() <= now.getTime(),
  };
}

/** Zero would make a link that never redirects; a fraction cannot be counted to. */
export function maxVisitsMustBeAtLeastOne(maxVisits: number): BusinessRule {
  return {
    code: 'max-visits-must-be-at-least-one',
    message: `a short link's maximum visits is a whole number of at least 1; got ${maxVisits}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'maxVisits', maxVisits },
    isBroken: () => !Number.isSafeInteger(maxVisits) || maxVisits < 1,
  };
}

/** The most visits a link may be capped at: counted in Redis and stored as a 32-bit column. */
export const MAX_VISITS_LIMIT = 1_000_000_000;

/** A cap beyond any campaign's reach could not be stored or counted exactly; a link without a cap has none. */
export function maxVisitsMustNotExceedTheLimit(maxVisits: number): BusinessRule {
  return {
    code: 'max-visits-must-not-exceed-the-limit',
    message: `a short link's maximum visits is at most ${MAX_VISITS_LIMIT}; leave it out for no cap; got ${maxVisits}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'maxVisits', maxVisits, limit: MAX_VISITS_LIMIT },
    isBroken: () => maxVisits > MAX_VISITS_LIMIT,
  };
}

/** Expiry is final: a link past its expiry is made again, not revived. */
export function expiredShortLinkCannotBeEnabled(
  status: ShortLinkStatus,
  expiresAt: Date | null,
  now: Date,
  linkId: string,
): BusinessRule {
  return {
    code: 'expired-short-link-cannot-be-enabled',
    message: 'this short link has expired; create a new one instead',
    details: { linkId, expiresAt: expiresAt?.toISOString() ?? null },
    isBroken: () => status === 'expired' || (expiresAt !== null && now.getTime() >= expiresAt.getTime()),
  };
}

/** The expiry timer records a fact of time; fired early, or for a link with no expiry, it is refused. */
export function shortLinkCannotExpireBeforeItsExpiry(
  expiresAt: Date | null,
  now: Date,
  linkId: string,
): BusinessRule {
  return {
    code: 'short-link-cannot-expire-before-its-expiry',
    message:
      expiresAt === null
        ? 'this short link has no expiry'
        : `this short link works until ${expiresAt.toISOString()}`,
    details: { linkId, expiresAt: expiresAt?.toISOString() ?? null },
    isBroken: () => expiresAt === null || now.getTime() < expiresAt.getTime(),
  };
}
