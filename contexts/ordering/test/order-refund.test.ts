import { describe, expect, it } from '@jest/globals';
import type { Actor } from '@strata/shared-kernel';
import { expectRefusal } from '@strata/shared-kernel/test-support';
import { Order } from '@strata/ordering';
import {
  aLearner,
  aPaidOrder,
  aPendingOrder,
  aRefundRequestedOrder,
  clockAt,
  eventsOf,
  linesOf,
  ownerOf,
  PAID_AT,
  PAYMENT_ID,
  REFUND_DEADLINE,
  theCheckout,
} from './order.mother.ts';

describe('asking for a refund', () => {
  const learnerAsks = (
    order: Order,
    at: string,
    certifiedCourseIds: string[] = [],
    actor: Actor = ownerOf(order),
  ) => order.requestRefund({ reason: 'learner-request', certifiedCourseIds }, actor, clockAt(at));

  it('lets the learner ask within the refund window and records the request', () => {
    const order = aPaidOrder();
    learnerAsks(order, REFUND_DEADLINE);
    expect(order.status).toBe('refund-requested');
    expect(order.refund).toEqual({
      reason: 'learner-request',
      requestedBy: order.learnerId,
      requestedAt: new Date(REFUND_DEADLINE),
      refundId: null,
      refundedAt: null,
    });
    expect(eventsOf(order)).toEqual([
      {
        type: 'RefundRequested',
        payload: {
          orderId: order.id,
          learnerId: order.learnerId,
          paymentId: PAYMENT_ID,
          total: { amount: 4900, currency: 'EUR' },
          reason: 'learner-request',
          requestedBy: order.learnerId,
        },
      },
    ]);
  });

  it('changes nothing when asked again', () => {
    const order = aRefundRequestedOrder();
    learnerAsks(order, PAID_AT);
    order.requestRefund(
      { reason: 'enrollment-impossible', certifiedCourseIds: [] },
      theCheckout,
      clockAt(PAID_AT),
    );
    expect(order.pendingEvents).toEqual([]);
  });

  it('refuses the learner after the refund window', async () => {
    const order = aPaidOrder();
    const error = await expectRefusal(
      order,
      () => learnerAsks(order, '2026-05-18T10:12:00.001Z'),
      'order-cannot-be-refunded-after-its-window',
      'RULE_VIOLATION',
    );
    expect(error.details).toMatchObject({ refundDeadline: REFUND_DEADLINE });
  });

  it('refuses the learner once a certificate was issued for a course of the order', async () => {
    const order = aPaidOrder();
    const certified = order.courseIds[0]!;
    const error = await expectRefusal(
      order,
      () => learnerAsks(order, PAID_AT, ['some-other-course', certified]),
      'order-cannot-be-refunded-once-a-certificate-is-issued',
      'RULE_VIOLATION',
    );
    expect(error.details).toMatchObject({ certifiedCourseIds: [certified] });
  });

  it('lets the checkout ask after the window when the courses could not be enrolled', () => {
    const order = aPaidOrder();
    order.requestRefund(
      { reason: 'enrollment-impossible', certifiedCourseIds: [] },
      theCheckout,
      clockAt('2027-01-01T00:00:00.000Z'),
    );
    expect(order.refund).toMatchObject({ reason: 'enrollment-impossible', requestedBy: theCheckout.userId });
  });

  it('refuses another learner, and the checkout asking as if it were the learner', async () => {
    const order = aPaidOrder();
    await expectRefusal(
      order,
      () => learnerAsks(order, PAID_AT, [], aLearner()),
      'only-its-learner-may-cancel-or-refund-an-order',
      'PERMISSION_DENIED',
    );
    await expectRefusal(
      order,
      () =>
        order.requestRefund(
          { reason: 'enrollment-impossible', certifiedCourseIds: [] },
          ownerOf(order),
          clockAt(PAID_AT),
        ),
      'only-the-checkout-may-report-payments-and-refunds',
      'PERMISSION_DENIED',
    );
  });

  it('refuses an order that was never paid', async () => {
    const order = aPendingOrder();
    await expectRefusal(
      order,
      () => learnerAsks(order, PAID_AT),
      'only-a-paid-order-can-be-refunded',
      'RULE_VIOLATION',
    );
  });
});

describe('confirming a refund', () => {
  const refund = { refundId: 're_77', refundedAt: new Date('2026-05-05T09:00:00.000Z') };

  it('makes the order refunded and says what was paid back, course by course', () => {
    const order = aRefundRequestedOrder();
    order.confirmRefund(refund, theCheckout, clockAt('2026-05-05T09:00:01.000Z'));
    expect(order.status).toBe('refunded');
    expect(order.refund).toMatchObject({ refundId: 're_77', refundedAt: refund.refundedAt });
    expect(eventsOf(order)).toEqual([
      {
        type: 'OrderRefunded',
        payload: {
          orderId: order.id,
          learnerId: order.learnerId,
          lines: linesOf(order),
          total: { amount: 4900, currency: 'EUR' },
          paymentId: PAYMENT_ID,
          refundId: 're_77',
          reason: 'learner-request',
          refundedAt: '2026-05-05T09:00:00.000Z',
        },
      },
    ]);
  });

  it('changes nothing when the same refund is reported again, and refuses a different one', async () => {
    const order = aRefundRequestedOrder();
    order.confirmRefund(refund, theCheckout, clockAt(PAID_AT));
    order.markSaved();
    order.confirmRefund(refund, theCheckout, clockAt(PAID_AT));
    expect(order.pendingEvents).toEqual([]);
    await expectRefusal(
      order,
      () => order.confirmRefund({ ...refund, refundId: 're_78' }, theCheckout, clockAt(PAID_AT)),
      'order-cannot-be-refunded-twice',
      'CONFLICT',
    );
  });

  it('refuses a refund nobody asked for', async () => {
    const order = aPaidOrder();
    await expectRefusal(
      order,
      () => order.confirmRefund(refund, theCheckout, clockAt(PAID_AT)),
      'refund-must-be-requested-before-it-is-confirmed',
      'RULE_VIOLATION',
    );
  });
});

describe('a stored order', () => {
  it('comes back from its snapshot as it was, recording nothing', () => {
    const order = aRefundRequestedOrder();
    const restored = Order.restore(order.toSnapshot());
    expect(restored.toSnapshot()).toEqual(order.toSnapshot());
    expect(restored).toMatchObject({ id: order.id, version: order.version, status: 'refund-requested' });
    expect(restored.pendingEvents).toEqual([]);
  });
});
