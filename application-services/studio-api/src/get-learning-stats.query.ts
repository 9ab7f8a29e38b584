import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { LEARNING_CLIENT, STUDIO_API_SERVICE, type LearningClient } from './injection-tokens.ts';
import type { LearningStatsPage, LearningStatsQuery } from './studio-api-schemas.ts';
import { salesReaderOf } from './studio-roles.ts';

/** Per course of an instructor: enrollments, learners with access now, completions and the rate. */
export class GetLearningStatsQuery extends Query<LearningStatsPage> {
  readonly caller: VerifiedCaller;
  readonly input: LearningStatsQuery;
  readonly correlationId: string;

  constructor(request: { caller: VerifiedCaller; input: LearningStatsQuery; correlationId: string }) {
    super();
    this.caller = request.caller;
    this.input = request.input;
    this.correlationId = request.correlationId;
  }
}

/**
 * Asked of learning, which keeps these figures from its own enrollments (one call a page). Who may
 * read whose figures is the sales rule (an instructor their own, an admin anyone's); learning
 * checks the caller again.
 */
@QueryHandler(GetLearningStatsQuery)
export class GetLearningStatsHandler implements IQueryHandler<GetLearningStatsQuery> {
  readonly #learning: LearningClient;

  constructor(@Inject(LEARNING_CLIENT) learning: LearningClient) {
    this.#learning = learning;
  }

  execute({ caller, input, correlationId }: GetLearningStatsQuery): Promise<LearningStatsPage> {
    const { instructorId: requested, ...paging } = input;
    // An admin naming nobody sees their own courses' figures: learning answers per instructor.
    const instructorId = salesReaderOf(caller, requested) ?? caller.userId;
    return this.#learning.Enrollment.findStatsOfInstructor(
      { instructorId, ...paging },
      { caller: { service: STUDIO_API_SERVICE, ...caller }, correlationId },
    );
  }
}
