import { Query, QueryHandler } from '@nestjs/cqrs';
import type { LearningClient } from './injection-tokens.ts';
import type { CertificateVerification } from './learner-api-schemas.ts';
import { anonymousCall } from './learner-call.ts';
import { LearningCallHandler } from './learning-call-handler.ts';

/**
 * Anyone holding a certificate's id checks it: who completed which course, and when. No login;
 * learner-api asks as itself, on nobody's behalf. An unknown id is a 404.
 */
export class CheckCertificateQuery extends Query<CertificateVerification> {
  readonly certificateId: string;
  readonly correlationId: string;

  constructor(request: { certificateId: string; correlationId: string }) {
    super();
    this.certificateId = request.certificateId;
    this.correlationId = request.correlationId;
  }
}

@QueryHandler(CheckCertificateQuery)
export class CheckCertificateHandler extends LearningCallHandler<
  CheckCertificateQuery,
  CertificateVerification
> {
  protected call(learning: LearningClient, query: CheckCertificateQuery): Promise<CertificateVerification> {
    return learning.Certificate.verify(query.certificateId, {}, anonymousCall(query.correlationId));
  }
}
