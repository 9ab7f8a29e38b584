import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { customSlugMustNotBeTaken } from '@strata/links';
import { DomainError } from '@strata/shared-kernel';
import { SHORT_LINKS_SLUG_INDEX } from './short-link-record.ts';

// MariaDB names the index in its message; SQLite names the column.
const SLUG_VIOLATION = new RegExp(`${SHORT_LINKS_SLUG_INDEX}|short_links\\.slug`);

/**
 * The unit of work's flush-error translation for links: two creations that both found a custom
 * slug free meet the unique index at commit, and the later one is the domain's
 * `custom-slug-must-not-be-taken` CONFLICT (409 with the field `slug`), not the generic
 * `aggregate-already-exists`. Nothing of the refused link was written: the transaction rolled back.
 */
export function translateSlugConflict(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException && SLUG_VIOLATION.test(error.message)) {
    const rule = customSlugMustNotBeTaken('(taken at commit)', true);
    return DomainError.conflict(rule.code, 'another short link took this slug at the same moment', {
      field: 'slug',
    });
  }
  return error;
}
