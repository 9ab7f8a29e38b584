import { Query, QueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { LearningClient } from './injection-tokens.ts';
import type { MyCoursePage, MyLearningQuery } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { LearningCallHandler } from './learning-call-handler.ts';

/**
 * "My courses": the caller's enrollments with their progress against today's outline, one page in
 * one call (learning-service answers it from its own records, not a call per course).
 */
export class ListMyCoursesQuery extends Query<MyCoursePage> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly paging: MyLearningQuery;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { paging: MyLearningQuery }) {
    super();
    this.caller = request.caller;
    this.paging = request.paging;
    this.correlationId = request.correlationId;
  }
}

@QueryHandler(ListMyCoursesQuery)
export class ListMyCoursesHandler extends LearningCallHandler<ListMyCoursesQuery, MyCoursePage> {
  protected call(learning: LearningClient, query: ListMyCoursesQuery): Promise<MyCoursePage> {
    return learning.Enrollment.findByLearner(
      { learnerId: query.caller.userId, ...query.paging },
      learnerCall(query),
    );
  }
}
