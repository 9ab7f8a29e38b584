import type { Actor, BusinessRule, Money } from '@strata/shared-kernel';
import { MAX_COURSES_PER_ORDER } from './order-events.ts';
import type { Offer } from './offer.ts';
import type { PendingOrder } from './learner-standing.ts';

// The rules of placing an order. Each names the requested course by its place in the request
// (`courses.2.courseId`), so a client can point at the line it must fix.

const at = (index: number, field: string): string => `courses.${index}.${field}`;

export function onlyLearnersMayPlaceOrders(actor: Actor): BusinessRule {
  return {
    code: 'only-learners-may-place-orders',
    message: 'only a user with the learner role may place an order',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId },
    isBroken: () => !actor.roles.includes('learner'),
  };
}

export function orderMustNameACourse(courseCount: number): BusinessRule {
  return {
    code: 'order-must-name-a-course',
    message: 'an order is for at least one course',
    category: 'INVALID_ARGUMENT',
    details: { field: 'courses' },
    isBroken: () => courseCount === 0,
  };
}

export function orderCannotExceedMaxCourses(courseCount: number): BusinessRule {
  return {
    code: 'order-cannot-exceed-max-courses',
    message: `an order is for at most ${MAX_COURSES_PER_ORDER} courses; got ${courseCount}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'courses', maxCourses: MAX_COURSES_PER_ORDER },
    isBroken: () => courseCount > MAX_COURSES_PER_ORDER,
  };
}

export function orderCannotNameACourseTwice(
  courseId: string,
  firstIndex: number,
  index: number,
): BusinessRule {
  return {
    code: 'order-cannot-name-a-course-twice',
    message: `course ${courseId} is named at courses.${firstIndex} already`,
    category: 'INVALID_ARGUMENT',
    details: { field: at(index, 'courseId'), courseId },
    isBroken: () => firstIndex !== index,
  };
}

export function orderedCourseMustBeOnOffer(
  offer: Offer | undefined,
  courseId: string,
  index: number,
): BusinessRule {
  return {
    code: 'ordered-course-must-be-on-offer',
    message: `course ${courseId} is not for sale: no such course was ever published`,
    category: 'NOT_FOUND',
    details: { field: at(index, 'courseId'), courseId },
    isBroken: () => offer === undefined,
  };
}

export function unpublishedCourseCannotBeOrdered(offer: Offer, index: number): BusinessRule {
  return {
    code: 'unpublished-course-cannot-be-ordered',
    message: `course ${offer.courseId} is no longer in the catalog`,
    details: { field: at(index, 'courseId'), courseId: offer.courseId },
    isBroken: () => !offer.published,
  };
}

/** Free courses are enrolled in directly; an order is for paying. */
export function freeCourseNeedsNoOrder(offer: Offer, index: number): BusinessRule {
  return {
    code: 'free-course-needs-no-order',
    message: `course ${offer.courseId} is free; enroll in it without an order`,
    details: { field: at(index, 'courseId'), courseId: offer.courseId },
    isBroken: () => offer.price.isZero(),
  };
}

export function ownedCourseCannotBeOrderedAgain(
  courseId: string,
  ownedCourseIds: readonly string[],
  index: number,
): BusinessRule {
  return {
    code: 'owned-course-cannot-be-ordered-again',
    message: `you already own course ${courseId}`,
    category: 'CONFLICT',
    details: { field: at(index, 'courseId'), courseId },
    isBroken: () => ownedCourseIds.includes(courseId),
  };
}

/** A course may be awaiting payment in one order only; pay or cancel that one first. */
export function courseAwaitingPaymentCannotBeOrderedAgain(
  courseId: string,
  pendingOrder: PendingOrder | undefined,
  index: number,
): BusinessRule {
  return {
    code: 'course-awaiting-payment-cannot-be-ordered-again',
    message: `course ${courseId} is in your order ${pendingOrder?.orderId}, which awaits payment; pay or cancel it first`,
    category: 'CONFLICT',
    details: { field: at(index, 'courseId'), courseId, pendingOrderId: pendingOrder?.orderId },
    isBroken: () => pendingOrder !== undefined,
  };
}

/** The learner agrees to the price they were shown; if it changed since, they must see the new one. */
export function expectedPriceMustMatchTheOffer(expected: Money, offer: Offer, index: number): BusinessRule {
  return {
    code: 'expected-price-must-match-the-offer',
    message: `the price of course ${offer.courseId} is now ${offer.price.amount} ${offer.price.currency} (minor units), not ${expected.amount} ${expected.currency}`,
    category: 'CONFLICT',
    details: {
      field: at(index, 'expectedPrice'),
      courseId: offer.courseId,
      expected: expected.toJSON(),
      offered: offer.price.toJSON(),
    },
    isBroken: () => !expected.equals(offer.price),
  };
}

/** One payment is in one currency, so one order is too; order the others separately. */
export function orderLinesMustShareOneCurrency(prices: readonly Money[]): BusinessRule {
  const currencies = [...new Set(prices.map((price) => price.currency))];
  return {
    code: 'order-lines-must-share-one-currency',
    message: `one order is paid in one currency; these courses are priced in ${currencies.join(', ')}`,
    details: { field: 'courses', currencies },
    isBroken: () => currencies.length > 1,
  };
}
