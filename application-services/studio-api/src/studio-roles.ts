import type { VerifiedCaller } from '@strata/runtime';
import { RpcError } from '@strata/shared-kernel';

/*
 * Who may read what in the studio beyond their own courses. The gateway already keeps callers
 * without the route's role out; these rules hold for a direct call too, and answer 403 with a
 * stable reason.
 */

export const isAdmin = (caller: VerifiedCaller): boolean => caller.roles.includes('admin');

/** Operators' views (checkouts) are for admins only. */
export function requireAdmin(caller: VerifiedCaller, what: string): void {
  if (!isAdmin(caller)) {
    throw new RpcError('PERMISSION_DENIED', `only an admin may ${what}`, { reason: 'admin-role-required' });
  }
}

/**
 * Whose sales the caller may read: an instructor their own, an admin anyone's (or every course,
 * answered as null, when naming nobody). Anyone else, or an instructor naming another, is refused.
 */
export function salesReaderOf(caller: VerifiedCaller, requested: string | undefined): string | null {
  if (isAdmin(caller)) return requested ?? null;
  if (!caller.roles.includes('instructor')) {
    throw new RpcError('PERMISSION_DENIED', 'only instructors and admins see sales', {
      reason: 'instructor-role-required',
    });
  }
  if (requested !== undefined && requested !== caller.userId) {
    throw new RpcError('PERMISSION_DENIED', "an instructor sees their own courses' sales only", {
      reason: 'sales-of-another-instructor',
    });
  }
  return caller.userId;
}
