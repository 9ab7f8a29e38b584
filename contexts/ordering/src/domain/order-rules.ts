import type { Actor, BusinessRule, Money } from '@strata/shared-kernel';
import { CHECKOUT_ROLE } from './checkout-role.ts';
import type { OrderStatus } from './order-status.ts';

// The rules an order keeps once it exists, each a named thing with a stable code that clients,
// the glossary and tests key on. The rules of placing an order are in placement-rules.ts.

export function onlyItsLearnerMayCancelOrRefundAnOrder(
  actor: Actor,
  learnerId: string,
  orderId: string,
): BusinessRule {
  return {
    code: 'only-its-learner-may-cancel-or-refund-an-order',
    message: 'only the learner who placed this order may cancel it or ask for a refund',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId, orderId },
    isBroken: () => actor.userId !== learnerId,
  };
}

export function onlyTheCheckoutMayReportPaymentsAndRefunds(actor: Actor): BusinessRule {
  return {
    code: 'only-the-checkout-may-report-payments-and-refunds',
    message:
      'payments, refunds and failed payments are reported by the checkout, as the payment provider tells it',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId },
    isBroken: () => !actor.roles.includes(CHECKOUT_ROLE),
  };
}

/** A paid order is the learner's: it ends by a refund, not a cancellation. */
export function paidOrderCannotBeCancelled(status: OrderStatus, orderId: string): BusinessRule {
  return {
    code: 'paid-order-cannot-be-cancelled',
    message: 'this order is paid; ask for a refund instead',
    details: { orderId, status },
    isBroken: () => status === 'paid' || status === 'refund-requested' || status === 'refunded',
  };
}

export function orderCannotExpireBeforeItsPaymentDeadline(
  now: Date,
  paymentDeadline: Date,
  orderId: string,
): BusinessRule {
  return {
    code: 'order-cannot-expire-before-its-payment-deadline',
    message: `this order may be paid until ${paymentDeadline.toISOString()}`,
    details: { orderId, paymentDeadline: paymentDeadline.toISOString() },
    isBroken: () => now.getTime() < paymentDeadline.getTime(),
  };
}

/**
 * A payment that arrives for a cancelled or expired order is refused: the learner no longer
 * holds that price, and the courses were never theirs. The checkout refunds such a payment.
 */
export function orderCannotBePaidOnceClosed(status: OrderStatus, orderId: string): BusinessRule {
  return {
    code: 'order-cannot-be-paid-once-closed',
    message: `this order is ${status}; the payment will be refunded`,
    category: 'CONFLICT',
    details: { orderId, status },
    isBroken: () => status === 'cancelled' || status === 'expired',
  };
}

/** One payment settles an order; any other payment for it is refunded by the checkout. */
export function orderCannotBePaidTwice(
  settledBy: string | null,
  paymentId: string,
  orderId: string,
): BusinessRule {
  return {
    code: 'order-cannot-be-paid-twice',
    message: `this order is already paid by payment ${settledBy}`,
    category: 'CONFLICT',
    details: { orderId, paymentId, settledBy },
    isBroken: () => settledBy !== null && settledBy !== paymentId,
  };
}

export function paymentMustMatchTheOrderTotal(paid: Money, total: Money, orderId: string): BusinessRule {
  return {
    code: 'payment-must-match-the-order-total',
    message: `the order costs ${total.amount} ${total.currency} (minor units); the payment was ${paid.amount} ${paid.currency}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'amount', orderId, paid: paid.toJSON(), total: total.toJSON() },
    isBroken: () => !paid.equals(total),
  };
}

export function onlyAPaidOrderCanBeRefunded(status: OrderStatus, orderId: string): BusinessRule {
  return {
    code: 'only-a-paid-order-can-be-refunded',
    message: `this order is ${status}; only a paid order can be refunded`,
    details: { orderId, status },
    isBroken: () => status !== 'paid',
  };
}

export function orderCannotBeRefundedAfterItsWindow(
  now: Date,
  refundDeadline: Date,
  orderId: string,
): BusinessRule {
  return {
    code: 'order-cannot-be-refunded-after-its-window',
    message: `this order could be refunded until ${refundDeadline.toISOString()}`,
    details: { orderId, refundDeadline: refundDeadline.toISOString() },
    isBroken: () => now.getTime() > refundDeadline.getTime(),
  };
}

/** A certificate is proof the course was taken: no refund after it, for the whole order. */
export function orderCannotBeRefundedOnceACertificateIsIssued(
  courseIds: readonly string[],
  certifiedCourseIds: readonly string[],
  orderId: string,
): BusinessRule {
  const certified = courseIds.filter((courseId) => certifiedCourseIds.includes(courseId));
  return {
    code: 'order-cannot-be-refunded-once-a-certificate-is-issued',
    message: 'a certificate has been issued for a course of this order; it can no longer be refunded',
    details: { orderId, certifiedCourseIds: certified },
    isBroken: () => certified.length > 0,
  };
}

export function refundMustBeRequestedBeforeItIsConfirmed(status: OrderStatus, orderId: string): BusinessRule {
  return {
    code: 'refund-must-be-requested-before-it-is-confirmed',
    message: `this order is ${status}; a refund is confirmed only once it was requested`,
    details: { orderId, status },
    isBroken: () => status !== 'refund-requested' && status !== 'refunded',
  };
}

export function orderCannotBeRefundedTwice(
  refundedBy: string | null,
  refundId: string,
  orderId: string,
): BusinessRule {
  return {
    code: 'order-cannot-be-refunded-twice',
    message: `this order is already refunded by refund ${refundedBy}`,
    category: 'CONFLICT',
    details: { orderId, refundId, refundedBy },
    isBroken: () => refundedBy !== null && refundedBy !== refundId,
  };
}
