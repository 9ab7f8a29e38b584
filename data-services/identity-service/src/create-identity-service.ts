import { identityContract } from '@strata/identity/contract';
import { implementContract } from '@strata/rpc';
import {
  composeDataService,
  type DataService,
  type DataServiceOptions,
  type HostedContext,
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

const identity: HostedContext = {
  contract: identityContract,
  aggregates: { User: userStorage },
  serve: ({ unitOfWork, session, options }) => {
    const queries = new SqlIdentityQueries(session);
    return implementContract(
      identityContract,
      identityImplementation({ hasher: new ScryptPasswordHasher(), emailUniqueness: queries, queries }),
      { unitOfWork, clock: options.clock, logger: options.logger },
    );
  },
};

/** Composes the identity data service: the same code embedded (SQLite, in-process broker) and distributed. */
export function createIdentityService(options: IdentityServiceOptions): Promise<IdentityService> {
  return composeDataService(
    {
      service: IDENTITY_SERVICE,
      mapping: identityMapping,
      contexts: [identity],
      translateWriteError: translateEmailConflict,
    },
    options,
  );
}
