import type { identityContract } from '@strata/identity/contract';
import type { ContractClient } from '@strata/rpc';

export type IdentityClient = ContractClient<typeof identityContract>;

/** The identity contract's client, bound to however identity-service is reached (TCP cluster or in-process). */
export const IDENTITY_CLIENT = Symbol('IdentityClient');
export const ACCOUNT_LOGGER = Symbol('AccountLogger');

/** How account-api names itself in the RPC metadata of calls made on nobody's behalf (register, login). */
export const ACCOUNT_API_SERVICE = 'account-api';
