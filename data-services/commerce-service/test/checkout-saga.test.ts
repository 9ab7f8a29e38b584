import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { PAYMENT_PROVIDER_ROLE } from '@strata/ordering';
import type { CheckoutView } from '@strata/ordering/contract';
import { answerPayment, usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { newId } from '@strata/shared-kernel';
import { CommerceWorld, eur, instructorCaller, learnerCaller, type Caller } from './commerce-world.ts';

// Real time: the checkout's jobs run on the service's queue and its timers are real ones (seconds).
jest.setTimeout(60_000);

const simulator = usePaymentSimulator();
const admin: Caller = { userId: newId(), roles: ['admin'] };
const provider: Caller = { userId: newId(), roles: [PAYMENT_PROVIDER_ROLE] };
const PRICE = eur(2500);

/** What a world needs to run checkouts: a course on offer, and ways to place and watch orders. */
function checkoutsOn(world: CommerceWorld) {
  const instructor = instructorCaller();
  let course = '';
  return {
    async open(): Promise<void> {
      course = await world.publishedCourse(PRICE, instructor, `Course ${newId().slice(-6)}`);
    },
    async place(learner: Caller = learnerCaller()): Promise<string> {
      const placement = await world.ordering.Order.place(
        { courses: [{ courseId: course, expectedPrice: PRICE }] },
        { caller: learner },
      );
      return placement.order.id;
    },
    /** The checkout once `ready` says so; it is started from OrderPlaced, so it may not exist at first. */
    checkoutWhen(orderId: string, what: string, ready: (view: CheckoutView) => boolean) {
      return waitFor(
        `checkout ${orderId}: ${what}`,
        async () => {
          const view = await world.ordering.Checkout.get(orderId, { caller: admin }).catch(() => undefined);
          return view !== undefined && ready(view) ? view : undefined;
        },
        { timeoutMs: 30_000, everyMs: 100 },
      );
    },
    orderWhen(orderId: string, status: string) {
      return waitFor(
        `order ${orderId} ${status}`,
        async () => {
          const order = await world.ordering.Order.get(orderId, { caller: admin });
          return order.status === status ? order : undefined;
        },
        { timeoutMs: 30_000, everyMs: 100 },
      );
    },
    report(
      orderId: string,
      event: { kind: 'payment-succeeded' | 'payment-failed'; paymentId: string },
      eventId = `evt_${newId()}`,
    ) {
      return world.ordering.Checkout.reportPaymentEvent(
        orderId,
        { eventId, ...event, amount: PRICE, occurredAt: new Date().toISOString(), refundId: null },
        { caller: provider, idempotencyKey: eventId },
      );
    },
  };
}

describe('the checkout saga on commerce-service (embedded: SQLite, its job table, real simulator)', () => {
  const world = new CommerceWorld(simulator, { realTime: true });
  const shop = checkoutsOn(world);

  beforeAll(async () => {
    await world.start('SQLite');
    await shop.open();
  });
  afterAll(() => world.stop());

  it('starts a checkout for a placed order, which asks the simulator for a payment and then awaits it', async () => {
    const orderId = await shop.place();

    const awaiting = await shop.checkoutWhen(
      orderId,
      'awaiting payment',
      (view) => view.step === 'awaiting-payment',
    );

    expect(awaiting).toMatchObject({ id: orderId, attempts: 0, lastError: null, pendingCommands: [] });
    expect(awaiting.paymentPageUrl).toContain(simulator.url);
    expect(awaiting.paymentId).toEqual(expect.any(String));
  });

  it('confirms the order once the provider reports the approved payment, once however often it is reported', async () => {
    const orderId = await shop.place();
    const { paymentId } = await shop.checkoutWhen(
      orderId,
      'awaiting payment',
      (view) => view.step === 'awaiting-payment',
    );
    await answerPayment(simulator.url, paymentId!, 'approve');
    const eventId = `evt_${newId()}`;

    await shop.report(orderId, { kind: 'payment-succeeded', paymentId: paymentId! }, eventId);
    const paid = await shop.orderWhen(orderId, 'paid');
    const confirmed = await shop.checkoutWhen(
      orderId,
      'past the payment',
      (view) => view.step === 'awaiting-enrollment',
    );
    // The same event delivered again, and another event id saying the same thing: nothing moves.
    const again = await shop.report(orderId, { kind: 'payment-succeeded', paymentId: paymentId! }, eventId);
    const restated = await shop.report(orderId, { kind: 'payment-succeeded', paymentId: paymentId! });
    await world.settled();

    expect(paid.payment).toMatchObject({ paymentId });
    expect(again.version).toBe(confirmed.version);
    expect(restated.version).toBe(confirmed.version);
    expect(restated.pendingCommands).toEqual([]);
    expect((await world.outboxOf(orderId)).filter((type) => type === 'OrderPaid')).toEqual(['OrderPaid']);
    expect((await world.ordering.Order.get(orderId, { caller: admin })).version).toBe(paid.version);
  });

  it('cancels the order when the provider reports the payment failed', async () => {
    const orderId = await shop.place();
    const { paymentId } = await shop.checkoutWhen(
      orderId,
      'awaiting payment',
      (view) => view.step === 'awaiting-payment',
    );
    await answerPayment(simulator.url, paymentId!, 'decline');

    await shop.report(orderId, { kind: 'payment-failed', paymentId: paymentId! });

    const cancelled = await shop.orderWhen(orderId, 'cancelled');
    expect(cancelled.cancellation).toMatchObject({ reason: 'payment-declined' });
    expect(await shop.checkoutWhen(orderId, 'cancelled', (view) => view.step === 'cancelled')).toMatchObject({
      pendingCommands: [],
    });
    expect(await world.outboxOf(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('refuses payment events from anyone but the provider', async () => {
    const orderId = await shop.place();
    await shop.checkoutWhen(orderId, 'awaiting payment', (view) => view.step === 'awaiting-payment');

    await expect(
      world.ordering.Checkout.reportPaymentEvent(
        orderId,
        {
          eventId: `evt_${newId()}`,
          kind: 'payment-succeeded',
          paymentId: 'pay_forged',
          amount: PRICE,
          occurredAt: new Date().toISOString(),
          refundId: null,
        },
        { caller: learnerCaller() },
      ),
    ).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'only-the-payment-provider-may-report-payment-events',
    });
  });

  it('shows checkouts across learners to admins only', async () => {
    await expect(
      world.ordering.Checkout.findUnfinished({ stalledForSeconds: 0 }, { caller: learnerCaller() }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

describe('an unpaid order at its payment deadline (embedded, a two-second payment window)', () => {
  const world = new CommerceWorld(simulator, { realTime: true });
  const shop = checkoutsOn(world);

  beforeAll(async () => {
    await world.start('SQLite', { paymentWindowMs: 2_000, refundWindowMs: 14 * 24 * 3_600_000 });
    await shop.open();
  });
  afterAll(() => world.stop());

  it('is expired by the checkout’s deadline job', async () => {
    const orderId = await shop.place();

    const expired = await shop.orderWhen(orderId, 'expired');

    expect(expired.expiredAt).not.toBeNull();
    expect(await shop.checkoutWhen(orderId, 'expired', (view) => view.step === 'expired')).toMatchObject({
      deadline: null,
      pendingCommands: [],
    });
    expect(await world.outboxOf(orderId)).toEqual(['OrderPlaced', 'OrderExpired']);
  });
});

describe('a checkout whose provider is down (embedded)', () => {
  // Nothing listens on the discard port: every call is refused at once, as with a provider that is down.
  const world = new CommerceWorld({ url: 'http://127.0.0.1:9' }, { realTime: true });
  const shop = checkoutsOn(world);

  beforeAll(async () => {
    await world.start('SQLite');
    await shop.open();
  });
  afterAll(() => world.stop());

  it('keeps the error, retries on its own timer, and shows up among the unfinished checkouts', async () => {
    const orderId = await shop.place();

    const retried = await shop.checkoutWhen(orderId, 'tried twice', (view) => view.attempts >= 2);
    const unfinished = await world.ordering.Checkout.findUnfinished(
      { stalledForSeconds: 0 },
      { caller: admin },
    );

    expect(retried.step).toBe('requesting-payment');
    expect(retried.lastError).toMatch(
      /RequestPayment: POST \/v1\/payments at http:\/\/127\.0\.0\.1:9: unreachable/,
    );
    expect(unfinished.items.find((view) => view.id === orderId)).toMatchObject({
      step: 'requesting-payment',
      lastError: expect.stringContaining('unreachable'),
    });
    expect((await world.ordering.Order.get(orderId, { caller: admin })).status).toBe('pending-payment');
  });
});
