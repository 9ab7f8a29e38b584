import { contractEventCatalog } from '@strata/events';
import { identityContract } from '@strata/identity/contract';
import { MikroOrmUnitOfWork, openDatabase } from '@strata/persistence';
import { implementContract } from '@strata/rpc';
import {
  assembleDataService,
  CallCause,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  type DataService,
  type DataServiceOptions,
} from '@strata/runtime/data-service';

import { translateEmailConflict } from './email-conflict.ts';
import { identityImplementation } from './identity-implementation.ts';
import { CreateUsersTable } from './migrations/create-users-table.ts';
import { ScryptPasswordHasher } from './scrypt-password-hasher.ts';
import { SqlIdentityQueries } from './sql-identity-queries.ts';
import { userRecordSchema, userStorage } from './user-record.ts';

export const IDENTITY_SERVICE = 'identity-service';

/** Serves the identity contract. */
export type IdentityService = DataService;
export type IdentityServiceOptions = DataServiceOptions;

export const identityMapping = { entities: [userRecordSchema], migrations: [CreateUsersTable] };

/** Composes the identity data service: the same code embedded (SQLite, in-process broker) and distributed. */
export async function createIdentityService(options: IdentityServiceOptions): Promise<IdentityService> {
  const database = await openDatabase({ service: IDENTITY_SERVICE, ...options.database }, identityMapping);
  const callCause = new CallCause();
  const unitOfWork = new MikroOrmUnitOfWork({
    database,
    cause: callCause.current,
    aggregates: { User: userStorage },
    events: contractEventCatalog(identityContract),
    topicNamespace: options.eventNamespace,
    idempotencyWindowMs: options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS,
    translateFlushError: translateEmailConflict,
  });
  const queries = new SqlIdentityQueries(() => unitOfWork.session());
  const handler = implementContract(
    identityContract,
    identityImplementation({
      hasher: new ScryptPasswordHasher(),
      emailUniqueness: queries,
      queries,
    }),
    {
      unitOfWork,
      clock: options.clock,
      logger: options.logger,
    },
  );
  return assembleDataService({ service: IDENTITY_SERVICE, database, handler, callCause, options });
}
