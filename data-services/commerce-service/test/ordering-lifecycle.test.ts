import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHECKOUT_ACTOR } from '@strata/ordering';
import { refusal } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import {
  CommerceWorld,
  eur,
  instructorCaller,
  learnerCaller,
  type Caller,
  type Storage,
} from './commerce-world.ts';

// The checkout asks this provider for a payment for every order placed.
const simulator = usePaymentSimulator();

const checkout: Caller = { userId: CHECKOUT_ACTOR.userId, roles: [...CHECKOUT_ACTOR.roles] };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each<Storage>(['MariaDB', 'SQLite'])(
  'an order from payment to refund on commerce-service (%s)',
  (storage) => {
    const world = new CommerceWorld(simulator);
    const instructor = instructorCaller();
    let course: string;

    beforeAll(async () => {
      await world.start(storage);
      course = await world.publishedCourse(eur(2500), instructor, 'Event sourcing');
    });
    afterAll(() => world.stop());

    async function pendingOrder(learner: Caller, courseId = course, price = eur(2500)): Promise<string> {
      const placement = await world.ordering.Order.place(
        { courses: [{ courseId, expectedPrice: price }] },
        { caller: learner },
      );
      return placement.order.id;
    }

    async function paidOrder(learner: Caller, courseId = course, price = eur(2500)) {
      const orderId = await pendingOrder(learner, courseId, price);
      const paymentId = `pay-${newId()}`;
      const paid = await world.ordering.Order.confirmPayment(
        orderId,
        { paymentId, amount: price, paidAt: world.clock.now().toISOString() },
        { caller: checkout },
      );
      return { orderId, paymentId, paid };
    }

    it('lets its learner cancel a pending order, and no one else', async () => {
      const learner = learnerCaller();
      const orderId = await pendingOrder(learner);

      expect(
        await refusal(world.ordering.Order.cancel(orderId, {}, { caller: learnerCaller() })),
      ).toMatchObject({
        code: 'PERMISSION_DENIED',
        reason: 'only-its-learner-may-cancel-or-refund-an-order',
      });
      const cancelled = await world.ordering.Order.cancel(orderId, {}, { caller: learner });

      expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { reason: 'learner-cancelled' } });
      expect(await world.outboxOf(orderId)).toEqual(['OrderPlaced', 'OrderCancelled']);
    });

    it('expires an order only once its payment deadline has passed', async () => {
      const learner = learnerCaller();
      const orderId = await pendingOrder(learner);

      expect(await refusal(world.ordering.Order.expire(orderId, {}, { caller: checkout }))).toMatchObject({
        code: 'RULE_VIOLATION',
        reason: 'order-cannot-expire-before-its-payment-deadline',
      });
      world.clock.advance(30 * MINUTE);
      const expired = await world.ordering.Order.expire(orderId, {}, { caller: checkout });
      await world.ordering.Order.expire(orderId, {}, { caller: checkout });

      expect(expired).toMatchObject({ status: 'expired', expiredAt: world.clock.now().toISOString() });
      expect(await world.outboxOf(orderId)).toEqual(['OrderPlaced', 'OrderExpired']);
    });

    it('is paid by the checkout alone, and records OrderPaid once however often the payment is reported', async () => {
      const learner = learnerCaller();
      const orderId = await pendingOrder(learner);
      const report = {
        paymentId: `pay-${newId()}`,
        amount: eur(2500),
        paidAt: world.clock.now().toISOString(),
      };

      expect(
        await refusal(world.ordering.Order.confirmPayment(orderId, report, { caller: learner })),
      ).toMatchObject({
        code: 'PERMISSION_DENIED',
        reason: 'only-the-checkout-may-report-payments-and-refunds',
      });
      const key = `confirm-${newId()}`;
      const paid = await world.ordering.Order.confirmPayment(orderId, report, {
        caller: checkout,
        idempotencyKey: key,
      });
      const retried = await world.ordering.Order.confirmPayment(orderId, report, {
        caller: checkout,
        idempotencyKey: key,
      });
      await world.ordering.Order.confirmPayment(orderId, report, { caller: checkout });

      expect(paid).toMatchObject({ status: 'paid', payment: { paymentId: report.paymentId } });
      expect(retried).toEqual(paid);
      expect(await world.outboxOf(orderId)).toEqual(['OrderPlaced', 'OrderPaid']);
      expect(
        (await world.ordering.Order.findByPayment({ paymentId: report.paymentId }, { caller: checkout }))
          .items,
      ).toEqual([paid]);
      expect(
        await refusal(
          world.ordering.Order.confirmPayment(
            orderId,
            { ...report, paymentId: `pay-${newId()}` },
            { caller: checkout },
          ),
        ),
      ).toMatchObject({ code: 'CONFLICT', reason: 'order-cannot-be-paid-twice' });
    });

    it('is refunded when its learner asks within the refund window', async () => {
      const learner = learnerCaller();
      const { orderId } = await paidOrder(learner);
      world.clock.advance(13 * DAY);

      const requested = await world.ordering.Order.requestRefund(orderId, {}, { caller: learner });
      const refunded = await world.ordering.Order.confirmRefund(
        orderId,
        { refundId: `refund-${newId()}`, refundedAt: world.clock.now().toISOString() },
        { caller: checkout },
      );

      expect(requested).toMatchObject({ status: 'refund-requested', refund: { reason: 'learner-request' } });
      expect(refunded.status).toBe('refunded');
      expect(await world.outboxOf(orderId)).toEqual([
        'OrderPlaced',
        'OrderPaid',
        'RefundRequested',
        'OrderRefunded',
      ]);
    });

    it('refuses a refund after the window, and once the learner holds a certificate for its course', async () => {
      const late = learnerCaller();
      const certified = learnerCaller();
      const { orderId: lateOrder } = await paidOrder(late);
      const { orderId: certifiedOrder } = await paidOrder(certified);
      await world.issueCertificate(certified.userId, course);

      expect(
        await refusal(world.ordering.Order.requestRefund(certifiedOrder, {}, { caller: certified })),
      ).toMatchObject({
        code: 'RULE_VIOLATION',
        reason: 'order-cannot-be-refunded-once-a-certificate-is-issued',
      });
      world.clock.advance(14 * DAY + 1);
      expect(
        await refusal(world.ordering.Order.requestRefund(lateOrder, {}, { caller: late })),
      ).toMatchObject({
        code: 'RULE_VIOLATION',
        reason: 'order-cannot-be-refunded-after-its-window',
      });
      expect(await world.outboxOf(certifiedOrder)).toEqual(['OrderPlaced', 'OrderPaid']);
    });

    it("shows an instructor their sales per course, and no one else's", async () => {
      const seller = instructorCaller();
      const first = await world.publishedCourse(eur(1000), seller, 'Course one');
      const second = await world.publishedCourse(eur(3000), seller, 'Course two');
      await paidOrder(learnerCaller(), first, eur(1000));
      await paidOrder(learnerCaller(), first, eur(1000));
      const refunded = learnerCaller();
      const { orderId } = await paidOrder(refunded, second, eur(3000));
      await world.ordering.Order.requestRefund(orderId, {}, { caller: refunded });
      await world.ordering.Order.confirmRefund(
        orderId,
        { refundId: `refund-${newId()}`, refundedAt: world.clock.now().toISOString() },
        { caller: checkout },
      );
      await pendingOrder(learnerCaller(), second, eur(3000));

      const firstPage = await world.ordering.Order.findSalesOfInstructor(
        { instructorId: seller.userId, limit: 1 },
        { caller: seller },
      );
      const secondPage = await world.ordering.Order.findSalesOfInstructor(
        { instructorId: seller.userId, limit: 1, cursor: firstPage.nextCursor ?? undefined },
        { caller: seller },
      );

      const sales = [...firstPage.items, ...secondPage.items].sort((a, b) => (a.title < b.title ? -1 : 1));
      expect(sales).toEqual([
        { courseId: first, title: 'Course one', paidOrders: 2, refundedOrders: 0, revenue: eur(2000) },
        { courseId: second, title: 'Course two', paidOrders: 1, refundedOrders: 1, revenue: eur(0) },
      ]);
      expect(secondPage.nextCursor).toBeNull();
      expect(
        await refusal(
          world.ordering.Order.findSalesOfInstructor({ instructorId: seller.userId }, { caller: instructor }),
        ),
      ).toMatchObject({ code: 'PERMISSION_DENIED' });
    });

    it("pages a learner's orders newest first, for that learner alone", async () => {
      const learner = learnerCaller();
      const courses = [
        await world.publishedCourse(eur(100), instructor, 'Paged one'),
        await world.publishedCourse(eur(200), instructor, 'Paged two'),
        await world.publishedCourse(eur(300), instructor, 'Paged three'),
      ];
      const ids = [];
      for (const [index, courseId] of courses.entries())
        ids.push(await pendingOrder(learner, courseId, eur((index + 1) * 100)));

      const page = await world.ordering.Order.findByLearner(
        { learnerId: learner.userId, limit: 2 },
        { caller: learner },
      );
      const rest = await world.ordering.Order.findByLearner(
        { learnerId: learner.userId, limit: 2, cursor: page.nextCursor ?? undefined },
        { caller: learner },
      );

      expect([...page.items, ...rest.items].map((order) => order.id)).toEqual([...ids].reverse());
      expect(rest.nextCursor).toBeNull();
      expect(
        await refusal(
          world.ordering.Order.findByLearner({ learnerId: learner.userId }, { caller: learnerCaller() }),
        ),
      ).toMatchObject({ code: 'PERMISSION_DENIED' });
    });
  },
);
