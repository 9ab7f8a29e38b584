import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerAuthGuard, Caller, RequestId, ZodValidationPipe, type VerifiedCaller } from '@strata/runtime';
import { FindUnfinishedCheckoutsQuery } from './find-unfinished-checkouts.query.ts';
import { GetCheckoutQuery } from './get-checkout.query.ts';
import {
  CheckoutParams,
  UnfinishedCheckoutsQuery,
  type CheckoutPage,
  type CheckoutView,
} from './studio-api-schemas.ts';
import { requireAdmin } from './studio-roles.ts';

// Validated after the role check, so a non-admin learns nothing from the refusal but "403".
const unfinishedQuery = new ZodValidationPipe(UnfinishedCheckoutsQuery, 'query');
const checkoutParams = new ZodValidationPipe(CheckoutParams, 'params');

/**
 * The operator's view of checkouts, for admins only (403 otherwise): which are stuck, and why
 * (step, deadline, attempts, last error, commands not yet sent), answered by ordering.
 */
@Controller('admin/checkouts')
@UseGuards(BearerAuthGuard)
export class CheckoutAdminController {
  readonly #queries: QueryBus;

  constructor(@Inject(QueryBus) queries: QueryBus) {
    this.#queries = queries;
  }

  @Get()
  unfinished(
    @Query() query: unknown,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CheckoutPage> {
    requireAdmin(caller, 'see checkouts');
    const input = unfinishedQuery.transform(query);
    return this.#queries.execute(new FindUnfinishedCheckoutsQuery({ caller, input, correlationId }));
  }

  @Get(':orderId')
  checkout(
    @Param() params: unknown,
    @Caller() caller: VerifiedCaller,
    @RequestId() correlationId: string,
  ): Promise<CheckoutView> {
    requireAdmin(caller, 'see checkouts');
    const input = checkoutParams.transform(params);
    return this.#queries.execute(new GetCheckoutQuery({ caller, input, correlationId }));
  }
}
