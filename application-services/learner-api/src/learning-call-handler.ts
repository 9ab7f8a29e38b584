import { Inject } from '@nestjs/common';
import { LEARNING_CLIENT, type LearningClient } from './injection-tokens.ts';

/**
 * A learning handler is one or two learning calls made for the verified learner (or, checking a
 * certificate, for anyone); a subclass says which. As OrderingCallHandler, no subclass holds state.
 */
export abstract class LearningCallHandler<TRequest, TResult> {
  readonly #learning: LearningClient;

  constructor(@Inject(LEARNING_CLIENT) learning: LearningClient) {
    this.#learning = learning;
  }

  execute(request: TRequest): Promise<TResult> {
    return this.call(this.#learning, request);
  }

  protected abstract call(learning: LearningClient, request: TRequest): Promise<TResult>;
}
