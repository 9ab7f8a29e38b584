import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '@strata/shared-kernel';
import { USER_EMAIL_INDEX } from './user-record.ts';

// MariaDB names the index in its message; SQLite names the column.
const EMAIL_VIOLATION = new RegExp(`${USER_EMAIL_INDEX}|users\\.email`);

/**
 * The unit of work's flush-error translation for identity: two registrations that both passed the
 * advisory email check meet the unique email index at flush, and that is the domain's
 * `email-already-registered` CONFLICT, not the generic `aggregate-already-exists`.
 */
export function translateEmailConflict(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException && EMAIL_VIOLATION.test(error.message)) {
    return DomainError.conflict('email-already-registered', 'an account with this email already exists', {
      field: 'email',
    });
  }
  return error;
}
