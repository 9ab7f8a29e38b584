import type { OrderView } from './contract.ts';
import type { Order } from './domain/order.ts';

/** What the contract shows of an order, field by field, so a new internal field never leaks by accident. */
export function toOrderView(order: Order): OrderView {
  const { payment, cancellation, refund } = order;
  return {
    id: order.id,
    learnerId: order.learnerId,
    status: order.status,
    lines: order.lines.map((line) => ({
      courseId: line.courseId,
      instructorId: line.instructorId,
      title: line.title,
      price: line.price.toJSON(),
    })),
    total: order.total.toJSON(),
    placedAt: order.placedAt.toISOString(),
    paymentDeadline: order.paymentDeadline.toISOString(),
    payment: payment && { paymentId: payment.paymentId, paidAt: payment.paidAt.toISOString() },
    refundDeadline: order.refundDeadline?.toISOString() ?? null,
    cancellation: cancellation && {
      reason: cancellation.reason,
      cancelledBy: cancellation.cancelledBy,
      cancelledAt: cancellation.cancelledAt.toISOString(),
    },
    expiredAt: order.expiredAt?.toISOString() ?? null,
    refund: refund && {
      reason: refund.reason,
      requestedBy: refund.requestedBy,
      requestedAt: refund.requestedAt.toISOString(),
      refundId: refund.refundId,
      refundedAt: refund.refundedAt?.toISOString() ?? null,
    },
    version: order.version,
  };
}
