import type { Actor, BusinessRule } from '@strata/shared-kernel';
import type { CourseOutline } from './course-outline.ts';
import { LEARNER_ROLE, type EnrollmentStatus } from './enrollment-status.ts';

// The rules of enrolling and learning, each a named thing with a stable code that clients, the
// glossary and tests key on. Granting from a paid order and revoking on its refund come from
// ordering's events, which are facts, not requests: they break no rule, at most they change nothing.

export function onlyLearnersMayEnroll(actor: Actor): BusinessRule {
  return {
    code: 'only-learners-may-enroll',
    message: 'only a user with the learner role may enroll in a course',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId },
    isBroken: () => !actor.roles.includes(LEARNER_ROLE),
  };
}

/** A course that is not in the catalog (never published, or taken out) takes no new learners. */
export function unpublishedCourseCannotBeEnrolledIn(
  outline: CourseOutline | null,
  courseId: string,
): BusinessRule {
  return {
    code: 'unpublished-course-cannot-be-enrolled-in',
    message: 'this course is not in the catalog',
    category: 'NOT_FOUND',
    details: { courseId },
    isBroken: () => outline === null || !outline.published,
  };
}

/** A course with a price is had by paying for it; only a free one is enrolled in directly. */
export function onlyAFreeCourseCanBeEnrolledInDirectly(outline: CourseOutline): BusinessRule {
  return {
    code: 'only-a-free-course-can-be-enrolled-in-directly',
    message: 'this course has a price; buy it to enroll',
    details: { courseId: outline.courseId },
    isBroken: () => !outline.free,
  };
}

export function onlyItsLearnerMayFollowAnEnrollment(
  actor: Actor,
  learnerId: string,
  enrollmentId: string,
): BusinessRule {
  return {
    code: 'only-its-learner-may-follow-an-enrollment',
    message: 'this enrollment is another learner’s',
    category: 'PERMISSION_DENIED',
    details: { actorId: actor.userId, enrollmentId },
    isBroken: () => actor.userId !== learnerId,
  };
}

/**
 * Lessons are for learners who have the course now. A revoked enrollment keeps its progress but
 * opens nothing until the course is granted again; `reason` tells the learner which case it is
 * (`null` status: the learner was never enrolled in the course).
 */
export function lessonsAreOpenOnlyWhileEnrolled(
  status: EnrollmentStatus | null,
  courseId: string,
): BusinessRule {
  const reason = status === 'revoked' ? 'refunded' : 'not-enrolled';
  return {
    code: 'lessons-are-open-only-while-enrolled',
    message:
      reason === 'refunded'
        ? 'your access to this course ended when its order was refunded; your progress is kept'
        : 'you are not enrolled in this course',
    category: 'PERMISSION_DENIED',
    details: { courseId, reason },
    isBroken: () => status !== 'active',
  };
}

export function completedLessonMustBeInTheOutline(outline: CourseOutline, lessonId: string): BusinessRule {
  return {
    code: 'completed-lesson-must-be-in-the-outline',
    message: 'this lesson is not part of the course',
    category: 'NOT_FOUND',
    details: { field: 'lessonId', courseId: outline.courseId, lessonId },
    isBroken: () => !outline.lessonIds.includes(lessonId),
  };
}

/** A caller that hands over another course's outline has a bug: progress is measured against the wrong lessons. */
export function outlineMustBeOfTheEnrolledCourse(outline: CourseOutline, courseId: string): BusinessRule {
  return {
    code: 'outline-must-be-of-the-enrolled-course',
    message: `the outline given is of course ${outline.courseId}, the enrollment is in course ${courseId}`,
    category: 'INVALID_ARGUMENT',
    details: { courseId, outlineCourseId: outline.courseId },
    isBroken: () => outline.courseId !== courseId,
  };
}
