import { describe, expect, it } from '@jest/globals';
import { CheckoutStateSchema, decideCheckout, type CheckoutInput } from '@strata/ordering';
import { aCheckout, approved, awaitingPayment, enrollEvery, PAID_AT, paid } from './checkout.world.ts';
import { ownerOf, PAYMENT_DEADLINE } from './order.mother.ts';

describe('the checkout', () => {
  it('asks the provider for a payment of the order’s total as soon as the order is placed', () => {
    const world = aCheckout();
    expect(world.state).toMatchObject({
      step: 'requesting-payment',
      attempts: 1,
      deadline: PAYMENT_DEADLINE,
    });
    expect(world.toProvider).toEqual([
      {
        type: 'RequestPayment',
        orderId: world.order.id,
        amount: { amount: 9800, currency: 'EUR' },
        idempotencyKey: `payment:${world.order.id}`,
        attempt: 1,
      },
    ]);
  });

  it('waits for the learner to pay until the payment deadline', () => {
    const world = awaitingPayment();
    expect(world.state).toMatchObject({
      step: 'awaiting-payment',
      paymentId: 'pay_1',
      paymentPageUrl: 'https://pay.example/p/pay_1',
      attempts: 0,
      deadline: PAYMENT_DEADLINE,
    });
  });

  it('confirms an approved payment on the order and completes once every course is enrolled', () => {
    const world = paid();
    expect(world.order.status).toBe('paid');
    expect(world.state).toMatchObject({ step: 'awaiting-enrollment', paidAt: PAID_AT, deadline: null });
    world.hear({ type: 'EnrollmentGranted', courseId: world.order.courseIds[0]! });
    expect(world.state.step).toBe('awaiting-enrollment');
    world.hear({ type: 'EnrollmentGranted', courseId: world.order.courseIds[1]! });
    expect(world.state).toMatchObject({ step: 'completed', attempts: 0, lastError: null });
    expect(world.order.pendingEvents.filter((event) => event.type === 'OrderPaid')).toHaveLength(1);
  });

  it('counts an enrollment heard before the order’s OrderPaid', () => {
    const world = awaitingPayment();
    const [first, second] = world.order.courseIds;
    const state = decideCheckout(world.state, approved(), new Date(PAID_AT)).checkout;
    const early = decideCheckout(
      state,
      { type: 'EnrollmentGranted', courseId: first! },
      new Date(PAID_AT),
    ).checkout;
    const both = decideCheckout(
      early,
      { type: 'EnrollmentGranted', courseId: second! },
      new Date(PAID_AT),
    ).checkout;
    expect(both.step).toBe('confirming-payment');
    expect(
      decideCheckout(both, { type: 'OrderPaid', paymentId: 'pay_1' }, new Date(PAID_AT)).checkout.step,
    ).toBe('completed');
  });

  it('cancels the order when the provider declines the payment', () => {
    const world = awaitingPayment();
    world.hear({ type: 'PaymentDeclined', paymentId: 'pay_1' });
    expect(world.state.step).toBe('cancelled');
    expect(world.order.cancellation).toMatchObject({ reason: 'payment-declined' });
  });

  it('lets the payment deadline pass, then expires the order', () => {
    const world = awaitingPayment();
    world.clock.set('2026-05-04T10:29:59.999Z');
    world.hear({ type: 'DeadlinePassed' });
    expect(world.state.step).toBe('awaiting-payment');
    world.clock.set(PAYMENT_DEADLINE);
    world.hear({ type: 'DeadlinePassed' });
    expect(world.state).toMatchObject({ step: 'expired', deadline: null });
    expect(world.order.status).toBe('expired');
  });

  it('ends cancelled when the learner cancels while paying', () => {
    const world = awaitingPayment();
    world.order.cancel(ownerOf(world.order), world.clock);
    world.hear({ type: 'OrderCancelled' });
    expect(world.state.step).toBe('cancelled');
  });

  it('refunds a payment approved after the order expired, and the order stays expired', () => {
    const world = awaitingPayment();
    world.clock.set(PAYMENT_DEADLINE);
    world.hear({ type: 'DeadlinePassed' });
    world.hear(approved());
    expect(world.order.status).toBe('expired');
    expect(world.toProvider.at(-1)).toEqual({
      type: 'RefundPayment',
      orderId: world.order.id,
      paymentId: 'pay_1',
      amount: { amount: 9800, currency: 'EUR' },
      purpose: 'stray-payment',
      idempotencyKey: 'refund:pay_1',
      attempt: 1,
    });
    world.hear({ type: 'PaymentRefunded', paymentId: 'pay_1', refundId: 're_1', refundedAt: PAID_AT });
    expect(world.state).toMatchObject({
      step: 'expired',
      strayPayments: [{ paymentId: 'pay_1', refundId: 're_1' }],
    });
  });

  it('refunds a payment the order refused because the learner cancelled it meanwhile', () => {
    const world = awaitingPayment();
    world.order.cancel(ownerOf(world.order), world.clock);
    world.hear(approved());
    expect(world.state.step).toBe('cancelled');
    expect(world.state.lastError).toMatch(/refused payment pay_1/);
    expect(world.toProvider.at(-1)).toMatchObject({
      type: 'RefundPayment',
      paymentId: 'pay_1',
      purpose: 'stray-payment',
    });
  });

  it('refunds a payment of the wrong amount and waits for a right one until the deadline', () => {
    const world = awaitingPayment();
    world.hear({ ...approved(), amount: { amount: 9700, currency: 'EUR' } });
    expect(world.order.status).toBe('pending-payment');
    expect(world.state).toMatchObject({
      step: 'awaiting-payment',
      paymentId: null,
      deadline: PAYMENT_DEADLINE,
    });
    expect(world.toProvider.at(-1)).toMatchObject({
      type: 'RefundPayment',
      paymentId: 'pay_1',
      amount: { amount: 9700, currency: 'EUR' },
      purpose: 'stray-payment',
    });
    world.hear(approved('pay_2'));
    expect(world.order.payment?.paymentId).toBe('pay_2');
  });

  it('refunds a second payment for an order already paid, keeping the first', () => {
    const world = paid();
    world.hear(approved('pay_2'));
    expect(world.state.paymentId).toBe('pay_1');
    expect(world.toProvider.at(-1)).toMatchObject({
      type: 'RefundPayment',
      paymentId: 'pay_2',
      purpose: 'stray-payment',
    });
    expect(world.order.payment?.paymentId).toBe('pay_1');
  });

  it('refunds the order when a course cannot be enrolled', () => {
    const world = paid();
    world.hear({
      type: 'EnrollmentImpossible',
      courseId: world.order.courseIds[1]!,
      reason: 'course archived',
    });
    expect(world.order.refund).toMatchObject({ reason: 'enrollment-impossible' });
    expect(world.state).toMatchObject({ step: 'refunding-payment', refundReason: 'enrollment-impossible' });
    expect(world.toProvider.at(-1)).toMatchObject({
      type: 'RefundPayment',
      paymentId: 'pay_1',
      purpose: 'order-refund',
      idempotencyKey: 'refund:pay_1',
    });
    world.hear({ type: 'PaymentRefunded', paymentId: 'pay_1', refundId: 're_9', refundedAt: PAID_AT });
    expect(world.state.step).toBe('refunded');
    expect(world.order.status).toBe('refunded');
  });

  it('opens again to refund a completed order at the learner’s request', () => {
    const world = paid();
    enrollEvery(world);
    world.order.requestRefund(
      { reason: 'learner-request', certifiedCourseIds: [] },
      ownerOf(world.order),
      world.clock,
    );
    world.hear({ type: 'RefundRequested', reason: 'learner-request' });
    world.hear({ type: 'PaymentRefunded', paymentId: 'pay_1', refundId: 're_2', refundedAt: PAID_AT });
    expect(world.state).toMatchObject({
      step: 'refunded',
      refundReason: 'learner-request',
      refundId: 're_2',
    });
    expect(world.order.status).toBe('refunded');
  });
});

describe('a stored checkout', () => {
  it('is plain data: it survives JSON and parses back to itself', () => {
    const world = paid();
    world.hear(approved('pay_2'));
    const stored = JSON.parse(JSON.stringify(world.state));
    expect(CheckoutStateSchema.parse(stored)).toEqual(world.state);
  });

  it('hears an input again without changing or sending anything', () => {
    const world = awaitingPayment();
    const inputs: CheckoutInput[] = [
      approved(),
      { type: 'OrderPaid', paymentId: 'pay_1' },
      { type: 'EnrollmentGranted', courseId: world.order.courseIds[0]! },
      approved('pay_2'),
    ];
    let state = world.state;
    for (const input of inputs) {
      state = decideCheckout(state, input, new Date(PAID_AT)).checkout;
      expect(decideCheckout(state, input, new Date('2026-05-04T11:00:00.000Z'))).toEqual({
        checkout: state,
        commands: [],
      });
    }
  });
});
