import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FixedClock, newId } from '@strata/shared-kernel';
import {
  call,
  checkout,
  newInstructor,
  newLearner,
  price,
  publishedCourse,
  startLearnerApi,
  type Harness,
} from './support.ts';

const DAY = 24 * 60 * 60_000;
// What the checkout process does once the provider confirms a payment; ordering lets only its role do it.
const checkoutProcess = { caller: { userId: newId(), roles: ['checkout'] } };

describe('my orders: list, cancel, refund (learner-api on the real commerce-service)', () => {
  let api: Harness;
  const clock = new FixedClock('2026-12-03T10:00:00.000Z');
  const instructor = newInstructor();

  beforeAll(async () => {
    api = await startLearnerApi({
      clock,
      orderTerms: { paymentWindowMs: 30 * 60_000, refundWindowMs: 14 * DAY },
    });
  });
  afterAll(() => api?.close());

  const fresh = async () => {
    const learner = newLearner();
    return { learner, token: await api.tokenFor(learner) };
  };
  const placeOne = async (token: string, title = `Course ${newId().slice(-6)}`) => {
    const course = await publishedCourse(api, instructor, price(2500), title);
    const placed = await checkout(api, token, [{ courseId: course, expectedPrice: price(2500) }]);
    expect(placed.status).toBe(201);
    return placed.body.order as { id: string; version: number };
  };
  const pay = (orderId: string) =>
    api.ordering.Order.confirmPayment(
      orderId,
      { paymentId: `pay_${newId()}`, amount: price(2500), paidAt: clock.now().toISOString() },
      checkoutProcess,
    );

  it("pages through the caller's orders with the cursor, and shows nobody else's", async () => {
    const { learner, token } = await fresh();
    const placed = [await placeOne(token), await placeOne(token), await placeOne(token)];
    const someoneElse = await fresh();
    await placeOne(someoneElse.token);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await call(api, 'GET', `/orders?limit=2${query}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const order of page.body.items) expect(order.learnerId).toBe(learner.userId);
      seen.push(...page.body.items.map((order: { id: string }) => order.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect([...seen].sort()).toEqual(placed.map((order) => order.id).sort());

    const bad = await call(api, 'GET', '/orders?limit=0', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.limit']);
  });

  it("answers another learner's order exactly as one that does not exist: 404 order-not-found", async () => {
    const owner = await fresh();
    const order = await placeOne(owner.token);
    const stranger = await fresh();
    const theirs = await call(api, 'GET', `/orders/${order.id}`, { token: stranger.token });
    const none = await call(api, 'GET', `/orders/${newId()}`, { token: stranger.token });
    for (const answer of [theirs, none]) {
      expect(answer.status).toBe(404);
      expect(answer.contentType).toBe('application/problem+json');
      expect(answer.body.reason).toBe('order-not-found');
    }
    expect(theirs.body.detail).toBe(`you have no order ${order.id}`);
    expect(JSON.stringify(theirs.body)).not.toContain(owner.learner.userId);
    const badId = await call(api, 'GET', '/orders/not-a-uuid', { token: stranger.token });
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((error: { path: string }) => error.path)).toEqual(['params.orderId']);
  });

  it('cancels an order awaiting payment; a stranger cannot, and a stale If-Match is 412', async () => {
    const { learner, token } = await fresh();
    const order = await placeOne(token);
    const stranger = await fresh();
    const refused = await call(api, 'POST', `/orders/${order.id}/cancel`, { token: stranger.token });
    expect(refused.status).toBe(404);
    expect(refused.body.reason).toBe('order-not-found');
    const stale = await call(api, 'POST', `/orders/${order.id}/cancel`, {
      token,
      ifMatch: `"${order.version + 5}"`,
    });
    expect(stale.status).toBe(412);

    const cancelled = await call(api, 'POST', `/orders/${order.id}/cancel`, {
      token,
      ifMatch: `"${order.version}"`,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      id: order.id,
      status: 'cancelled',
      cancellation: { reason: 'learner-cancelled', cancelledBy: learner.userId },
    });
    expect(cancelled.headers.get('etag')).toBe(`"${cancelled.body.version}"`);
    const again = await call(api, 'POST', `/orders/${order.id}/cancel`, { token });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('cancelled');
  });

  it('refuses to cancel a paid order with 422 paid-order-cannot-be-cancelled', async () => {
    const { token } = await fresh();
    const order = await placeOne(token);
    await pay(order.id);
    const answer = await call(api, 'POST', `/orders/${order.id}/cancel`, { token });
    expect(answer.status).toBe(422);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body.reason).toBe('paid-order-cannot-be-cancelled');
  });

  it('requests a refund within the window; after it, 422 order-cannot-be-refunded-after-its-window and no change', async () => {
    const { learner, token } = await fresh();
    const inTime = await placeOne(token);
    const late = await placeOne(token);
    await pay(inTime.id);
    await pay(late.id);

    const refunded = await call(api, 'POST', `/orders/${inTime.id}/refund`, { token });
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({
      status: 'refund-requested',
      refund: { reason: 'learner-request', requestedBy: learner.userId },
    });

    clock.advance(15 * DAY);
    const before = await api.ordering.Order.get(late.id, { caller: learner });
    const tooLate = await call(api, 'POST', `/orders/${late.id}/refund`, { token });
    expect(tooLate.status).toBe(422);
    expect(tooLate.contentType).toBe('application/problem+json');
    expect(tooLate.body.reason).toBe('order-cannot-be-refunded-after-its-window');
    expect(await api.ordering.Order.get(late.id, { caller: learner })).toEqual(before);
  });

  it('refuses to refund an order not yet paid with 422 only-a-paid-order-can-be-refunded', async () => {
    const { token } = await fresh();
    const order = await placeOne(token);
    const answer = await call(api, 'POST', `/orders/${order.id}/refund`, { token });
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toBe('only-a-paid-order-can-be-refunded');
  });

  it('needs a login for every order route', async () => {
    for (const [method, path] of [
      ['GET', '/orders'],
      ['GET', `/orders/${newId()}`],
      ['POST', `/orders/${newId()}/cancel`],
      ['POST', `/orders/${newId()}/refund`],
    ] as const) {
      const answer = await call(api, method, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
  });
});
