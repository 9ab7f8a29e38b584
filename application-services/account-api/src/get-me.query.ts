import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { UserView } from './account-api-schemas.ts';
import { identityCall } from './identity-call.ts';
import { IDENTITY_CLIENT, type IdentityClient } from './injection-tokens.ts';

export class GetMeQuery extends Query<UserView> {
  readonly caller: VerifiedCaller;
  /** The request id, sent as the calls' correlation id so one request can be followed across services. */
  readonly correlationId: string;

  constructor({ caller, correlationId }: { caller: VerifiedCaller; correlationId: string }) {
    super();
    this.caller = caller;
    this.correlationId = correlationId;
  }
}

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  readonly #identity: IdentityClient;

  constructor(@Inject(IDENTITY_CLIENT) identity: IdentityClient) {
    this.#identity = identity;
  }

  execute({ caller, correlationId }: GetMeQuery): Promise<UserView> {
    return this.#identity.User.get(caller.userId, identityCall(correlationId, caller));
  }
}
