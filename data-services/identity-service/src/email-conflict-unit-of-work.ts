import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { UnitOfWork } from '@strata/rpc';
import { DomainError } from '@strata/shared-kernel';
import { USER_EMAIL_INDEX } from './user-record.ts';

// MariaDB names the index in its message; SQLite names the column.
const EMAIL_VIOLATION = new RegExp(`${USER_EMAIL_INDEX}|users\\.email`);

/**
 * The unit of work with one addition: the work's changes are flushed while the call's own code is
 * still on the stack, so a violation of the unique email index (two registrations that both passed
 * the advisory check) surfaces as the domain's `email-already-registered` CONFLICT rather than
 * the generic `aggregate-already-exists` the unit of work gives any duplicate key.
 */
export function emailConflictUnitOfWork(inner: MikroOrmUnitOfWork): UnitOfWork {
  return {
    run: (work, options) =>
      inner.run(async (scope) => {
        const value = await work(scope);
        try {
          await scope.session.flush();
        } catch (error) {
          if (error instanceof UniqueConstraintViolationException && EMAIL_VIOLATION.test(error.message)) {
            throw DomainError.conflict(
              'email-already-registered',
              'an account with this email already exists',
              { field: 'email' },
            );
          }
          throw error;
        }
        return value;
      }, options),
  };
}
