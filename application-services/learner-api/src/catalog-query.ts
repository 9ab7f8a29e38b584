import { Query } from '@nestjs/cqrs';

/**
 * A learner query answered by calling the catalog within one HTTP request: the validated input and
 * the request id. Each query is a subclass of its own, in a file of its own: the query bus finds a
 * handler by the query's class.
 */
export abstract class CatalogQuery<TInput, TResult> extends Query<TResult> {
  readonly input: TInput;
  /** The request id, sent as the call's correlation id so one request can be followed across services. */
  readonly correlationId: string;

  constructor(request: { input: TInput; correlationId: string }) {
    super();
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}
