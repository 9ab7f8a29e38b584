import { Inject } from '@nestjs/common';
import { Query } from '@nestjs/cqrs';
import type { CallOptions } from '@strata/rpc';
import type { VerifiedCaller } from '@strata/runtime';
import { ORDERING_CLIENT, STUDIO_API_SERVICE, type OrderingClient } from './injection-tokens.ts';

/**
 * An operator's question about checkouts, asked of ordering for the verified admin. Each query is
 * a subclass of its own, in a file of its own: the query bus finds a handler by the query's class.
 */
export abstract class CheckoutQuery<TInput, TResult> extends Query<TResult> {
  readonly caller: VerifiedCaller;
  readonly input: TInput;
  /** The request id, sent as the call's correlation id so one request can be followed across services. */
  readonly correlationId: string;

  constructor(request: { caller: VerifiedCaller; input: TInput; correlationId: string }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}

/**
 * Makes the subclass's call with the admin in RPC metadata, so ordering can check the caller too
 * (AdminRoleGuard refused non-admins before anything was validated).
 */
export abstract class CheckoutQueryHandler<TQuery extends CheckoutQuery<unknown, TResult>, TResult> {
  readonly #ordering: OrderingClient;

  constructor(@Inject(ORDERING_CLIENT) ordering: OrderingClient) {
    this.#ordering = ordering;
  }

  execute(query: TQuery): Promise<TResult> {
    return this.call(this.#ordering.Checkout, query, {
      caller: { service: STUDIO_API_SERVICE, ...query.caller },
      correlationId: query.correlationId,
    });
  }

  protected abstract call(
    checkout: OrderingClient['Checkout'],
    query: TQuery,
    options: CallOptions,
  ): Promise<TResult>;
}
