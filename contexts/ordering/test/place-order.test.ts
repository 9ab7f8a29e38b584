import { describe, expect, it } from '@jest/globals';
import { FixedClock, Money, newId } from '@strata/shared-kernel';
import { expectRejection } from '@strata/shared-kernel/test-support';
import { NO_STANDING, Order, type Offer, type PlacementContext } from '@strata/ordering';
import {
  aLearner,
  anAdmin,
  anOffer,
  PAYMENT_DEADLINE,
  PLACED_AT,
  requestFor,
  standing,
  theCheckout,
} from './order.mother.ts';

const clock = new FixedClock(PLACED_AT);
const place = (
  request: ReturnType<typeof requestFor>,
  context: Partial<PlacementContext> & { offers: readonly Offer[] },
  learner = aLearner(),
) => Order.place(request, { standing: NO_STANDING, ...context }, learner, clock);

describe('placing an order', () => {
  it('makes an order awaiting payment at the offered prices and records OrderPlaced', () => {
    const learner = aLearner();
    const ddd = anOffer();
    const kafka = anOffer({ title: 'Kafka basics', price: Money.of(2500, 'EUR') });
    const id = newId<'Order'>();
    const placement = Order.place(
      requestFor(ddd, kafka),
      { offers: [kafka, ddd], standing: NO_STANDING },
      learner,
      clock,
      id,
    );

    expect(placement.outcome).toBe('placed');
    const order = (placement as Extract<typeof placement, { outcome: 'placed' }>).order;
    expect(order).toMatchObject({
      id,
      learnerId: learner.userId,
      status: 'pending-payment',
      placedAt: new Date(PLACED_AT),
      paymentDeadline: new Date(PAYMENT_DEADLINE),
      payment: null,
      refundDeadline: null,
      cancellation: null,
      expiredAt: null,
      refund: null,
    });
    expect(order.total.equals(Money.of(7400, 'EUR'))).toBe(true);
    expect(order.lines.map((line) => line.courseId)).toEqual([ddd.courseId, kafka.courseId]);
    const lines = [ddd, kafka].map((offer) => ({
      courseId: offer.courseId,
      instructorId: offer.instructorId,
      title: offer.title,
      price: offer.price.toJSON(),
    }));
    expect(order.pendingEvents).toEqual([
      {
        type: 'OrderPlaced',
        payload: {
          orderId: id,
          learnerId: learner.userId,
          lines,
          total: { amount: 7400, currency: 'EUR' },
          paymentDeadline: PAYMENT_DEADLINE,
        },
        aggregateType: 'Order',
        aggregateId: id,
        aggregateVersion: 1,
        occurredAt: new Date(PLACED_AT),
      },
    ]);
  });

  it('gives the order the payment window of the terms it is placed under', () => {
    const offer = anOffer();
    const placement = Order.place(
      requestFor(offer),
      { offers: [offer], standing: NO_STANDING, terms: { paymentWindowMs: 2_000, refundWindowMs: 60_000 } },
      aLearner(),
      clock,
    );
    expect(placement.outcome === 'placed' && placement.order.paymentDeadline).toEqual(
      new Date('2026-05-04T10:00:02.000Z'),
    );
  });

  it('answers the order already awaiting payment for exactly these courses instead of a second one', () => {
    const [first, second] = [anOffer(), anOffer()];
    const pendingId = newId<'Order'>();
    const placement = place(requestFor(second, first), {
      offers: [first, second],
      standing: standing({
        pendingOrders: [{ orderId: pendingId, courseIds: [first.courseId, second.courseId] }],
      }),
    });
    expect(placement).toEqual({ outcome: 'already-pending', orderId: pendingId });
  });

  it('answers the pending order even if a price changed since: that order keeps its own prices', () => {
    const offer = anOffer({ price: Money.of(5900, 'EUR') });
    const pendingId = newId<'Order'>();
    const placement = place(
      { courses: [{ courseId: offer.courseId, expectedPrice: Money.of(4900, 'EUR') }] },
      {
        offers: [offer],
        standing: standing({ pendingOrders: [{ orderId: pendingId, courseIds: [offer.courseId] }] }),
      },
    );
    expect(placement).toEqual({ outcome: 'already-pending', orderId: pendingId });
  });

  it.each([
    ['an instructor who is not a learner', { userId: newId<'User'>(), roles: ['instructor'] }],
    ['the checkout', theCheckout],
  ])('refuses %s', async (_label, actor) => {
    const offer = anOffer();
    await expectRejection(
      () => place(requestFor(offer), { offers: [offer] }, actor),
      'only-learners-may-place-orders',
      'PERMISSION_DENIED',
    );
  });

  it('lets an admin who is also a learner buy', () => {
    const offer = anOffer();
    expect(place(requestFor(offer), { offers: [offer] }, anAdmin()).outcome).toBe('placed');
  });

  it('refuses an order for no course', async () => {
    await expectRejection(
      () => place({ courses: [] }, { offers: [] }),
      'order-must-name-a-course',
      'INVALID_ARGUMENT',
    );
  });

  it('refuses an order for more than 20 courses', async () => {
    const offers = Array.from({ length: 21 }, () => anOffer());
    await expectRejection(
      () => place(requestFor(...offers), { offers }),
      'order-cannot-exceed-max-courses',
      'INVALID_ARGUMENT',
    );
  });

  it('refuses a course named twice, pointing at the second mention', async () => {
    const [first, second] = [anOffer(), anOffer()];
    const error = await expectRejection(
      () => place(requestFor(first, second, first), { offers: [first, second] }),
      'order-cannot-name-a-course-twice',
      'INVALID_ARGUMENT',
    );
    expect(error.details).toMatchObject({ field: 'courses.2.courseId', courseId: first.courseId });
  });

  it('refuses a course that was never published', async () => {
    const known = anOffer();
    const unknown = anOffer();
    const error = await expectRejection(
      () => place(requestFor(known, unknown), { offers: [known] }),
      'ordered-course-must-be-on-offer',
      'NOT_FOUND',
    );
    expect(error.details).toMatchObject({ field: 'courses.1.courseId', courseId: unknown.courseId });
  });

  it('refuses a course taken out of the catalog', async () => {
    const offer = anOffer({ published: false });
    await expectRejection(
      () => place(requestFor(offer), { offers: [offer] }),
      'unpublished-course-cannot-be-ordered',
      'RULE_VIOLATION',
    );
  });

  it('refuses a free course: it needs no order', async () => {
    const offer = anOffer({ price: Money.zero('EUR') });
    await expectRejection(
      () => place(requestFor(offer), { offers: [offer] }),
      'free-course-needs-no-order',
      'RULE_VIOLATION',
    );
  });

  it('refuses a course the learner already owns', async () => {
    const offer = anOffer();
    await expectRejection(
      () =>
        place(requestFor(offer), {
          offers: [offer],
          standing: standing({ ownedCourseIds: [offer.courseId] }),
        }),
      'owned-course-cannot-be-ordered-again',
      'CONFLICT',
    );
  });

  it('refuses a course already awaiting payment in another order, naming that order', async () => {
    const [pendingCourse, other] = [anOffer(), anOffer()];
    const pendingId = newId<'Order'>();
    const error = await expectRejection(
      () =>
        place(requestFor(other, pendingCourse), {
          offers: [pendingCourse, other],
          standing: standing({
            pendingOrders: [{ orderId: pendingId, courseIds: [pendingCourse.courseId] }],
          }),
        }),
      'course-awaiting-payment-cannot-be-ordered-again',
      'CONFLICT',
    );
    expect(error.details).toMatchObject({ field: 'courses.1.courseId', pendingOrderId: pendingId });
  });

  it.each([
    ['a changed amount', Money.of(3900, 'EUR')],
    ['another currency', Money.of(4900, 'USD')],
  ])('refuses a price that is not the offer’s (%s), saying both', async (_label, expectedPrice) => {
    const offer = anOffer();
    const error = await expectRejection(
      () => place({ courses: [{ courseId: offer.courseId, expectedPrice }] }, { offers: [offer] }),
      'expected-price-must-match-the-offer',
      'CONFLICT',
    );
    expect(error.details).toEqual({
      field: 'courses.0.expectedPrice',
      courseId: offer.courseId,
      expected: expectedPrice.toJSON(),
      offered: { amount: 4900, currency: 'EUR' },
    });
  });

  it('refuses courses priced in different currencies', async () => {
    const euro = anOffer();
    const dollar = anOffer({ price: Money.of(5500, 'USD') });
    const error = await expectRejection(
      () => place(requestFor(euro, dollar), { offers: [euro, dollar] }),
      'order-lines-must-share-one-currency',
      'RULE_VIOLATION',
    );
    expect(error.details).toEqual({ field: 'courses', currencies: ['EUR', 'USD'] });
  });
});
