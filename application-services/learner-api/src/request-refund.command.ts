import { CommandHandler } from '@nestjs/cqrs';
import type { OrderingClient } from './injection-tokens.ts';
import type { OrderView } from './learner-api-schemas.ts';
import { learnerCall } from './learner-call.ts';
import { loadMyOrder } from './my-order.ts';
import { OrderChangeCommand } from './order-change.ts';
import { OrderingCallHandler } from './ordering-call-handler.ts';

/**
 * The learner asks for their money back on a paid order; the order's rules decide (the refund
 * window, no certificate issued). The refund itself is the checkout's to carry out.
 */
export class RequestRefundCommand extends OrderChangeCommand {}

@CommandHandler(RequestRefundCommand)
export class RequestRefundHandler extends OrderingCallHandler<RequestRefundCommand, OrderView> {
  protected async call(ordering: OrderingClient, command: RequestRefundCommand): Promise<OrderView> {
    await loadMyOrder(ordering, command.orderId, command);
    return ordering.Order.requestRefund(
      command.orderId,
      { reason: 'learner-request' },
      learnerCall(command, command.expectedVersion),
    );
  }
}
