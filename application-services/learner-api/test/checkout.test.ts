import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import {
  checkout,
  newInstructor,
  newLearner,
  price,
  publishedCourse,
  startLearnerApi,
  type Harness,
} from './support.ts';

// What the checkout process does once the provider confirms a payment; ordering lets only its role do it.
const checkoutProcess = { caller: { userId: newId(), roles: ['checkout'] } };

describe('POST /checkout (learner-api on the real commerce-service)', () => {
  let api: Harness;
  const instructor = newInstructor();
  let course: string;

  beforeAll(async () => {
    api = await startLearnerApi();
    course = await publishedCourse(api, instructor, price(4900));
  });
  afterAll(() => api?.close());

  const fresh = async () => {
    const learner = newLearner();
    return { learner, token: await api.tokenFor(learner) };
  };
  const expectProblem = (answer: { status: number; contentType: string | null }, status: number) => {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe('application/problem+json');
  };

  it('places an order at the offered price: 201, the order awaiting payment, and its Location', async () => {
    const { learner, token } = await fresh();
    const answer = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]);
    expect(answer.status).toBe(201);
    expect(answer.body.outcome).toBe('placed');
    expect(answer.body.order).toMatchObject({
      learnerId: learner.userId,
      status: 'pending-payment',
      total: price(4900),
      lines: [{ courseId: course, price: price(4900), instructorId: instructor.userId }],
    });
    expect(answer.headers.get('location')).toBe(`orders/${answer.body.order.id}`);
    expect(answer.headers.get('etag')).toBe(`"${answer.body.order.version}"`);
  });

  it('answers 200 with the pending order when the learner checks out the same courses again (another key)', async () => {
    const { token } = await fresh();
    const first = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]);
    const again = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe('already-pending');
    expect(again.body.order.id).toBe(first.body.order.id);
  });

  it('answers a retry with the same Idempotency-Key with the first placement, sending the key scoped by learner', async () => {
    const { learner, token } = await fresh();
    const key = newId();
    const first = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }], key);
    const retry = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }], key);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    const sent = api.commerceRequests.filter(
      (request) => request.method === 'Order.place' && request.metadata.idempotencyKey?.endsWith(key),
    );
    expect(sent.map((request) => request.metadata.idempotencyKey)).toEqual([
      `learner:${learner.userId}:${key}`,
      `learner:${learner.userId}:${key}`,
    ]);
  });

  it("never answers one learner with another's order when both pick the same Idempotency-Key", async () => {
    const key = `same-key-${newId()}`;
    const one = await fresh();
    const two = await fresh();
    const first = await checkout(api, one.token, [{ courseId: course, expectedPrice: price(4900) }], key);
    const second = await checkout(api, two.token, [{ courseId: course, expectedPrice: price(4900) }], key);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.order.learnerId).toBe(one.learner.userId);
    expect(second.body.order.learnerId).toBe(two.learner.userId);
    expect(second.body.order.id).not.toBe(first.body.order.id);
  });

  it('requires an Idempotency-Key: 400 idempotency-key-required, or -malformed, and places nothing', async () => {
    const { learner, token } = await fresh();
    const missing = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }], null);
    expectProblem(missing, 400);
    expect(missing.body.reason).toBe('idempotency-key-required');
    for (const bad of ['has spaces in it', 'x'.repeat(129), 'ünïcode']) {
      const malformed = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }], bad);
      expectProblem(malformed, 400);
      expect(malformed.body.reason).toBe('idempotency-key-malformed');
    }
    const orders = await api.ordering.Order.findByLearner({ learnerId: learner.userId }, { caller: learner });
    expect(orders.items).toEqual([]);
  });

  it('requires a login: 401 without a bearer token', async () => {
    const answer = await checkout(api, null, [{ courseId: course, expectedPrice: price(4900) }]);
    expectProblem(answer, 401);
    expect(answer.body.reason).toBe('access-token-required');
  });

  it('refuses an unknown course with 404, its rule code and the body field', async () => {
    const { token } = await fresh();
    const answer = await checkout(api, token, [
      { courseId: course, expectedPrice: price(4900) },
      { courseId: newId(), expectedPrice: price(4900) },
    ]);
    expectProblem(answer, 404);
    expect(answer.body.reason).toBe('ordered-course-must-be-on-offer');
    expect(answer.body.errors).toEqual([
      {
        path: 'body.courses.1.courseId',
        message: answer.body.detail,
        code: 'ordered-course-must-be-on-offer',
      },
    ]);
  });

  it('refuses a price that changed since the learner saw it (amount or currency) with 409 naming the line', async () => {
    const { token } = await fresh();
    for (const shown of [price(3900), price(4900, 'USD')]) {
      const answer = await checkout(api, token, [{ courseId: course, expectedPrice: shown }]);
      expectProblem(answer, 409);
      expect(answer.body.reason).toBe('expected-price-must-match-the-offer');
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([
        'body.courses.0.expectedPrice',
      ]);
    }
  });

  it('refuses courses priced in two currencies with 422 order-lines-must-share-one-currency', async () => {
    const dollars = await publishedCourse(api, instructor, price(2900, 'USD'), 'Dollar Course');
    const { token } = await fresh();
    const answer = await checkout(api, token, [
      { courseId: course, expectedPrice: price(4900) },
      { courseId: dollars, expectedPrice: price(2900, 'USD') },
    ]);
    expectProblem(answer, 422);
    expect(answer.body.reason).toBe('order-lines-must-share-one-currency');
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(['body.courses']);
  });

  it('refuses a negative or fractional price, a bad id and an empty order with 400 naming each field', async () => {
    const { token } = await fresh();
    const answer = await checkout(api, token, [
      { courseId: course, expectedPrice: price(-100) },
      { courseId: 'not-a-uuid', expectedPrice: price(12.5) },
    ]);
    expectProblem(answer, 400);
    expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'body.courses.0.expectedPrice.amount',
      'body.courses.1.courseId',
      'body.courses.1.expectedPrice.amount',
    ]);
    const empty = await checkout(api, token, []);
    expectProblem(empty, 400);
    expect(empty.body.errors.map((error: { path: string }) => error.path)).toEqual(['body.courses']);
  });

  it('refuses a free course with 422 free-course-needs-no-order', async () => {
    const free = await publishedCourse(api, instructor, price(0), 'Free Course');
    const { token } = await fresh();
    const answer = await checkout(api, token, [{ courseId: free, expectedPrice: price(0) }]);
    expectProblem(answer, 422);
    expect(answer.body.reason).toBe('free-course-needs-no-order');
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.courses.0.courseId',
    ]);
  });

  it('refuses a course the learner already owns with 409 owned-course-cannot-be-ordered-again', async () => {
    const { token } = await fresh();
    const placed = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]);
    await api.ordering.Order.confirmPayment(
      placed.body.order.id,
      { paymentId: `pay_${newId()}`, amount: price(4900), paidAt: new Date().toISOString() },
      checkoutProcess,
    );
    const again = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]);
    expectProblem(again, 409);
    expect(again.body.reason).toBe('owned-course-cannot-be-ordered-again');
    expect(again.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.courses.0.courseId',
    ]);
  });

  it('refuses a course awaiting payment in another order with 409, pointing at that order', async () => {
    const other = await publishedCourse(api, instructor, price(4900), 'Second Course');
    const { token } = await fresh();
    const first = await checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]);
    const overlapping = await checkout(api, token, [
      { courseId: other, expectedPrice: price(4900) },
      { courseId: course, expectedPrice: price(4900) },
    ]);
    expectProblem(overlapping, 409);
    expect(overlapping.body.reason).toBe('course-awaiting-payment-cannot-be-ordered-again');
    expect(overlapping.body.detail).toContain(first.body.order.id);
    expect(overlapping.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'body.courses.1.courseId',
    ]);
  });

  it('lets two checkouts racing for the same courses make one order; the other gets it or a 409, never a 5xx', async () => {
    const { learner, token } = await fresh();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        checkout(api, token, [{ courseId: course, expectedPrice: price(4900) }]),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => [200, 201, 409].includes(status))).toBe(true);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    const placed = answers.find((answer) => answer.status === 201)!.body.order.id;
    for (const answer of answers.filter((one) => one.status === 200))
      expect(answer.body.order.id).toBe(placed);
    for (const answer of answers.filter((one) => one.status === 409)) {
      expect(answer.body.reason).toBe('course-awaiting-payment-cannot-be-ordered-again');
    }
    const orders = await api.ordering.Order.findByLearner({ learnerId: learner.userId }, { caller: learner });
    expect(orders.items.map((order) => order.id)).toEqual([placed]);
  });
});
