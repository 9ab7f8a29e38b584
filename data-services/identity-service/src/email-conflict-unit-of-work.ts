import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { MikroOrmUnitOfWork } from '@strata/persistence';
import type { UnitOfWork } from '@strata/rpc';
import { DomainError } from '@strata/shared-kernel';
import type { CurrentSession } from './current-session.ts';
import { USER_EMAIL_INDEX } from './user-schema.ts';

// MariaDB names the index in its message; SQLite names the column.
const EMAIL_VIOLATION = new RegExp(`${USER_EMAIL_INDEX}|users\\.email`);

/**
 * The unit of work with one addition: the work's changes are flushed while the call's own code is
 * still on the stack, so a violation of the unique email index (two registrations that both passed
 * the advisory check) surfaces as the domain's `email-already-registered` CONFLICT rather than
 * the generic `aggregate-already-exists` the unit of work gives any duplicate key. The work runs
 * with its session as the current one, so the domain's ports read inside the same transaction.
 */
export function emailConflictUnitOfWork(inner: MikroOrmUnitOfWork, current: CurrentSession): UnitOfWork {
  return {
    run: (work, options) =>
      inner.run(async (scope) => {
        const value = await current.run(scope.session as SqlEntityManager, () => work(scope));
        try {
          await (scope.session as SqlEntityManager).flush();
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
