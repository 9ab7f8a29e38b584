import { Query, QueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { LearningClient } from './injection-tokens.ts';
import type { CertificatePage, MyLearningQuery } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { LearningCallHandler } from './learning-call-handler.ts';

/** The caller's certificates, newest first. */
export class ListMyCertificatesQuery extends Query<CertificatePage> implements LearnerRequest {
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

@QueryHandler(ListMyCertificatesQuery)
export class ListMyCertificatesHandler extends LearningCallHandler<ListMyCertificatesQuery, CertificatePage> {
  protected call(learning: LearningClient, query: ListMyCertificatesQuery): Promise<CertificatePage> {
    return learning.Certificate.findByLearner(
      { learnerId: query.caller.userId, ...query.paging },
      learnerCall(query),
    );
  }
}
