import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { catalogContract } from '@strata/catalog/contract';
import { envelopeFor, envelopeToMessage, KafkaEventBroker, replayTopic, topicFor } from '@strata/events';
import { contractEventCatalog } from '@strata/events';
import { orderingContract } from '@strata/ordering/contract';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { newId } from '@strata/shared-kernel';
import { eur, instructorCaller, learnerCaller, LearningWorld } from './learning-world.ts';

// Ordering's and the catalog's events as a broker may deliver them: twice, replayed, or out of
// order across topics. learning-service's real consumer (processor, inbox, handlers) on MariaDB.

jest.setTimeout(60_000);

const simulator = usePaymentSimulator();

const line = (courseId: string) => ({
  courseId,
  instructorId: newId(),
  title: 'Delivered SQL',
  price: eur(1200),
});

/** An OrderPaid of one learner for one course, as ordering publishes it. */
function orderPaid(learnerId: string, courseId: string, orderId = newId()) {
  return {
    type: 'OrderPaid',
    aggregateType: 'Order',
    aggregateId: orderId,
    aggregateVersion: 2,
    payload: {
      orderId,
      learnerId,
      lines: [line(courseId)],
      total: eur(1200),
      paymentId: `pay-${orderId}`,
      paidAt: '2026-12-04T10:00:00.000Z',
      refundDeadline: '2026-12-18T10:00:00.000Z',
    },
  };
}

function orderRefunded(learnerId: string, courseId: string, orderId: string) {
  return {
    type: 'OrderRefunded',
    aggregateType: 'Order',
    aggregateId: orderId,
    aggregateVersion: 4,
    payload: {
      orderId,
      learnerId,
      lines: [line(courseId)],
      total: eur(1200),
      paymentId: `pay-${orderId}`,
      refundId: `refund-${orderId}`,
      reason: 'learner-request',
      refundedAt: '2026-12-05T10:00:00.000Z',
    },
  };
}

describe('learning-service hearing events twice, replayed, and out of order (MariaDB)', () => {
  const world = new LearningWorld(simulator);
  const count = (sql: string, parameters: unknown[]) => world.countLearning(sql, parameters);
  const enrollmentsOf = (learnerId: string) =>
    count('select count(*) as n from enrollments where learner_id = ?', [learnerId]);
  /** EnrollmentGranted rows in learning's outbox for the learner's enrollments. */
  const grantsOf = async (learnerId: string) => {
    const ids = await world.learningService.database
      .em()
      .execute<{ id: string }[]>('select id from enrollments where learner_id = ?', [learnerId]);
    if (ids.length === 0) return 0;
    return count(
      `select count(*) as n from outbox where event_type = 'EnrollmentGranted' and aggregate_id in (${ids
        .map(() => '?')
        .join(', ')})`,
      ids.map((row) => row.id),
    );
  };

  beforeAll(() => world.start('MariaDB'));
  afterAll(() => world.stop());

  it('grants one enrollment for the same OrderPaid delivered twice, and for a copy under another event id', async () => {
    const learner = newId();
    const courseId = newId();
    const paid = orderPaid(learner, courseId);
    const id = newId();

    expect(await world.deliver(orderingContract, paid, id)).toBe('handled');
    expect(await world.deliver(orderingContract, paid, id)).toBe('duplicate');
    expect(await world.deliver(orderingContract, paid)).toBe('handled');

    expect(await enrollmentsOf(learner)).toBe(1);
    expect(await grantsOf(learner)).toBe(1);
  });

  it('never grants an order whose refund was heard before its payment', async () => {
    const learner = learnerCaller();
    const courseId = newId();
    const paid = orderPaid(learner.userId, courseId);

    await world.deliver(orderingContract, orderRefunded(learner.userId, courseId, paid.aggregateId));
    await world.deliver(orderingContract, paid);

    const [row] = await world.learningService.database
      .em()
      .execute<{ status: string }[]>('select status from enrollments where learner_id = ?', [learner.userId]);
    expect(row?.status).toBe('withheld');
    expect(await grantsOf(learner.userId)).toBe(0);
    expect(
      (await world.learning.Enrollment.findByLearner({ learnerId: learner.userId }, { caller: learner }))
        .items,
    ).toEqual([]);
    // Another purchase of the course grants it.
    await world.deliver(orderingContract, orderPaid(learner.userId, courseId));
    expect(await grantsOf(learner.userId)).toBe(1);
    expect(await enrollmentsOf(learner.userId)).toBe(1);
  });

  it("keeps a lesson's removal heard before its addition, and a price heard before the publication", async () => {
    const instructor = instructorCaller();
    const courseId = newId();
    const [kept, removed] = [newId(), newId()];
    const course = (type: string, aggregateVersion: number, payload: Record<string, unknown>) =>
      world.deliver(catalogContract, {
        type,
        aggregateType: 'Course',
        aggregateId: courseId,
        aggregateVersion,
        payload: { courseId, ...payload },
      });
    await course('LessonRemoved', 5, { lessonId: removed });
    await course('CoursePriceChanged', 4, { price: eur(0), previousPrice: null });
    await course('LessonAdded', 3, { lessonId: removed, title: 'Gone', position: 1 });
    await course('CoursePublished', 6, {
      instructorId: instructor.userId,
      title: 'Out of order',
      description: 'events in any order',
      price: eur(0),
      lessonCount: 1,
    });
    await course('LessonAdded', 2, { lessonId: kept, title: 'Kept', position: 0 });

    const learner = learnerCaller();
    const enrolled = await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: learner });
    const done = await world.learning.Enrollment.completeLesson(
      enrolled.id,
      { lessonId: kept },
      { caller: learner },
    );
    expect(done.completedAt).not.toBeNull();
  });

  it('grants one enrollment per learner and course when ordering’s topic is replayed from its start, twice', async () => {
    const namespace = `lrnreplay${randomBytes(3).toString('hex')}`;
    const topic = topicFor('ordering', namespace);
    const kafka = new KafkaEventBroker({ brokers: ['127.0.0.1:9092'], clientId: `${namespace}-test` });
    const events = contractEventCatalog(orderingContract);
    const learners = [newId(), newId(), newId()];
    const courseId = newId();
    const paid = learners.map((learner) => orderPaid(learner, courseId));
    // Each OrderPaid on the topic twice, as a relay that lost an ack would publish it again.
    const messages = [...paid, ...paid].map((event) =>
      envelopeToMessage(
        topic,
        envelopeFor(
          { ...event, occurredAt: new Date() },
          events.describe('OrderPaid')!.version,
          { correlationId: event.aggregateId },
          events.schema,
        ),
      ),
    );
    try {
      await kafka.publish(messages);
    } finally {
      await kafka.close();
    }
    const [consumer] = world.learningService.consumers;
    for (let replay = 0; replay < 2; replay += 1) {
      const read = await replayTopic({
        brokers: ['127.0.0.1:9092'],
        topic,
        from: { offset: '0' },
        processor: consumer!.processor,
      });
      expect(read).toBe(6);
    }

    for (const learner of learners) {
      expect(await enrollmentsOf(learner)).toBe(1);
      expect(await grantsOf(learner)).toBe(1);
    }
  });
});
