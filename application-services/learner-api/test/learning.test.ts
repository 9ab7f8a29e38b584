import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
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

describe('learning for the learner (learner-api on real commerce- and learning-services)', () => {
  let api: Harness;
  const instructor = newInstructor();
  let freeCourse: string;
  let pricedCourse: string;
  let lessonOf: (courseId: string) => Promise<string>;

  beforeAll(async () => {
    api = await startLearnerApi();
    freeCourse = await publishedCourse(api, instructor, price(0), 'Free SQL');
    pricedCourse = await publishedCourse(api, instructor, price(2500), 'Priced SQL');
    lessonOf = async (courseId) => (await api.catalog.Course.get(courseId, {})).lessons[0]!.id;
  });
  afterAll(() => api?.close());

  const fresh = async () => {
    const learner = newLearner();
    return { learner, token: await api.tokenFor(learner) };
  };

  it('enrolls in a free course once, however often asked, and shows it in my courses with its progress', async () => {
    const { learner, token } = await fresh();
    const first = await call(api, 'POST', '/enrollments', { token, body: { courseId: freeCourse } });
    expect(first.status).toBe(200);
    const again = await call(api, 'POST', '/enrollments', { token, body: { courseId: freeCourse } });
    expect(again.body.id).toBe(first.body.id);
    await api.settled();

    const lessonId = await lessonOf(freeCourse);
    const done = await call(api, 'POST', `/enrollments/${first.body.id}/lessons/${lessonId}/complete`, {
      token,
    });
    expect(done.status).toBe(200);
    expect(done.body.completedLessonIds).toEqual([lessonId]);
    await api.settled();

    const mine = await call(api, 'GET', '/my-courses', { token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ courseId: freeCourse, status: 'active', lessonCount: 1, lessonsDone: 1 }),
    ]);
    const opened = await call(api, 'GET', `/my-courses/${freeCourse}/lessons/${lessonId}`, { token });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      enrollmentId: first.body.id,
      done: true,
      lesson: { position: 1, of: 1 },
    });

    const certificates = await call(api, 'GET', '/my-certificates', { token });
    expect(certificates.body.items).toEqual([
      expect.objectContaining({ learnerId: learner.userId, courseId: freeCourse }),
    ]);
    const certificateId = certificates.body.items[0].id as string;
    // Anyone checks it: no token.
    const checked = await call(api, 'GET', `/certificates/${certificateId}`);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ certificateId, learnerId: learner.userId, courseId: freeCourse });
  });

  it('refuses to refund an order once learning has issued its certificate, before ordering has heard of it', async () => {
    const { learner, token } = await fresh();
    const placed = await checkout(api, token, [{ courseId: pricedCourse, expectedPrice: price(2500) }]);
    expect(placed.status).toBe(201);
    const orderId = placed.body.order.id as string;
    await api.ordering.Order.confirmPayment(
      orderId,
      { paymentId: `pay_${newId()}`, amount: price(2500), paidAt: new Date().toISOString() },
      { caller: { userId: newId(), roles: ['checkout'] } },
    );
    await api.settled();
    const granted = (await call(api, 'GET', '/my-courses', { token })).body.items[0];
    expect(granted).toMatchObject({ courseId: pricedCourse, status: 'active' });
    const lessonId = await lessonOf(pricedCourse);
    const done = await call(
      api,
      'POST',
      `/enrollments/${granted.enrollmentId}/lessons/${lessonId}/complete`,
      {
        token,
      },
    );
    expect(done.status).toBe(200);
    // Learning hears its own CourseCompleted and issues the certificate; its CertificateIssued is
    // left in learning's outbox, so ordering has not heard of it.
    await api.learning.relay.publishBatch();
    const certificates = await call(api, 'GET', '/my-certificates', { token });
    expect(certificates.body.items).toEqual([
      expect.objectContaining({ learnerId: learner.userId, courseId: pricedCourse }),
    ]);
    const sentBefore = api.commerceRequests.length;

    const refused = await call(api, 'POST', `/orders/${orderId}/refund`, { token });
    expect(refused.status).toBe(422);
    expect(refused.body.reason).toBe('order-cannot-be-refunded-once-a-certificate-is-issued');
    // Refused before ordering was asked: the order only read, still paid.
    expect(api.commerceRequests.slice(sentBefore).map((request) => request.method)).toEqual(['Order.get']);
    expect((await call(api, 'GET', `/orders/${orderId}`, { token })).body.order.status).toBe('paid');

    // Once ordering has heard, its own rule refuses too (asked straight, as any other caller would).
    await api.settled();
    await expect(
      api.ordering.Order.requestRefund(
        orderId,
        { reason: 'learner-request' },
        { caller: { userId: learner.userId, roles: ['learner'] } },
      ),
    ).rejects.toMatchObject({ reason: 'order-cannot-be-refunded-once-a-certificate-is-issued' });
  });

  it('refuses a priced course without an order, and the lessons of a course the caller does not have (403, with the reason)', async () => {
    const { token } = await fresh();
    const direct = await call(api, 'POST', '/enrollments', { token, body: { courseId: pricedCourse } });
    expect(direct.status).toBe(422);
    expect(direct.body.reason).toBe('only-a-free-course-can-be-enrolled-in-directly');

    const lessonId = await lessonOf(pricedCourse);
    const closed = await call(api, 'GET', `/my-courses/${pricedCourse}/lessons/${lessonId}`, { token });
    expect(closed.status).toBe(403);
    expect(closed.body.reason).toBe('lessons-are-open-only-while-enrolled');
  });

  it("refuses another learner's enrollment, an unknown lesson and an unknown certificate", async () => {
    const owner = await fresh();
    const enrolled = await call(api, 'POST', '/enrollments', {
      token: owner.token,
      body: { courseId: freeCourse },
    });
    const lessonId = await lessonOf(freeCourse);
    const other = await fresh();
    const notTheirs = await call(
      api,
      'POST',
      `/enrollments/${enrolled.body.id}/lessons/${lessonId}/complete`,
      {
        token: other.token,
      },
    );
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.reason).toBe('only-its-learner-may-follow-an-enrollment');

    const unknownLesson = await call(api, 'GET', `/my-courses/${freeCourse}/lessons/${newId()}`, {
      token: owner.token,
    });
    expect(unknownLesson.status).toBe(404);
    expect(unknownLesson.body.reason).toBe('lesson-not-found');
    const notInOutline = await call(
      api,
      'POST',
      `/enrollments/${enrolled.body.id}/lessons/${newId()}/complete`,
      {
        token: owner.token,
      },
    );
    expect(notInOutline.status).toBe(404);
    expect(notInOutline.body.reason).toBe('completed-lesson-must-be-in-the-outline');

    expect((await call(api, 'GET', `/certificates/${newId()}`)).status).toBe(404);
  });

  it('answers bad input with the field path and no login with 401', async () => {
    const { token } = await fresh();
    const badBody = await call(api, 'POST', '/enrollments', { token, body: { courseId: 'not-a-uuid' } });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((error: { path: string }) => error.path)).toEqual(['body.courseId']);
    const badParams = await call(api, 'GET', '/certificates/nope');
    expect(badParams.status).toBe(400);
    expect(badParams.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'params.certificateId',
    ]);
    const badPage = await call(api, 'GET', '/my-courses?limit=0', { token });
    expect(badPage.status).toBe(400);
    expect((await call(api, 'GET', '/my-courses')).status).toBe(401);
  });
});
