import { FixedClock, Money, newId, type Actor } from '@strata/shared-kernel';
import {
  CHECKOUT_ACTOR,
  NO_STANDING,
  Order,
  type LearnerStanding,
  type Offer,
  type OrderTerms,
  type RequestedCourse,
} from '@strata/ordering';

export const PLACED_AT = '2026-05-04T10:00:00.000Z';
/** PLACED_AT plus the default 30-minute payment window. */
export const PAYMENT_DEADLINE = '2026-05-04T10:30:00.000Z';
export const PAID_AT = '2026-05-04T10:12:00.000Z';
/** PAID_AT plus the default 14-day refund window. */
export const REFUND_DEADLINE = '2026-05-18T10:12:00.000Z';

export function aLearner(userId: string = newId<'User'>()): Actor {
  return { userId, roles: ['learner'] };
}

export function anAdmin(): Actor {
  return { userId: newId<'User'>(), roles: ['learner', 'admin'] };
}

export const theCheckout = CHECKOUT_ACTOR;

export function anOffer(overrides: Partial<Offer> = {}): Offer {
  return {
    courseId: newId<'Course'>(),
    instructorId: newId<'User'>(),
    title: 'Domain-Driven Design in TypeScript',
    price: Money.of(4900, 'EUR'),
    published: true,
    ...overrides,
  };
}

/** Asks for each offer at the price it is offered at. */
export function requestFor(...offers: Offer[]): { courses: RequestedCourse[] } {
  return { courses: offers.map((offer) => ({ courseId: offer.courseId, expectedPrice: offer.price })) };
}

export function standing(overrides: Partial<LearnerStanding> = {}): LearnerStanding {
  return { ...NO_STANDING, ...overrides };
}

/** A saved order awaiting payment for `offers` (one 49 EUR course by default). */
export function aPendingOrder(
  learner: Actor = aLearner(),
  offers: Offer[] = [anOffer()],
  terms?: OrderTerms,
): Order {
  const placement = Order.place(
    requestFor(...offers),
    { offers, standing: NO_STANDING, ...(terms ? { terms } : {}) },
    learner,
    new FixedClock(PLACED_AT),
  );
  if (placement.outcome !== 'placed') throw new Error('the mother expected a new order');
  placement.order.markSaved();
  return placement.order;
}

export const PAYMENT_ID = 'pay_1Nq8c2';

export function aPaidOrder(learner: Actor = aLearner(), offers: Offer[] = [anOffer()]): Order {
  const order = aPendingOrder(learner, offers);
  order.confirmPayment(
    { paymentId: PAYMENT_ID, amount: order.total, paidAt: new Date(PAID_AT) },
    theCheckout,
    new FixedClock(PAID_AT),
  );
  order.markSaved();
  return order;
}

export function aRefundRequestedOrder(learner: Actor = aLearner()): Order {
  const order = aPaidOrder(learner);
  order.requestRefund(
    { reason: 'learner-request', certifiedCourseIds: [] },
    learner,
    new FixedClock(PAID_AT),
  );
  order.markSaved();
  return order;
}

export function ownerOf(order: Order): Actor {
  return aLearner(order.learnerId);
}

export const DURING_PAYMENT = '2026-05-04T10:05:00.000Z';
export const AFTER_DEADLINE = '2026-05-04T10:30:00.001Z';
export const clockAt = (at: string) => new FixedClock(at);

/** The events an order recorded since it was last saved, without the envelope. */
export function eventsOf(order: Order): { type: string; payload: unknown }[] {
  return order.pendingEvents.map(({ type, payload }) => ({ type, payload }));
}

/** The provider's report of a payment of exactly the order's total. */
export function paymentOf(order: Order, paymentId = PAYMENT_ID) {
  return { paymentId, amount: order.total, paidAt: new Date(PAID_AT) };
}

/** The order's lines as events carry them. */
export function linesOf(order: Order) {
  return order.lines.map((line) => ({ ...line, price: line.price.toJSON() }));
}
