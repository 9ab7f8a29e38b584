import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { AdminRoleGuard } from './admin-role.guard.ts';
import { FindUnfinishedCheckoutsQuery } from './find-unfinished-checkouts.query.ts';
import { GetCheckoutQuery } from './get-checkout.query.ts';
import {
  CheckoutParams,
  UnfinishedCheckoutsQuery,
  type CheckoutPage,
  type CheckoutView,
} from './studio-api-schemas.ts';

/**
 * The operator's view of checkouts, for admins only (403 otherwise, before input is validated): which are stuck, and why
 * (step, deadline, attempts, last error, commands not yet sent), answered by ordering.
 */
@Controller('admin/checkouts')
@UseGuards(BearerAuthGuard, AdminRoleGuard)
export class CheckoutAdminController {
  readonly #queries: QueryBus;

  constructor(@Inject(QueryBus) queries: QueryBus) {
    this.#queries = queries;
  }

  @Get()
  unfinished(
    @Query(new ZodValidationPipe(UnfinishedCheckoutsQuery, 'query')) input: UnfinishedCheckoutsQuery,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CheckoutPage> {
    return this.#queries.execute(new FindUnfinishedCheckoutsQuery({ caller, input, correlationId }));
  }

  @Get(':orderId')
  checkout(
    @Param(new ZodValidationPipe(CheckoutParams, 'params')) input: CheckoutParams,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CheckoutView> {
    return this.#queries.execute(new GetCheckoutQuery({ caller, input, correlationId }));
  }
}
