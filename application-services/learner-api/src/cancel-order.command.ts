import { CommandHandler } from '@nestjs/cqrs';
import type { OrderingClient } from './injection-tokens.ts';
import type { OrderView } from './learner-api-schemas.ts';
import { learnerCall } from './learner-call.ts';
import { loadMyOrder } from './my-order.ts';
import { OrderChangeCommand } from './order-change.ts';
import { OrderingCallHandler } from './ordering-call-handler.ts';

/** The learner gives up on an order they have not paid; cancelling a closed one changes nothing. */
export class CancelOrderCommand extends OrderChangeCommand {}

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler extends OrderingCallHandler<CancelOrderCommand, OrderView> {
  protected async call(ordering: OrderingClient, command: CancelOrderCommand): Promise<OrderView> {
    await loadMyOrder(ordering, command.orderId, command);
    return ordering.Order.cancel(command.orderId, {}, learnerCall(command, command.expectedVersion));
  }
}
