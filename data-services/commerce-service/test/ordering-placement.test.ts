import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHECKOUT_ACTOR } from '@strata/ordering';
import { refusal } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import { CommerceWorld, eur, instructorCaller, learnerCaller, type Storage } from './commerce-world.ts';

// The checkout asks this provider for a payment for every order placed.
const simulator = usePaymentSimulator();

const checkout = { userId: CHECKOUT_ACTOR.userId, roles: [...CHECKOUT_ACTOR.roles] };

describe.each<Storage>(['MariaDB', 'SQLite'])('placing orders on commerce-service (%s)', (storage) => {
  const world = new CommerceWorld(simulator);
  const instructor = instructorCaller();
  let priced: string;

  beforeAll(async () => {
    await world.start(storage);
    priced = await world.publishedCourse(eur(4900), instructor, 'Distributed systems');
  });
  afterAll(() => world.stop());

  const place = (
    caller: { userId: string; roles: string[] },
    courses: { courseId: string; expectedPrice: { amount: number; currency: string } }[],
    idempotencyKey?: string,
  ) => world.ordering.Order.place({ courses }, { caller, idempotencyKey });

  it('places an order at the offered price, which the order keeps when the price changes later', async () => {
    const learner = learnerCaller();
    const course = await world.publishedCourse(eur(3900), instructor, 'Observability');

    const placement = await place(learner, [{ courseId: course, expectedPrice: eur(3900) }]);
    await world.catalog.Course.setPrice(course, { price: eur(5900) }, { caller: instructor });
    await world.settled();

    expect(placement.outcome).toBe('placed');
    expect(placement.order).toMatchObject({
      learnerId: learner.userId,
      status: 'pending-payment',
      lines: [
        { courseId: course, instructorId: instructor.userId, title: 'Observability', price: eur(3900) },
      ],
      total: eur(3900),
      paymentDeadline: '2026-12-03T10:30:00.000Z',
    });
    const [stored] = (
      await world.ordering.Order.findByLearner({ learnerId: learner.userId }, { caller: learner })
    ).items;
    expect(stored).toEqual(placement.order);
    expect(await world.outboxOf(placement.order.id)).toEqual(['OrderPlaced']);
  });

  it('answers the order already awaiting payment when the learner places it again, keeping one row', async () => {
    const learner = learnerCaller();
    const first = await place(learner, [{ courseId: priced, expectedPrice: eur(4900) }]);

    const again = await place(learner, [{ courseId: priced, expectedPrice: eur(4900) }]);

    expect(again).toEqual({ outcome: 'already-pending', order: first.order });
    expect(await world.countOrdersOf(learner.userId)).toBe(1);
    expect(await world.outboxOf(first.order.id)).toEqual(['OrderPlaced']);
  });

  it('makes one order when checkouts for the same courses race, and answers it when placed again', async () => {
    const learner = learnerCaller();
    const request = [{ courseId: priced, expectedPrice: eur(4900) }];

    const attempts = await Promise.allSettled([
      place(learner, request),
      place(learner, request),
      place(learner, request),
    ]);

    expect(await world.countOrdersOf(learner.userId)).toBe(1);
    const answers = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
    expect(answers.filter((answer) => answer.outcome === 'placed')).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') {
        expect(attempt.reason).toMatchObject({
          code: 'CONFLICT',
          reason: 'course-awaiting-payment-cannot-be-ordered-again',
        });
      }
    }
    const again = await place(learner, request);
    expect(again.outcome).toBe('already-pending');
    expect(again.order.id).toBe(answers.find((answer) => answer.outcome === 'placed')?.order.id);
  });

  it('answers a retried placement with its first answer when the idempotency key is the same', async () => {
    const learner = learnerCaller();
    const key = `place-${newId()}`;
    const first = await place(learner, [{ courseId: priced, expectedPrice: eur(4900) }], key);

    const retried = await place(learner, [{ courseId: priced, expectedPrice: eur(4900) }], key);

    expect(retried).toEqual(first);
    expect(first.outcome).toBe('placed');
    expect(await world.countOrdersOf(learner.userId)).toBe(1);
  });

  it('refuses a course that is not for sale: never published, unpublished, or free', async () => {
    const learner = learnerCaller();
    const withdrawn = await world.publishedCourse(eur(1000), instructor, 'Withdrawn course');
    await world.catalog.Course.unpublish(withdrawn, {}, { caller: instructor });
    const free = await world.publishedCourse(eur(0), instructor, 'Free course');
    await world.settled();

    expect(await refusal(place(learner, [{ courseId: newId(), expectedPrice: eur(1000) }]))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'ordered-course-must-be-on-offer',
    });
    expect(await refusal(place(learner, [{ courseId: withdrawn, expectedPrice: eur(1000) }]))).toMatchObject({
      code: 'RULE_VIOLATION',
      reason: 'unpublished-course-cannot-be-ordered',
    });
    expect(await refusal(place(learner, [{ courseId: free, expectedPrice: eur(0) }]))).toMatchObject({
      code: 'RULE_VIOLATION',
      reason: 'free-course-needs-no-order',
    });
    expect(await world.countOrdersOf(learner.userId)).toBe(0);
  });

  it('refuses a price the learner was not offered, and courses in two currencies in one order', async () => {
    const learner = learnerCaller();
    const inDollars = await world.publishedCourse(
      { amount: 4500, currency: 'USD' },
      instructor,
      'In dollars',
    );

    expect(await refusal(place(learner, [{ courseId: priced, expectedPrice: eur(3900) }]))).toMatchObject({
      code: 'CONFLICT',
      reason: 'expected-price-must-match-the-offer',
      details: { field: 'courses.0.expectedPrice', offered: eur(4900) },
    });
    expect(
      await refusal(
        place(learner, [
          { courseId: priced, expectedPrice: eur(4900) },
          { courseId: inDollars, expectedPrice: { amount: 4500, currency: 'USD' } },
        ]),
      ),
    ).toMatchObject({ code: 'RULE_VIOLATION', reason: 'order-lines-must-share-one-currency' });
  });

  it('refuses a course the learner owns already, and a course another pending order holds', async () => {
    const learner = learnerCaller();
    const other = await world.publishedCourse(eur(1900), instructor, 'Another course');
    const { order } = await place(learner, [{ courseId: priced, expectedPrice: eur(4900) }]);
    await world.ordering.Order.confirmPayment(
      order.id,
      { paymentId: `pay-${newId()}`, amount: eur(4900), paidAt: world.clock.now().toISOString() },
      { caller: checkout },
    );
    await place(learner, [{ courseId: other, expectedPrice: eur(1900) }]);
    const third = await world.publishedCourse(eur(900), instructor, 'Third course');

    expect(await refusal(place(learner, [{ courseId: priced, expectedPrice: eur(4900) }]))).toMatchObject({
      code: 'CONFLICT',
      reason: 'owned-course-cannot-be-ordered-again',
    });
    expect(
      await refusal(
        place(learner, [
          { courseId: other, expectedPrice: eur(1900) },
          { courseId: third, expectedPrice: eur(900) },
        ]),
      ),
    ).toMatchObject({ code: 'CONFLICT', reason: 'course-awaiting-payment-cannot-be-ordered-again' });
  });

  it('refuses an instructor-only caller placing an order', async () => {
    const teacher = { userId: newId(), roles: ['instructor'] };
    expect(await refusal(place(teacher, [{ courseId: priced, expectedPrice: eur(4900) }]))).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'only-learners-may-place-orders',
    });
  });
});
