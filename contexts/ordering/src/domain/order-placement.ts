import { checkRule, type Money } from '@strata/shared-kernel';
import type { OrderId } from './order-id.ts';
import type { OrderSnapshot } from './order-snapshot.ts';
import type { OrderTerms } from './order-terms.ts';
import type { LearnerStanding } from './learner-standing.ts';
import type { Offer } from './offer.ts';
import type { OrderLine } from './order-line.ts';
import {
  courseAwaitingPaymentCannotBeOrderedAgain,
  expectedPriceMustMatchTheOffer,
  freeCourseNeedsNoOrder,
  orderCannotExceedMaxCourses,
  orderCannotNameACourseTwice,
  orderedCourseMustBeOnOffer,
  orderLinesMustShareOneCurrency,
  orderMustNameACourse,
  ownedCourseCannotBeOrderedAgain,
  unpublishedCourseCannotBeOrdered,
} from './placement-rules.ts';

/** One course a learner asks for, with the price they were shown for it. */
export interface RequestedCourse {
  readonly courseId: string;
  readonly expectedPrice: Money;
}

/** What placing an order looks at besides the request: the offers and what the learner already has. */
export interface PlacementContext {
  /** The offers of the requested courses (others may be there too). */
  readonly offers: readonly Offer[];
  readonly standing: LearnerStanding;
}

/** Either the lines of a new order, or the order already awaiting payment for exactly these courses. */
export type LinesOrPending =
  | { readonly kind: 'lines'; readonly lines: readonly OrderLine[] }
  | { readonly kind: 'already-pending'; readonly orderId: string };

/**
 * Decides what placing an order for `courses` makes: a request for exactly the courses of an order
 * already awaiting payment answers that order (placing twice makes one order); anything else is
 * checked course by course, in the order requested, and becomes lines at the offered prices.
 */
export function linesFor(courses: readonly RequestedCourse[], context: PlacementContext): LinesOrPending {
  checkRule(orderMustNameACourse(courses.length));
  checkRule(orderCannotExceedMaxCourses(courses.length));
  const courseIds = courses.map((course) => course.courseId);
  courseIds.forEach((courseId, index) =>
    checkRule(orderCannotNameACourseTwice(courseId, courseIds.indexOf(courseId), index)),
  );
  const { standing } = context;
  const samePending = standing.pendingOrders.find(
    (pending) =>
      pending.courseIds.length === courseIds.length &&
      courseIds.every((courseId) => pending.courseIds.includes(courseId)),
  );
  if (samePending !== undefined) return { kind: 'already-pending', orderId: samePending.orderId };

  const lines = courses.map(({ courseId, expectedPrice }, index): OrderLine => {
    const offer = context.offers.find((candidate) => candidate.courseId === courseId);
    checkRule(orderedCourseMustBeOnOffer(offer, courseId, index));
    const known = offer as Offer;
    checkRule(unpublishedCourseCannotBeOrdered(known, index));
    checkRule(freeCourseNeedsNoOrder(known, index));
    checkRule(ownedCourseCannotBeOrderedAgain(courseId, standing.ownedCourseIds, index));
    const pending = standing.pendingOrders.find((order) => order.courseIds.includes(courseId));
    checkRule(courseAwaitingPaymentCannotBeOrderedAgain(courseId, pending, index));
    checkRule(expectedPriceMustMatchTheOffer(expectedPrice, known, index));
    return { courseId, instructorId: known.instructorId, title: known.title, price: known.price };
  });
  checkRule(orderLinesMustShareOneCurrency(lines.map((line) => line.price)));
  return { kind: 'lines', lines };
}

/** A new order awaiting payment, its deadline set by the terms it is placed under. */
export function newOrder(
  id: OrderId,
  learnerId: string,
  lines: readonly OrderLine[],
  terms: OrderTerms,
  placedAt: Date,
): OrderSnapshot {
  return {
    id,
    version: 0,
    learnerId,
    lines,
    status: 'pending-payment',
    placedAt,
    paymentDeadline: new Date(placedAt.getTime() + terms.paymentWindowMs),
    refundWindowMs: terms.refundWindowMs,
    payment: null,
    cancellation: null,
    expiredAt: null,
    refund: null,
  };
}
