import {
  checkLessonsAreOpen,
  Enrollment,
  maySeeLearningOf,
  maySeeStatsOf,
  toCertificateVerification,
  toCertificateView,
  toEnrollmentView,
  type Certificate,
  type CourseOutline,
  type LearningQueries,
} from '@strata/learning';
import type { learningContract } from '@strata/learning/contract';
import { actorOf, type CallContext, type ContractImplementation } from '@strata/rpc';
import { DomainError } from '@strata/shared-kernel';

/** Who may read what is the context's decision (maySeeLearningOf, maySeeStatsOf); the finders enforce it. */
function mayRead(allowed: boolean, context: CallContext, whose: 'learner' | 'instructor'): void {
  if (allowed) return;
  throw DomainError.permissionDenied(
    'learning-is-its-owners-to-see',
    `${context.method}: only the ${whose} themselves (or an admin) may see these`,
  );
}

/**
 * A course learning has not heard of yet (its enrollment came from an order before the catalog's
 * events): no lessons, so every lesson is refused as not in the outline until the outline arrives.
 */
const unknownOutline = (courseId: string): CourseOutline => ({
  courseId,
  lessonIds: [],
  published: false,
  free: false,
});

/**
 * The learning contract served by the Enrollment and Certificate aggregates: each handler is one
 * domain method, with the caller as the domain's actor and the outline from learning's own
 * projection. Enrolling in a free course one already has finds that enrollment (loaded as stored)
 * and enrolls again in it. Granting and revoking are not here: they are ordering's events
 * (ordering-subscription.ts); issuing a certificate is learning's own (completion-subscription.ts).
 */
export function learningImplementation(
  queries: LearningQueries,
): ContractImplementation<typeof learningContract, { Enrollment: Enrollment; Certificate: Certificate }> {
  return {
    Enrollment: {
      aggregateType: 'Enrollment',
      toView: toEnrollmentView,
      creations: {
        enrollInFreeCourse: async (input, context, existing) => {
          const actor = actorOf(context);
          const outline = await queries.outlineOf(input.courseId);
          const found = await queries.enrollmentOf(actor.userId, input.courseId);
          if (found === null)
            return Enrollment.enrollInFreeCourse(input.courseId, outline, actor, context.clock);
          const enrollment = await existing.load(found.id);
          enrollment.enrollAgainInFreeCourse(outline, actor, context.clock);
          return enrollment;
        },
      },
      commands: {
        completeLesson: async (enrollment, input, context) => {
          const outline =
            (await queries.outlineOf(enrollment.courseId)) ?? unknownOutline(enrollment.courseId);
          enrollment.completeLesson(input.lessonId, outline, actorOf(context), context.clock);
        },
      },
      queries: {
        findByLearner: (input, _scope, context) => {
          mayRead(maySeeLearningOf(context.caller, input.learnerId), context, 'learner');
          return queries.coursesOfLearner(input);
        },
        checkLessonAccess: async (input, _scope, context) => {
          const actor = actorOf(context);
          const enrollment = await queries.enrollmentOf(actor.userId, input.courseId);
          checkLessonsAreOpen(enrollment, input.courseId, actor);
          return { items: [toEnrollmentView(enrollment!)], nextCursor: null };
        },
        findStatsOfInstructor: (input, _scope, context) => {
          mayRead(maySeeStatsOf(context.caller, input.instructorId), context, 'instructor');
          return queries.statsOfInstructor(input);
        },
      },
    },
    Certificate: {
      aggregateType: 'Certificate',
      toView: toCertificateView,
      queries: {
        findByLearner: (input, _scope, context) => {
          mayRead(maySeeLearningOf(context.caller, input.learnerId), context, 'learner');
          return queries.certificatesOfLearner(input);
        },
        // Public: anyone holding the id may check it; the call needs no signed-in caller.
        verify: (certificate) => toCertificateVerification(certificate),
      },
    },
  };
}
