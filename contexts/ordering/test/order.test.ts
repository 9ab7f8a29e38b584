import { describe, expect, it } from '@jest/globals';
import { Money } from '@strata/shared-kernel';
import { expectRefusal } from '@strata/shared-kernel/test-support';
import type { Order } from '@strata/ordering';
import {
  AFTER_DEADLINE,
  aLearner,
  anAdmin,
  aPaidOrder,
  aPendingOrder,
  aRefundRequestedOrder,
  clockAt,
  DURING_PAYMENT,
  eventsOf,
  linesOf,
  ownerOf,
  PAID_AT,
  PAYMENT_DEADLINE,
  PAYMENT_ID,
  paymentOf,
  REFUND_DEADLINE,
  theCheckout,
} from './order.mother.ts';

describe('cancelling', () => {
  it('lets the learner give up an order awaiting payment and records who and why', () => {
    const order = aPendingOrder();
    order.cancel(ownerOf(order), clockAt(DURING_PAYMENT));
    expect(order.status).toBe('cancelled');
    expect(order.cancellation).toEqual({
      reason: 'learner-cancelled',
      cancelledBy: order.learnerId,
      cancelledAt: new Date(DURING_PAYMENT),
    });
    expect(eventsOf(order)).toEqual([
      {
        type: 'OrderCancelled',
        payload: {
          orderId: order.id,
          learnerId: order.learnerId,
          reason: 'learner-cancelled',
          cancelledBy: order.learnerId,
        },
      },
    ]);
  });

  it.each([
    ['cancelled', (order: Order) => order.cancel(ownerOf(order), clockAt(DURING_PAYMENT))],
    ['expired', (order: Order) => order.expire(theCheckout, clockAt(AFTER_DEADLINE))],
  ])('changes nothing once the order is %s', (_label, close) => {
    const order = aPendingOrder();
    close(order);
    order.markSaved();
    order.cancel(ownerOf(order), clockAt(AFTER_DEADLINE));
    expect(order.pendingEvents).toEqual([]);
  });

  it('refuses another learner, and an admin', async () => {
    const order = aPendingOrder();
    for (const actor of [aLearner(), anAdmin()]) {
      await expectRefusal(
        order,
        () => order.cancel(actor, clockAt(DURING_PAYMENT)),
        'only-its-learner-may-cancel-or-refund-an-order',
        'PERMISSION_DENIED',
      );
    }
  });

  it.each([
    ['paid', aPaidOrder],
    ['refund-requested', aRefundRequestedOrder],
  ])('refuses a %s order: it is refunded instead', async (_label, make) => {
    const order = make(aLearner());
    await expectRefusal(
      order,
      () => order.cancel(ownerOf(order), clockAt(PAID_AT)),
      'paid-order-cannot-be-cancelled',
      'RULE_VIOLATION',
    );
  });
});

describe('a payment failure', () => {
  it.each(['payment-declined', 'payment-unavailable'] as const)(
    'cancels the order with reason %s',
    (reason) => {
      const order = aPendingOrder();
      order.recordPaymentFailure(reason, theCheckout, clockAt(DURING_PAYMENT));
      expect(order.cancellation).toEqual({
        reason,
        cancelledBy: theCheckout.userId,
        cancelledAt: new Date(DURING_PAYMENT),
      });
      order.recordPaymentFailure(reason, theCheckout, clockAt(DURING_PAYMENT));
      expect(order.pendingEvents).toHaveLength(1);
    },
  );

  it('is reported by the checkout only, not by the learner', async () => {
    const order = aPendingOrder();
    await expectRefusal(
      order,
      () => order.recordPaymentFailure('payment-declined', ownerOf(order), clockAt(DURING_PAYMENT)),
      'only-the-checkout-may-report-payments-and-refunds',
      'PERMISSION_DENIED',
    );
  });
});

