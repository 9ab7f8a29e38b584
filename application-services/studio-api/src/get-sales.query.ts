import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import { SALES_READ_MODEL } from './injection-tokens.ts';
import type { SalesReadModel } from './sales-read-model.ts';
import type { SalesQuery, SalesView } from './studio-api-schemas.ts';
import { salesReaderOf } from './studio-roles.ts';

/** Per-course sales figures, answered from the read model (no call to commerce-service). */
export class GetSalesQuery extends Query<SalesView> {
  readonly caller: VerifiedCaller;
  readonly input: SalesQuery;

  constructor(caller: VerifiedCaller, input: SalesQuery) {
    super();
    this.caller = caller;
    this.input = input;
  }
}

@QueryHandler(GetSalesQuery)
export class GetSalesHandler implements IQueryHandler<GetSalesQuery> {
  readonly #sales: SalesReadModel;

  constructor(@Inject(SALES_READ_MODEL) sales: SalesReadModel) {
    this.#sales = sales;
  }

  async execute({ caller, input }: GetSalesQuery): Promise<SalesView> {
    const instructorId = salesReaderOf(caller, input.instructorId);
    const courses =
      instructorId === null ? await this.#sales.allSales() : await this.#sales.salesOf(instructorId);
    return { instructorId, courses };
  }
}
