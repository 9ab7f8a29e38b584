import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { answerPayment } from '@strata/payment-simulator/test-support';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { call, demoInstructor, registerLearner } from './http.ts';

// Buying through the gateway, as a learner and the payer do it, the same in both run modes: the
// payment simulator is the platform's outside provider, its signed webhooks come back through the
// gateway's public route to learner-api, and the checkout saga in commerce-service does the rest.

const SETTLE_MS = 60_000;

interface MyOrder {
  order: { id: string; status: string; lines: { courseId: string }[] };
  checkout: { step: string; paymentPageUrl: string | null } | null;
}

/** The simulator's URL as the start banner prints it. */
export function simulatorUrlOf(output: string): string {
  const match = /Payment simulator: (http:\/\/\S+)/.exec(output);
  if (match === null) throw new Error(`the start printed no payment simulator URL:\n${output}`);
  return match[1]!;
}

/**
 * A new learner buys the two paid demo courses: one is paid (and then refunded, and the
 * instructor's sales move both times), the other declined (and its order cancelled).
 */
export async function runCheckoutJourney(url: string, simulatorUrl: string): Promise<void> {
  const { token: learner } = await registerLearner(url, 'buyer', 'Buyer');
  const instructor = await demoInstructor(url);

  const browsed = await call(url, 'GET', '/api/learner/courses', { token: learner });
  const course = (title: string) => {
    const found = browsed.body.items.find((item: { title: string }) => item.title === title);
    if (found === undefined) throw new Error(`no demo course "${title}" on offer`);
    return found as { id: string; price: { amount: number; currency: string } };
  };
  const paidCourse = course('Domain-Driven Design in Practice');
  const declinedCourse = course('Event-Driven Systems with the Outbox');
  const salesOf = async (courseId: string) => {
    const sales = await call(url, 'GET', '/api/studio/sales', { token: instructor });
    expect(sales.status).toBe(200);
    return sales.body.courses.find((figures: { courseId: string }) => figures.courseId === courseId) as
      { paidOrders: number; refundedOrders: number } | undefined;
  };
  const salesBefore = (await salesOf(paidCourse.id)) ?? { paidOrders: 0, refundedOrders: 0 };

  const checkout = async (target: { id: string; price: unknown }) => {
    const key = randomUUID();
    const placed = await call(url, 'POST', '/api/learner/checkout', {
      token: learner,
      headers: { 'idempotency-key': key },
      body: { courses: [{ courseId: target.id, expectedPrice: target.price }] },
    });
    expect(placed.status).toBe(201);
    // The same key again answers the same order, never a second one.
    const again = await call(url, 'POST', '/api/learner/checkout', {
      token: learner,
      headers: { 'idempotency-key': key },
      body: { courses: [{ courseId: target.id, expectedPrice: target.price }] },
    });
    expect(again.body.order.id).toBe(placed.body.order.id);
    return placed.body.order.id as string;
  };
  const orderOf = async (orderId: string): Promise<MyOrder> => {
    const answer = await call(url, 'GET', `/api/learner/orders/${orderId}`, { token: learner });
    expect(answer.status).toBe(200);
    return answer.body as MyOrder;
  };
  // A failure names the order and its checkout as last seen: where an operator would start looking.
  const until = (what: string, orderId: string, done: (order: MyOrder) => boolean) =>
    waitFor(what, () => orderOf(orderId), { done, timeoutMs: SETTLE_MS, everyMs: 250 });
  const paymentIdOf = (order: MyOrder) => order.checkout!.paymentPageUrl!.split('/pay/')[1]!;

  const paidOrderId = await checkout(paidCourse);
  const awaiting = await until('the checkout has a payment page', paidOrderId, (order) =>
    Boolean(order.checkout?.paymentPageUrl),
  );
  await answerPayment(simulatorUrl, paymentIdOf(awaiting), 'approve');
  const paid = await until('the order is paid', paidOrderId, (order) => order.order.status === 'paid');
  expect(paid.order.lines.map((line) => line.courseId)).toEqual([paidCourse.id]);
  await waitFor(
    'the instructor sees the sale',
    async () => ((await salesOf(paidCourse.id))?.paidOrders ?? 0) === salesBefore.paidOrders + 1,
    { timeoutMs: SETTLE_MS, everyMs: 250 },
  );

  const refund = await call(url, 'POST', `/api/learner/orders/${paidOrderId}/refund`, { token: learner });
  expect(refund.status).toBeLessThan(300);
  await until('the order is refunded', paidOrderId, (order) => order.order.status === 'refunded');
  await waitFor(
    'the instructor sees the refund',
    async () => ((await salesOf(paidCourse.id))?.refundedOrders ?? 0) === salesBefore.refundedOrders + 1,
    { timeoutMs: SETTLE_MS, everyMs: 250 },
  );

  const declinedOrderId = await checkout(declinedCourse);
  const declining = await until('the second checkout has a payment page', declinedOrderId, (order) =>
    Boolean(order.checkout?.paymentPageUrl),
  );
  await answerPayment(simulatorUrl, paymentIdOf(declining), 'decline');
  // The order is cancelled first; its checkout closes when it hears OrderCancelled, through Kafka.
  await until(
    'the declined order is cancelled and its checkout closed',
    declinedOrderId,
    (order) => order.order.status === 'cancelled' && order.checkout?.step === 'cancelled',
  );

  const mine = await call(url, 'GET', '/api/learner/orders', { token: learner });
  expect(mine.status).toBe(200);
  expect(mine.body.items.map((order: { id: string }) => order.id).sort()).toEqual(
    [paidOrderId, declinedOrderId].sort(),
  );
}

/** An order nobody pays: once the platform's (short) payment window passes, it is expired. */
export async function runExpiryJourney(url: string): Promise<void> {
  const { token: learner } = await registerLearner(url, 'unpaid', 'Unpaid');
  const browsed = await call(url, 'GET', '/api/learner/courses', { token: learner });
  const course = browsed.body.items.find((item: { price: { amount: number } }) => item.price.amount > 0) as {
    id: string;
    price: unknown;
  };
  const placed = await call(url, 'POST', '/api/learner/checkout', {
    token: learner,
    headers: { 'idempotency-key': randomUUID() },
    body: { courses: [{ courseId: course.id, expectedPrice: course.price }] },
  });
  expect(placed.status).toBe(201);
  const orderId = placed.body.order.id as string;
  const expired = await waitFor(
    'the unpaid order expires',
    async () => {
      const answer = await call(url, 'GET', `/api/learner/orders/${orderId}`, { token: learner });
      return answer.body.order.status === 'expired' ? (answer.body as MyOrder) : undefined;
    },
    { timeoutMs: SETTLE_MS, everyMs: 250 },
  );
  expect(expired.checkout?.step).toBe('expired');
}
