import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  deadLetterTopicFor,
  envelopeToMessage,
  type DeliveredMessage,
  type EventEnvelope,
} from '@strata/events';
import { newId } from '@strata/shared-kernel';
import { DEFAULT_SALES_CONSUMER_GROUP, orderingEventsTopic } from '../src/index.ts';
import { courseLine, orderPaid, orderPlaced, orderRefunded, paidOrder } from './order-events.ts';
import { call, newAdmin, newInstructor, newLearner, startStudioApi, type Harness } from './support.ts';

/*
 * GET /sales as embedded mode serves it: ordering's events published to the in-process broker
 * (whose publish resolves once the consumer has handled them), the figures read from memory.
 */

describe('GET /sales (embedded: in-process events, memory read model)', () => {
  let api: Harness;
  const instructor = newInstructor();
  let token: string;
  const deadLetters: DeliveredMessage[] = [];

  const publish = (...envelopes: EventEnvelope[]) =>
    api.broker.publish(envelopes.map((envelope) => envelopeToMessage(orderingEventsTopic(), envelope)));

  beforeAll(async () => {
    api = await startStudioApi({ commerce: 'none' });
    token = await api.tokenFor(instructor);
    api.broker.subscribe(
      deadLetterTopicFor(orderingEventsTopic(), DEFAULT_SALES_CONSUMER_GROUP),
      async (message) => {
        deadLetters.push(message);
      },
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it("answers the instructor's courses, moved by OrderPaid and OrderRefunded, and skips ordering's other events", async () => {
    const line = courseLine({ instructorId: instructor.userId, title: 'Sales Through Events' });
    const refunded = paidOrder([line]);
    expect((await call(api, 'GET', '/sales', { token })).body).toEqual({
      instructorId: instructor.userId,
      courses: [],
    });

    await publish(orderPlaced(refunded), orderPaid(refunded), orderPaid(paidOrder([line])));
    const paid = await call(api, 'GET', '/sales', { token });
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual({
      instructorId: instructor.userId,
      courses: [
        {
          courseId: line.courseId,
          title: 'Sales Through Events',
          instructorId: instructor.userId,
          paidOrders: 2,
          refundedOrders: 0,
          revenue: [{ amount: 9_800, currency: 'EUR' }],
        },
      ],
    });

    const refund = orderRefunded(refunded);
    await publish(refund, refund);
    expect((await call(api, 'GET', '/sales', { token })).body.courses).toMatchObject([
      { paidOrders: 2, refundedOrders: 1, revenue: [{ amount: 4_900, currency: 'EUR' }] },
    ]);
    // Naming oneself is allowed and answers the same.
    expect(
      (await call(api, 'GET', `/sales?instructorId=${instructor.userId}`, { token })).body.courses,
    ).toMatchObject([{ courseId: line.courseId, refundedOrders: 1 }]);
  });

  it('dead-letters an envelope the ordering contract refuses, and counts nothing of it', async () => {
    const line = courseLine();
    const broken = orderPaid(paidOrder([line]));
    (broken.payload as { lines: unknown[] }).lines = [{ ...line, price: { amount: -1, currency: 'EUR' } }];
    await publish(broken);

    expect(deadLetters.map((message) => message.headers['event-id'])).toEqual([broken.id]);
    expect(deadLetters[0]!.headers['dlq-error']).toContain('payload.lines.0.price.amount');
    expect(await api.sales.salesOf(line.instructorId)).toEqual([]);
  });

  it('lets an admin read any instructor, or every course without naming one', async () => {
    const admin = await api.tokenFor(newAdmin());
    const other = courseLine({ title: 'Another Instructor' });
    await publish(orderPaid(paidOrder([other])));

    const theirs = await call(api, 'GET', `/sales?instructorId=${other.instructorId}`, { token: admin });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({
      instructorId: other.instructorId,
      courses: [{ courseId: other.courseId }],
    });
    const every = await call(api, 'GET', '/sales', { token: admin });
    expect(every.body.instructorId).toBeNull();
    expect(every.body.courses.map((course: { title: string }) => course.title)).toEqual(
      expect.arrayContaining(['Another Instructor', 'Sales Through Events']),
    );
  });

  it('refuses with problem+json: no token 401, a learner or another instructor 403, a malformed id 400', async () => {
    const missing = await call(api, 'GET', '/sales');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');

    const learner = await call(api, 'GET', '/sales', { token: await api.tokenFor(newLearner()) });
    expect(learner.status).toBe(403);
    expect(learner.body).toMatchObject({ status: 403, reason: 'instructor-role-required' });

    const another = await call(api, 'GET', `/sales?instructorId=${newId()}`, { token });
    expect(another.status).toBe(403);
    expect(another.body).toMatchObject({ reason: 'sales-of-another-instructor' });

    const malformed = await call(api, 'GET', '/sales?instructorId=not-a-uuid', { token });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.body.detail).toContain('query.instructorId');
  });
});
