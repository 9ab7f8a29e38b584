import { Query, QueryHandler } from '@nestjs/cqrs';
import type { VerifiedCaller } from '@strata/runtime';
import type { OrderingClient } from './injection-tokens.ts';
import type { MyOrdersQuery, OrderPage } from './learner-api-schemas.ts';
import { learnerCall, type LearnerRequest } from './learner-call.ts';
import { OrderingCallHandler } from './ordering-call-handler.ts';

/** The caller's own orders, every status, a page at a time. */
export class ListMyOrdersQuery extends Query<OrderPage> implements LearnerRequest {
  readonly caller: VerifiedCaller;
  readonly paging: MyOrdersQuery;
  readonly correlationId: string;

  constructor(request: LearnerRequest & { paging: MyOrdersQuery }) {
    super();
    this.caller = request.caller;
    this.paging = request.paging;
    this.correlationId = request.correlationId;
  }
}

@QueryHandler(ListMyOrdersQuery)
export class ListMyOrdersHandler extends OrderingCallHandler<ListMyOrdersQuery, OrderPage> {
  protected call(ordering: OrderingClient, query: ListMyOrdersQuery): Promise<OrderPage> {
    return ordering.Order.findByLearner(
      { learnerId: query.caller.userId, ...query.paging },
      learnerCall(query),
    );
  }
}
