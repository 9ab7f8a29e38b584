import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { answerPayment } from '@strata/payment-simulator/test-support';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { call, demoInstructor, registerLearner } from './http.ts';

// Learning through the gateway, the same in both run modes. learning-service hears of a payment
// and a refund only through ordering's events, and ordering of a certificate only through
// learning's: every step below that crosses a context waits for an event, never for a call.

const SETTLE_MS = 60_000;

interface DemoCourse {
  id: string;
  title: string;
  price: { amount: number; currency: string };
  lessons: { id: string }[];
}

interface MyCourse {
  enrollmentId: string;
  courseId: string;
  status: string;
  lessonCount: number;
  lessonsDone: number;
  completedAt: string | null;
}

/**
 * A new learner: takes the free demo course; buys and pays one paid course, completes every
 * lesson, gets a certificate anyone can check, and may no longer refund it; buys the other,
 * completes one lesson, refunds it, and its lessons close (403) while their progress stays.
 */
export async function runLearningJourney(url: string, simulatorUrl: string): Promise<void> {
  const { token: learner } = await registerLearner(url, 'learner', 'Learner');
  const instructor = await demoInstructor(url);

  const course = async (title: string): Promise<DemoCourse> => {
    const browsed = await call(url, 'GET', `/api/learner/courses?text=${encodeURIComponent(title)}`);
    const found = browsed.body.items.find((item: { title: string }) => item.title === title);
    if (found === undefined) throw new Error(`no demo course "${title}" on offer`);
    return found as DemoCourse;
  };
  const myCourse = async (courseId: string): Promise<MyCourse | undefined> => {
    const mine = await call(url, 'GET', '/api/learner/my-courses', { token: learner });
    expect(mine.status).toBe(200);
    return mine.body.items.find((item: MyCourse) => item.courseId === courseId);
  };
  const untilMyCourse = (what: string, courseId: string, done: (item: MyCourse) => boolean) =>
    waitFor(
      what,
      async () => {
        const item = await myCourse(courseId);
        return item !== undefined && done(item) ? item : undefined;
      },
      { timeoutMs: SETTLE_MS, everyMs: 250 },
    );
  const complete = (enrollmentId: string, lessonId: string) =>
    call(url, 'POST', `/api/learner/enrollments/${enrollmentId}/lessons/${lessonId}/complete`, {
      token: learner,
    });
  const buyAndPay = async (target: DemoCourse): Promise<string> => {
    const placed = await call(url, 'POST', '/api/learner/checkout', {
      token: learner,
      headers: { 'idempotency-key': randomUUID() },
      body: { courses: [{ courseId: target.id, expectedPrice: target.price }] },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    const paymentPage = await waitFor(
      'the checkout has a payment page',
      async () => {
        const answer = await call(url, 'GET', `/api/learner/orders/${orderId}`, { token: learner });
        return (answer.body.checkout?.paymentPageUrl as string | null | undefined) ?? undefined;
      },
      { timeoutMs: SETTLE_MS, everyMs: 250 },
    );
    await answerPayment(simulatorUrl, paymentPage.split('/pay/')[1]!, 'approve');
    return orderId;
  };

  // A free course: enrolled directly, no order.
  const free = await course('TypeScript Without a Build Step');
  const enrolled = await call(url, 'POST', '/api/learner/enrollments', {
    token: learner,
    body: { courseId: free.id },
  });
  expect(enrolled.status).toBe(200);
  expect(enrolled.body).toMatchObject({ status: 'active', source: { kind: 'free' } });
  // A priced course is not enrolled in directly: it is bought.
  const paid = await course('Domain-Driven Design in Practice');
  const direct = await call(url, 'POST', '/api/learner/enrollments', {
    token: learner,
    body: { courseId: paid.id },
  });
  expect(direct.status).toBe(422);

  // Bought and paid: the payment's event grants the course; every lesson done completes it.
  const paidOrderId = await buyAndPay(paid);
  const granted = await untilMyCourse(
    'the paid course is in my courses',
    paid.id,
    (item) => item.status === 'active',
  );
  expect(granted).toMatchObject({ lessonCount: paid.lessons.length, lessonsDone: 0, completedAt: null });
  // The checkout hears the grant through learning's event, and is done.
  await waitFor(
    'the checkout completes once the course is granted',
    async () => {
      const answer = await call(url, 'GET', `/api/learner/orders/${paidOrderId}`, { token: learner });
      return answer.body.checkout?.step === 'completed' ? true : undefined;
    },
    { timeoutMs: SETTLE_MS, everyMs: 250 },
  );
  for (const lesson of paid.lessons) {
    const done = await complete(granted.enrollmentId, lesson.id);
    expect(done.status).toBe(200);
  }
  // Again changes nothing.
  expect((await complete(granted.enrollmentId, paid.lessons[0]!.id)).status).toBe(200);
  const completed = await untilMyCourse(
    'the course is completed',
    paid.id,
    (item) => item.completedAt !== null,
  );
  expect(completed.lessonsDone).toBe(paid.lessons.length);

  const certificate = await waitFor(
    'the certificate is issued',
    async () => {
      const mine = await call(url, 'GET', '/api/learner/my-certificates', { token: learner });
      expect(mine.status).toBe(200);
      return mine.body.items.find((item: { courseId: string }) => item.courseId === paid.id) as
        { id: string; code: string } | undefined;
    },
    { timeoutMs: SETTLE_MS, everyMs: 250 },
  );
  // Anyone may check it, no token.
  const checked = await call(url, 'GET', `/api/learner/certificates/${certificate.id}`);
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({
    certificateId: certificate.id,
    code: certificate.code,
    courseId: paid.id,
  });
  expect((await call(url, 'GET', `/api/learner/certificates/${randomUUID()}`)).status).toBe(404);

  // The certificate is visible, so the refund is refused at once: learner-api asks learning, which
  // issued it, rather than wait for ordering to hear CertificateIssued (ADR 0036).
  const refused = await call(url, 'POST', `/api/learner/orders/${paidOrderId}/refund`, { token: learner });
  expect(refused.status).toBe(422);
  expect(refused.body.reason).toBe('order-cannot-be-refunded-once-a-certificate-is-issued');

  // Bought, started, refunded: access ends, the progress stays.
  const other = await course('Event-Driven Systems with the Outbox');
  const otherOrderId = await buyAndPay(other);
  const started = await untilMyCourse(
    'the second course is granted',
    other.id,
    (item) => item.status === 'active',
  );
  expect((await complete(started.enrollmentId, other.lessons[0]!.id)).status).toBe(200);
  await waitFor(
    'the second order is paid',
    async () => {
      const answer = await call(url, 'GET', `/api/learner/orders/${otherOrderId}`, { token: learner });
      return answer.body.order.status === 'paid' ? true : undefined;
    },
    { timeoutMs: SETTLE_MS, everyMs: 250 },
  );
  const refund = await call(url, 'POST', `/api/learner/orders/${otherOrderId}/refund`, { token: learner });
  expect(refund.status).toBe(200);
  const revoked = await untilMyCourse(
    'the refunded course is revoked',
    other.id,
    (item) => item.status === 'revoked',
  );
  expect(revoked.lessonsDone).toBe(1);
  const lessonOf = (courseId: string, lessonId: string) =>
    call(url, 'GET', `/api/learner/my-courses/${courseId}/lessons/${lessonId}`, { token: learner });
  const lessonClosed = await lessonOf(other.id, other.lessons[1]!.id);
  expect(lessonClosed.status).toBe(403);
  expect(lessonClosed.body.reason).toBe('lessons-are-open-only-while-enrolled');
  const open = await lessonOf(paid.id, paid.lessons[1]!.id);
  expect(open.status).toBe(200);
  expect(open.body).toMatchObject({
    courseId: paid.id,
    done: true,
    lesson: { id: paid.lessons[1]!.id, position: 2 },
  });
  const closed = await complete(started.enrollmentId, other.lessons[1]!.id);
  expect(closed.status).toBe(403);
  expect(closed.body.reason).toBe('lessons-are-open-only-while-enrolled');

  // The instructor sees the learning beside the sales.
  const stats = await call(url, 'GET', '/api/studio/learning', { token: instructor });
  expect(stats.status).toBe(200);
  const paidStats = stats.body.items.find((item: { courseId: string }) => item.courseId === paid.id);
  expect(paidStats.enrollments).toBeGreaterThanOrEqual(1);
  expect(paidStats.completions).toBeGreaterThanOrEqual(1);
}
