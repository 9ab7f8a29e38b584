import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { GetSalesQuery } from './get-sales.query.ts';
import { SalesQuery, type SalesView } from './studio-api-schemas.ts';

/** The instructors' sales, from the read model ordering's events keep: an instructor's own, or any for an admin. */
@Controller('sales')
@UseGuards(BearerAuthGuard)
export class SalesController {
  readonly #queries: QueryBus;

  constructor(@Inject(QueryBus) queries: QueryBus) {
    this.#queries = queries;
  }

  @Get()
  sales(
    @Query(new ZodValidationPipe(SalesQuery, 'query')) input: SalesQuery,
    @Caller() caller: VerifiedCaller,
  ): Promise<SalesView> {
    return this.#queries.execute(new GetSalesQuery(caller, input));
  }
}
