import { Inject } from '@nestjs/common';
import { ORDERING_CLIENT, type OrderingClient } from './injection-tokens.ts';

/**
 * A buying handler is one or two ordering calls made for the verified learner; a subclass says
 * which. The client stays in this class's `#` field and is handed to `call`, so no subclass holds state.
 */
export abstract class OrderingCallHandler<TRequest, TResult> {
  readonly #ordering: OrderingClient;

  constructor(@Inject(ORDERING_CLIENT) ordering: OrderingClient) {
    this.#ordering = ordering;
  }

  execute(request: TRequest): Promise<TResult> {
    return this.call(this.#ordering, request);
  }

  protected abstract call(ordering: OrderingClient, request: TRequest): Promise<TResult>;
}
