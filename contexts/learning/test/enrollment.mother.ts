import { FixedClock, newId, type Actor } from '@strata/shared-kernel';
import { Enrollment, type CourseOutline, type OrderFacts } from '@strata/learning';

export const GRANTED_AT = '2026-05-04T10:00:00.000Z';
export const LATER = '2026-05-05T09:00:00.000Z';
export const clockAt = (at: string) => new FixedClock(at);

export function aLearner(userId: string = newId<'User'>()): Actor {
  return { userId, roles: ['learner'] };
}

/** A published course of three lessons; free when asked. */
export function anOutline(overrides: Partial<CourseOutline> = {}): CourseOutline {
  return {
    courseId: newId<'Course'>(),
    lessonIds: [newId<'Lesson'>(), newId<'Lesson'>(), newId<'Lesson'>()],
    published: true,
    free: false,
    ...overrides,
  };
}

export function paidOrder(
  learner: Actor,
  outline: CourseOutline,
  orderId: string = newId<'Order'>(),
): OrderFacts {
  return { learnerId: learner.userId, courseId: outline.courseId, orderId };
}

/** A saved enrollment granted by a paid order. */
export function anEnrollmentFromOrder(
  learner: Actor = aLearner(),
  outline: CourseOutline = anOutline(),
  orderId: string = newId<'Order'>(),
): Enrollment {
  const enrollment = Enrollment.grantFromOrder(paidOrder(learner, outline, orderId), clockAt(GRANTED_AT));
  enrollment.markSaved();
  return enrollment;
}

/** A saved enrollment whose order was refunded: revoked, progress kept. */
export function aRevokedEnrollment(
  learner: Actor = aLearner(),
  outline: CourseOutline = anOutline(),
): Enrollment {
  const orderId = newId<'Order'>();
  const enrollment = anEnrollmentFromOrder(learner, outline, orderId);
  enrollment.revokeForRefund(orderId, clockAt(LATER));
  enrollment.markSaved();
  return enrollment;
}

/** Completes `lessonIds` in order and saves. */
export function withLessonsDone(
  enrollment: Enrollment,
  outline: CourseOutline,
  lessonIds: readonly string[],
): Enrollment {
  for (const lessonId of lessonIds) {
    enrollment.completeLesson(lessonId, outline, aLearner(enrollment.learnerId), clockAt(LATER));
  }
  enrollment.markSaved();
  return enrollment;
}

/** The events an aggregate recorded since it was last saved, without the envelope. */
export function eventsOf(aggregate: { pendingEvents: readonly { type: string; payload: unknown }[] }) {
  return aggregate.pendingEvents.map(({ type, payload }) => ({ type, payload }));
}

export function typesOf(aggregate: { pendingEvents: readonly { type: string }[] }): string[] {
  return aggregate.pendingEvents.map(({ type }) => type);
}