describe('expiry', () => {
  it('closes an order still awaiting payment at its deadline', () => {
    const order = aPendingOrder();
    order.expire(theCheckout, clockAt(PAYMENT_DEADLINE));
    expect(order).toMatchObject({ status: 'expired', expiredAt: new Date(PAYMENT_DEADLINE) });
    expect(eventsOf(order)).toEqual([
      {
        type: 'OrderExpired',
        payload: { orderId: order.id, learnerId: order.learnerId, paymentDeadline: PAYMENT_DEADLINE },
      },
    ]);
  });

  it('refuses to expire an order before its deadline', async () => {
    const order = aPendingOrder();
    await expectRefusal(
      order,
      () => order.expire(theCheckout, clockAt(DURING_PAYMENT)),
      'order-cannot-expire-before-its-payment-deadline',
      'RULE_VIOLATION',
    );
  });

  it.each([
    ['paid', () => aPaidOrder()],
    [
      'cancelled',
      () => {
        const order = aPendingOrder();
        order.cancel(ownerOf(order), clockAt(DURING_PAYMENT));
        order.markSaved();
        return order;
      },
    ],
  ])('does nothing to an order already %s: the timer found it moved on', (_label, make) => {
    const order = make();
    const status = order.status;
    order.expire(theCheckout, clockAt(AFTER_DEADLINE));
    order.expire(theCheckout, clockAt(AFTER_DEADLINE));
    expect(order.status).toBe(status);
    expect(order.pendingEvents).toEqual([]);
  });

  it('is the checkout’s to report', async () => {
    const order = aPendingOrder();
    await expectRefusal(
      order,
      () => order.expire(ownerOf(order), clockAt(AFTER_DEADLINE)),
      'only-the-checkout-may-report-payments-and-refunds',
      'PERMISSION_DENIED',
    );
  });
});

describe('confirming a payment', () => {
  it('makes the order paid, records the payment and when the refund window ends', () => {
    const order = aPendingOrder();
    order.confirmPayment(paymentOf(order), theCheckout, clockAt(DURING_PAYMENT));
    expect(order).toMatchObject({
      status: 'paid',
      payment: { paymentId: PAYMENT_ID, paidAt: new Date(PAID_AT) },
      refundDeadline: new Date(REFUND_DEADLINE),
    });
    expect(eventsOf(order)).toEqual([
      {
        type: 'OrderPaid',
        payload: {
          orderId: order.id,
          learnerId: order.learnerId,
          lines: linesOf(order),
          total: { amount: 4900, currency: 'EUR' },
          paymentId: PAYMENT_ID,
          paidAt: PAID_AT,
          refundDeadline: REFUND_DEADLINE,
        },
      },
    ]);
  });

  it('takes a payment that arrives after the deadline while the order was not yet expired', () => {
    const order = aPendingOrder();
    order.confirmPayment(paymentOf(order), theCheckout, clockAt(AFTER_DEADLINE));
    expect(order.status).toBe('paid');
  });

  it.each([
    ['paid', aPaidOrder],
    ['refund-requested', aRefundRequestedOrder],
  ])('changes nothing when the same payment is reported again for a %s order', (_label, make) => {
    const order = make(aLearner());
    const status = order.status;
    order.confirmPayment(paymentOf(order), theCheckout, clockAt(PAID_AT));
    expect(order.status).toBe(status);
    expect(order.pendingEvents).toEqual([]);
  });

  it('refuses a second, different payment', async () => {
    const order = aPaidOrder();
    const error = await expectRefusal(
      order,
      () => order.confirmPayment(paymentOf(order, 'pay_other'), theCheckout, clockAt(PAID_AT)),
      'order-cannot-be-paid-twice',
      'CONFLICT',
    );
    expect(error.details).toMatchObject({ paymentId: 'pay_other', settledBy: PAYMENT_ID });
  });

  it.each([
    ['cancelled', (order: Order) => order.cancel(ownerOf(order), clockAt(DURING_PAYMENT))],
    ['expired', (order: Order) => order.expire(theCheckout, clockAt(AFTER_DEADLINE))],
  ])('refuses a payment for a %s order (the checkout refunds it)', async (status, close) => {
    const order = aPendingOrder();
    close(order);
    order.markSaved();
    const error = await expectRefusal(
      order,
      () => order.confirmPayment(paymentOf(order), theCheckout, clockAt(AFTER_DEADLINE)),
      'order-cannot-be-paid-once-closed',
      'CONFLICT',
    );
    expect(error.details).toMatchObject({ status });
  });

  it.each([
    ['too little', Money.of(4800, 'EUR')],
    ['another currency', Money.of(4900, 'USD')],
  ])('refuses a payment of %s', async (_label, amount) => {
    const order = aPendingOrder();
    await expectRefusal(
      order,
      () => order.confirmPayment({ ...paymentOf(order), amount }, theCheckout, clockAt(PAID_AT)),
      'payment-must-match-the-order-total',
      'INVALID_ARGUMENT',
    );
  });

  it('is the checkout’s to report, never the learner’s', async () => {
    const order = aPendingOrder();
    await expectRefusal(
      order,
      () => order.confirmPayment(paymentOf(order), ownerOf(order), clockAt(PAID_AT)),
      'only-the-checkout-may-report-payments-and-refunds',
      'PERMISSION_DENIED',
    );
  });
});
