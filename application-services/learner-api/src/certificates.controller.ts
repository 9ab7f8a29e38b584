import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { RequestId, ZodValidationPipe } from '@strata/runtime';
import { CheckCertificateQuery } from './check-certificate.query.ts';
import { CertificateParams, type CertificateVerification } from './learner-api-schemas.ts';

/** Checking a certificate needs no login: whoever was handed its id (an employer, a link) may open it. */
@Controller('certificates')
export class CertificatesController {
  readonly #queries: QueryBus;

  constructor(@Inject(QueryBus) queries: QueryBus) {
    this.#queries = queries;
  }

  @Get(':certificateId')
  check(
    @Param(new ZodValidationPipe(CertificateParams, 'params')) { certificateId }: CertificateParams,
    @RequestId() correlationId: string,
  ): Promise<CertificateVerification> {
    return this.#queries.execute(new CheckCertificateQuery({ certificateId, correlationId }));
  }
}
