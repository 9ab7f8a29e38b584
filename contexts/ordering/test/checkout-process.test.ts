import { describe, expect, it } from '@jest/globals';
import { Checkout, PAYMENT_PROVIDER_ROLE, type PaymentEvent } from '@strata/ordering';
import { DomainError, newId, type Actor } from '@strata/shared-kernel';
import { placedEventOf } from './checkout.world.ts';
import { aLearner, anOffer, aPendingOrder, PAYMENT_DEADLINE, PLACED_AT } from './order.mother.ts';

const placedAt = new Date(PLACED_AT);
const later = new Date('2026-05-04T10:05:00.000Z');
const provider: Actor = { userId: newId<'User'>(), roles: [PAYMENT_PROVIDER_ROLE] };

function started(): Checkout {
  return Checkout.start(placedEventOf(aPendingOrder(aLearner(), [anOffer()])), placedAt);
}

/** A checkout whose payment request came back: it awaits the learner's payment of pay_1. */
function awaitingPayment(): Checkout {
  const checkout = started();
  checkout.settle(
    1,
    { type: 'PaymentRequested', paymentId: 'pay_1', paymentPageUrl: 'https://pay.example/pay_1' },
    later,
  );
  return checkout;
}

const succeeded = (checkout: Checkout, eventId = 'evt_1'): PaymentEvent => ({
  eventId,
  kind: 'payment-succeeded',
  paymentId: 'pay_1',
  amount: checkout.state.total,
  occurredAt: later.toISOString(),
  refundId: null,
});

describe('the Checkout aggregate (one order’s saga, its own outbox in its snapshot)', () => {
  it('is started with the payment request as its first outgoing command, numbered 1', () => {
    const checkout = started();

    expect(checkout.id).toBe(checkout.state.orderId);
    expect(checkout.version).toBe(0);
    expect(checkout.state).toMatchObject({ step: 'requesting-payment', deadline: PAYMENT_DEADLINE });
    expect(checkout.snapshot()).toMatchObject({
      issued: 1,
      outgoing: [{ seq: 1, command: { type: 'RequestPayment', attempt: 1 }, issuedAt: PLACED_AT }],
    });
  });

  it('settles a command once: the reply is heard with it, and a second settlement changes nothing', () => {
    const checkout = started();
    const reply = {
      type: 'PaymentRequested' as const,
      paymentId: 'pay_1',
      paymentPageUrl: 'https://pay.example/pay_1',
    };

    expect(checkout.settle(1, reply, later)).toBe(true);
    const once = checkout.snapshot();
    expect(checkout.settle(1, reply, later)).toBe(false);

    expect(once).toMatchObject({
      issued: 1,
      outgoing: [],
      state: { step: 'awaiting-payment', paymentId: 'pay_1' },
    });
    expect(checkout.snapshot()).toEqual(once);
  });

  it('numbers the commands a later decision issues after the earlier ones', () => {
    const checkout = awaitingPayment();

    checkout.hearPaymentEvent(succeeded(checkout), provider, later);

    expect(checkout.snapshot()).toMatchObject({
      issued: 2,
      outgoing: [{ seq: 2, command: { type: 'ConfirmOrderPayment', paymentId: 'pay_1' } }],
      state: { step: 'confirming-payment' },
    });
  });

  it('hears the same payment event twice, or another event saying the same, as once', () => {
    const checkout = awaitingPayment();
    checkout.hearPaymentEvent(succeeded(checkout), provider, later);
    const once = checkout.snapshot();

    checkout.hearPaymentEvent(succeeded(checkout), provider, later);
    checkout.hearPaymentEvent(succeeded(checkout, 'evt_2'), provider, later);

    expect(checkout.snapshot()).toEqual(once);
  });

  it('comes back from its snapshot as it was, with its version', () => {
    const checkout = awaitingPayment();
    checkout.hearPaymentEvent(succeeded(checkout), provider, later);

    const restored = Checkout.restore(JSON.parse(JSON.stringify(checkout.snapshot())), 7);

    expect(restored.snapshot()).toEqual(checkout.snapshot());
    expect(restored.version).toBe(7);
    expect(restored.isFinished).toBe(false);
  });

  it('refuses a snapshot that is not one', () => {
    const snapshot = { ...started().snapshot(), issued: -1 };
    expect(() => Checkout.restore(snapshot, 1)).toThrow(/issued/);
  });

  it('takes payment events from the payment provider only', () => {
    const checkout = awaitingPayment();
    const before = checkout.snapshot();

    let refusal: unknown;
    try {
      checkout.hearPaymentEvent(succeeded(checkout), aLearner(), later);
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      code: 'only-the-payment-provider-may-report-payment-events',
      category: 'PERMISSION_DENIED',
    });
    expect(checkout.snapshot()).toEqual(before);
  });
});
