import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '@strata/shared-kernel';
import { ORDERS_PENDING_CLAIM_INDEX } from './order-record.ts';

// MariaDB names the index in its message; SQLite names the column.
const PENDING_CLAIM_VIOLATION = new RegExp(`${ORDERS_PENDING_CLAIM_INDEX}|orders\\.pending_claim`);

/**
 * The unit of work's flush-error translation for ordering: a checkout that raced another for the
 * same courses meets the unique pending claim at commit. That is the domain's refusal of a second
 * order for courses awaiting payment, not the generic `aggregate-already-exists`; placing again
 * then answers the order the first checkout made.
 */
export function translatePendingClaimConflict(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException && PENDING_CLAIM_VIOLATION.test(error.message)) {
    return DomainError.conflict(
      'course-awaiting-payment-cannot-be-ordered-again',
      'another checkout placed an order for these courses at the same moment; place it again to get that order',
    );
  }
  return error;
}
