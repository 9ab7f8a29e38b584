import type { BusinessRule, Money } from '@strata/shared-kernel';
import type { Actor } from '@strata/shared-kernel';
import type { CourseStatus } from './course-status.ts';

// The catalog's business rules, each a named thing with a stable code that clients, the glossary
// and tests key on. The Course applies them; they hold no state of their own.

export const MAX_LESSONS_PER_COURSE = 200;
/** 1,000,000.00 in minor units: above this a price is a typo or an attempt to break arithmetic. */
export const MAX_PRICE_IN_MINOR_UNITS = 100_000_000;

export function onlyInstructorsMayDraftAndEditCourses(actor: Actor): BusinessRule {
  return {
    code: 'only-instructors-may-draft-and-edit-courses',
    message: 'only a user with the instructor role may draft or change a course',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId },
    isBroken: () => !actor.roles.includes('instructor'),
  };
}

export function onlyTheCourseOwnerMayChangeIt(
  actor: Actor,
  instructorId: string,
  courseId: string,
): BusinessRule {
  return {
    code: 'only-the-course-owner-may-change-it',
    message: 'only the instructor who drafted this course may change it',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId, courseId },
    isBroken: () => actor.userId !== instructorId,
  };
}

export function archivedCourseCannotBeChanged(status: CourseStatus, courseId: string): BusinessRule {
  return {
    code: 'archived-course-cannot-be-changed',
    message: 'this course is archived; archiving is final, so draft a new course instead',
    details: { courseId },
    isBroken: () => status === 'archived',
  };
}

export function courseWithoutLessonsCannotBePublished(lessonCount: number, courseId: string): BusinessRule {
  return {
    code: 'course-without-lessons-cannot-be-published',
    message: 'a course needs at least one lesson before it can be published',
    details: { courseId, lessonCount },
    isBroken: () => lessonCount === 0,
  };
}

export function courseWithoutPriceCannotBePublished(price: Money | null, courseId: string): BusinessRule {
  return {
    code: 'course-without-price-cannot-be-published',
    message: 'a course needs a price (zero for a free course) before it can be published',
    details: { courseId },
    isBroken: () => price === null,
  };
}

export function publishedCourseMustKeepALesson(
  status: CourseStatus,
  lessonCount: number,
  courseId: string,
): BusinessRule {
  return {
    code: 'published-course-must-keep-a-lesson',
    message: 'the last lesson of a published course cannot be removed; unpublish the course first',
    details: { courseId },
    isBroken: () => status === 'published' && lessonCount <= 1,
  };
}

export function courseCannotExceedMaxLessons(lessonCount: number, courseId: string): BusinessRule {
  return {
    code: 'course-cannot-exceed-max-lessons',
    message: `a course holds at most ${MAX_LESSONS_PER_COURSE} lessons; split it into several courses`,
    details: { courseId, maxLessons: MAX_LESSONS_PER_COURSE },
    isBroken: () => lessonCount >= MAX_LESSONS_PER_COURSE,
  };
}

export function coursePriceCannotBeNegative(price: Money): BusinessRule {
  return {
    code: 'course-price-cannot-be-negative',
    message: `a price cannot be negative; got ${price.amount} minor units`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'price.amount', amount: price.amount },
    isBroken: () => price.isNegative(),
  };
}

export function coursePriceCannotExceedMaximum(price: Money): BusinessRule {
  return {
    code: 'course-price-cannot-exceed-maximum',
    message: `a price may be at most ${MAX_PRICE_IN_MINOR_UNITS} minor units; got ${price.amount}`,
    category: 'INVALID_ARGUMENT',
    details: { field: 'price.amount', amount: price.amount, maxAmount: MAX_PRICE_IN_MINOR_UNITS },
    isBroken: () => price.amount > MAX_PRICE_IN_MINOR_UNITS,
  };
}

/**
 * Learners have bought, and orders refer to, the price in the currency the course was first
 * published in; switching currency afterwards would make sales incomparable. Before the first
 * publication a mistaken currency can still be fixed.
 */
export function courseCurrencyIsFixedOncePublished(
  current: Money | null,
  next: Money,
  everPublished: boolean,
  courseId: string,
): BusinessRule {
  return {
    code: 'course-currency-is-fixed-once-published',
    message: `this course has been published in ${current?.currency}; its price cannot change to ${next.currency}`,
    details: { field: 'price.currency', courseId, currency: current?.currency, requested: next.currency },
    isBroken: () => everPublished && current !== null && current.currency !== next.currency,
  };
}
