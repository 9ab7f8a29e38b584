import { describe, expect, it } from '@jest/globals';
import {
  decideCheckout,
  MAX_PAYMENT_REQUEST_ATTEMPTS,
  retryDelayMs,
  type CheckoutInput,
} from '@strata/ordering';
import { aCheckout, approved, awaitingPayment, PAID_AT } from './checkout.world.ts';
import { PLACED_AT } from './order.mother.ts';

describe('the checkout when a step fails', () => {
  const failure = (attempt: number): CheckoutInput => ({
    type: 'CommandFailed',
    command: 'RequestPayment',
    attempt,
    error: 'provider answered 503',
  });

  it('records the error and tries again later, backing off', () => {
    const world = aCheckout();
    world.hear(failure(1));
    const retryAt = new Date(Date.parse(PLACED_AT) + retryDelayMs(1)).toISOString();
    expect(world.state).toMatchObject({
      attempts: 1,
      lastError: 'provider answered 503',
      retryAt,
      deadline: retryAt,
    });
    world.hear({ type: 'DeadlinePassed' });
    expect(world.toProvider).toHaveLength(1);
    world.clock.set(retryAt);
    world.hear({ type: 'DeadlinePassed' });
    expect(world.toProvider.at(-1)).toMatchObject({ type: 'RequestPayment', attempt: 2 });
    expect(world.state).toMatchObject({ attempts: 2, retryAt: null, lastError: 'provider answered 503' });
  });

  it('ignores a failure of an earlier attempt, and a failure heard twice', () => {
    const world = aCheckout();
    world.hear(failure(1));
    const once = world.state;
    world.hear(failure(1));
    world.hear(failure(0));
    expect(world.state).toBe(once);
  });

  it(`gives up after ${MAX_PAYMENT_REQUEST_ATTEMPTS} attempts before payment, cancelling the order`, () => {
    const world = aCheckout();
    for (let attempt = 1; attempt < MAX_PAYMENT_REQUEST_ATTEMPTS; attempt += 1) {
      world.hear(failure(attempt));
      world.clock.set(world.state.retryAt!);
      world.hear({ type: 'DeadlinePassed' });
    }
    world.hear(failure(MAX_PAYMENT_REQUEST_ATTEMPTS));
    expect(world.state).toMatchObject({
      step: 'cancelled',
      lastError: null,
      paymentFailure: 'payment-unavailable',
    });
    expect(world.order.cancellation).toMatchObject({ reason: 'payment-unavailable' });
  });

  it('never gives up after payment: it retries confirming the order until it succeeds', () => {
    const world = awaitingPayment();
    const withoutOrder = decideCheckout(world.state, approved(), new Date(PAID_AT));
    let state = withoutOrder.checkout;
    for (let attempt = 1; attempt <= 3 * MAX_PAYMENT_REQUEST_ATTEMPTS; attempt += 1) {
      state = decideCheckout(
        state,
        {
          type: 'CommandFailed',
          command: 'ConfirmOrderPayment',
          attempt,
          error: 'commerce-service unavailable',
        },
        new Date(PAID_AT),
      ).checkout;
      const resent = decideCheckout(state, { type: 'DeadlinePassed' }, new Date(state.retryAt!));
      expect(resent.commands).toEqual([
        expect.objectContaining({ type: 'ConfirmOrderPayment', attempt: attempt + 1 }),
      ]);
      state = resent.checkout;
    }
    expect(state).toMatchObject({
      step: 'confirming-payment',
      attempts: 3 * MAX_PAYMENT_REQUEST_ATTEMPTS + 1,
    });
    expect(retryDelayMs(50)).toBe(60 * 60_000);
  });
});
