import { describe, expect, it } from '@jest/globals';
import { DomainError, newId } from '@strata/shared-kernel';
import { checkLessonsAreOpen, Enrollment } from '@strata/learning';
import {
  aLearner,
  anEnrollmentFromOrder,
  anOutline,
  aRevokedEnrollment,
  clockAt,
  eventsOf,
  GRANTED_AT,
  LATER,
  paidOrder,
  typesOf,
  withLessonsDone,
} from './enrollment.mother.ts';

function refusal(act: () => void): { code: string; category: string; details: unknown } {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError)
      return { code: error.code, category: error.category, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('granting an enrollment from a paid order', () => {
  it('opens an active enrollment whose source is the order, and announces it', () => {
    const learner = aLearner();
    const outline = anOutline();
    const orderId = newId<'Order'>();
    const enrollment = Enrollment.grantFromOrder(paidOrder(learner, outline, orderId), clockAt(GRANTED_AT));
    expect(enrollment.status).toBe('active');
    expect(enrollment.source).toEqual({ kind: 'order', orderId });
    expect(enrollment.grantedAt).toEqual(new Date(GRANTED_AT));
    expect(eventsOf(enrollment)).toEqual([
      {
        type: 'EnrollmentGranted',
        payload: {
          enrollmentId: enrollment.id,
          learnerId: learner.userId,
          courseId: outline.courseId,
          source: { kind: 'order', orderId },
        },
      },
    ]);
  });

  it('changes nothing when the enrollment is already active: the same OrderPaid twice grants once', () => {
    const orderId = newId<'Order'>();
    const enrollment = anEnrollmentFromOrder(aLearner(), anOutline(), orderId);
    const before = enrollment.toSnapshot();
    enrollment.grantAgainFromOrder(orderId, clockAt(LATER));
    expect(enrollment.toSnapshot()).toEqual(before);
    // A second order's payment grants nothing new either; it is only remembered as paid.
    const secondOrder = newId<'Order'>();
    enrollment.grantAgainFromOrder(secondOrder, clockAt(LATER));
    expect(enrollment.pendingEvents).toEqual([]);
    expect(enrollment.toSnapshot()).toEqual({ ...before, paidOrderIds: [orderId, secondOrder] });
  });

  it('restores a revoked enrollment on a later purchase: same enrollment, progress intact', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = withLessonsDone(anEnrollmentFromOrder(learner, outline), outline, [
      outline.lessonIds[0]!,
    ]);
    const firstOrder = (enrollment.source as { orderId: string }).orderId;
    enrollment.revokeForRefund(firstOrder, clockAt(LATER));
    enrollment.markSaved();
    const secondOrder = newId<'Order'>();
    enrollment.grantAgainFromOrder(secondOrder, clockAt('2026-06-01T00:00:00.000Z'));
    expect(enrollment.status).toBe('active');
    expect(enrollment.source).toEqual({ kind: 'order', orderId: secondOrder });
    expect(enrollment.revokedAt).toBeNull();
    expect(enrollment.completedLessonIds).toEqual([outline.lessonIds[0]]);
    expect(typesOf(enrollment)).toEqual(['EnrollmentGranted']);
  });

  it('never grants from an order already refunded, however late its payment arrives', () => {
    const orderId = newId<'Order'>();
    const enrollment = anEnrollmentFromOrder(aLearner(), anOutline(), orderId);
    enrollment.revokeForRefund(orderId, clockAt(LATER));
    enrollment.markSaved();
    enrollment.grantAgainFromOrder(orderId, clockAt(LATER));
    expect(enrollment.status).toBe('revoked');
    expect(enrollment.pendingEvents).toEqual([]);
  });
});

describe('revoking on a refund', () => {
  it('ends access when the refunded order is the enrollment’s source, keeping progress', () => {
    const learner = aLearner();
    const outline = anOutline();
    const orderId = newId<'Order'>();
    const enrollment = withLessonsDone(anEnrollmentFromOrder(learner, outline, orderId), outline, [
      outline.lessonIds[0]!,
    ]);
    enrollment.revokeForRefund(orderId, clockAt(LATER));
    expect(enrollment.status).toBe('revoked');
    expect(enrollment.revokedAt).toEqual(new Date(LATER));
    expect(enrollment.completedLessonIds).toEqual([outline.lessonIds[0]]);
    expect(eventsOf(enrollment)).toEqual([
      {
        type: 'EnrollmentRevoked',
        payload: {
          enrollmentId: enrollment.id,
          learnerId: learner.userId,
          courseId: outline.courseId,
          orderId,
        },
      },
    ]);
  });

  it('changes nothing the learner sees for an order that is not the source, and announces nothing', () => {
    const enrollment = anEnrollmentFromOrder();
    const strangerOrder = newId<'Order'>();
    enrollment.revokeForRefund(strangerOrder, clockAt(LATER));
    expect(enrollment.status).toBe('active');
    expect(enrollment.pendingEvents).toEqual([]);
    // …but that order's payment, should it arrive now, grants nothing later.
    expect(enrollment.toSnapshot().refundedOrderIds).toEqual([strangerOrder]);
  });

  it('keeps the course through a second paid order when the order that gave it is refunded', () => {
    // Found by the property test: a second order paid in a race, then the first refunded.
    const enrollment = anEnrollmentFromOrder();
    const firstOrder = (enrollment.source as { orderId: string }).orderId;
    const secondOrder = newId<'Order'>();
    enrollment.grantAgainFromOrder(secondOrder, clockAt(LATER));
    enrollment.revokeForRefund(firstOrder, clockAt(LATER));
    expect(enrollment.status).toBe('active');
    expect(enrollment.source).toEqual({ kind: 'order', orderId: secondOrder });
    expect(enrollment.pendingEvents).toEqual([]);
    enrollment.revokeForRefund(secondOrder, clockAt(LATER));
    expect(enrollment.status).toBe('revoked');
  });

  it('changes nothing when the same refund arrives twice', () => {
    const enrollment = aRevokedEnrollment();
    const before = enrollment.toSnapshot();
    const orderId = (enrollment.source as { orderId: string }).orderId;
    enrollment.revokeForRefund(orderId, clockAt('2026-07-01T00:00:00.000Z'));
    expect(enrollment.pendingEvents).toEqual([]);
    expect(enrollment.toSnapshot()).toEqual(before);
  });

  it('leaves a free enrollment alone', () => {
    const outline = anOutline({ free: true });
    const enrollment = Enrollment.enrollInFreeCourse(
      outline.courseId,
      outline,
      aLearner(),
      clockAt(GRANTED_AT),
    );
    enrollment.markSaved();
    enrollment.revokeForRefund(newId<'Order'>(), clockAt(LATER));
    expect(enrollment.status).toBe('active');
    expect(enrollment.pendingEvents).toEqual([]);
  });
});

describe('a refund that arrives before its payment was ever seen', () => {
  it('opens the enrollment withheld, announcing nothing, and the late payment grants nothing', () => {
    const learner = aLearner();
    const outline = anOutline();
    const orderId = newId<'Order'>();
    const enrollment = Enrollment.withholdForEarlyRefund(paidOrder(learner, outline, orderId));
    expect(enrollment.status).toBe('withheld');
    expect(enrollment.grantedAt).toBeNull();
    expect(enrollment.pendingEvents).toEqual([]);
    enrollment.grantAgainFromOrder(orderId, clockAt(LATER));
    expect(enrollment.status).toBe('withheld');
    expect(enrollment.pendingEvents).toEqual([]);
    expect(() => checkLessonsAreOpen(enrollment, outline.courseId, learner)).toThrow(DomainError);
  });

  it('still lets another purchase of the course grant it', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = Enrollment.withholdForEarlyRefund(paidOrder(learner, outline));
    const newOrder = newId<'Order'>();
    enrollment.grantAgainFromOrder(newOrder, clockAt(LATER));
    expect(enrollment.status).toBe('active');
    expect(typesOf(enrollment)).toEqual(['EnrollmentGranted']);
  });
});

describe('enrolling in a free course', () => {
  it('grants a published free course directly, with the free source', () => {
    const learner = aLearner();
    const outline = anOutline({ free: true });
    const enrollment = Enrollment.enrollInFreeCourse(outline.courseId, outline, learner, clockAt(GRANTED_AT));
    expect(enrollment.learnerId).toBe(learner.userId);
    expect(enrollment.source).toEqual({ kind: 'free' });
    expect(typesOf(enrollment)).toEqual(['EnrollmentGranted']);
  });

  it('refuses a course with a price', () => {
    const outline = anOutline({ free: false });
    expect(
      refusal(() => Enrollment.enrollInFreeCourse(outline.courseId, outline, aLearner(), clockAt(LATER))),
    ).toEqual(expect.objectContaining({ code: 'only-a-free-course-can-be-enrolled-in-directly' }));
  });

  it('refuses a course not in the catalog, or unknown to learning, as not found', () => {
    const outline = anOutline({ free: true, published: false });
    for (const known of [outline, null]) {
      expect(
        refusal(() => Enrollment.enrollInFreeCourse(outline.courseId, known, aLearner(), clockAt(LATER))),
      ).toEqual(
        expect.objectContaining({ code: 'unpublished-course-cannot-be-enrolled-in', category: 'NOT_FOUND' }),
      );
    }
  });

  it('refuses someone without the learner role', () => {
    const outline = anOutline({ free: true });
    const instructor = { userId: newId<'User'>(), roles: ['instructor'] };
    expect(
      refusal(() => Enrollment.enrollInFreeCourse(outline.courseId, outline, instructor, clockAt(LATER))),
    ).toEqual(expect.objectContaining({ code: 'only-learners-may-enroll', category: 'PERMISSION_DENIED' }));
  });

  it('changes nothing when the learner enrolls again in a course they have', () => {
    const learner = aLearner();
    const outline = anOutline({ free: true });
    const enrollment = Enrollment.enrollInFreeCourse(outline.courseId, outline, learner, clockAt(GRANTED_AT));
    enrollment.markSaved();
    enrollment.enrollAgainInFreeCourse(outline, learner, clockAt(LATER));
    expect(enrollment.pendingEvents).toEqual([]);
  });

  it('gives a revoked enrollment back when the course has since become free', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = aRevokedEnrollment(learner, outline);
    enrollment.enrollAgainInFreeCourse({ ...outline, free: true }, learner, clockAt(LATER));
    expect(enrollment.status).toBe('active');
    expect(enrollment.source).toEqual({ kind: 'free' });
  });

  it('refuses another learner’s enrollment', () => {
    const outline = anOutline({ free: true });
    const enrollment = aRevokedEnrollment(aLearner(), outline);
    expect(refusal(() => enrollment.enrollAgainInFreeCourse(outline, aLearner(), clockAt(LATER))).code).toBe(
      'only-its-learner-may-follow-an-enrollment',
    );
  });
});

describe('completing lessons', () => {
  it('records the lesson with the progress it makes', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = anEnrollmentFromOrder(learner, outline);
    enrollment.completeLesson(outline.lessonIds[1]!, outline, learner, clockAt(LATER));
    expect(eventsOf(enrollment)).toEqual([
      {
        type: 'LessonCompleted',
        payload: {
          enrollmentId: enrollment.id,
          learnerId: learner.userId,
          courseId: outline.courseId,
          lessonId: outline.lessonIds[1],
          lessonsDone: 1,
          lessonCount: 3,
        },
      },
    ]);
    expect(enrollment.completedLessons).toEqual([
      { lessonId: outline.lessonIds[1], completedAt: new Date(LATER) },
    ]);
  });

  it('changes nothing when a lesson is completed twice', () => {
    const outline = anOutline();
    const enrollment = withLessonsDone(anEnrollmentFromOrder(aLearner(), outline), outline, [
      outline.lessonIds[0]!,
    ]);
    const before = enrollment.toSnapshot();
    enrollment.completeLesson(outline.lessonIds[0]!, outline, aLearner(enrollment.learnerId), clockAt(LATER));
    expect(enrollment.pendingEvents).toEqual([]);
    expect(enrollment.toSnapshot()).toEqual(before);
  });

  it('refuses a lesson that is not in the outline, naming the field', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = anEnrollmentFromOrder(learner, outline);
    expect(
      refusal(() => enrollment.completeLesson(newId<'Lesson'>(), outline, learner, clockAt(LATER))),
    ).toEqual(
      expect.objectContaining({
        code: 'completed-lesson-must-be-in-the-outline',
        category: 'NOT_FOUND',
        details: expect.objectContaining({ field: 'lessonId' }),
      }),
    );
  });

  it('refuses while the enrollment is revoked, saying access ended with a refund', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = aRevokedEnrollment(learner, outline);
    expect(
      refusal(() => enrollment.completeLesson(outline.lessonIds[0]!, outline, learner, clockAt(LATER))),
    ).toEqual({
      code: 'lessons-are-open-only-while-enrolled',
      category: 'PERMISSION_DENIED',
      details: { courseId: outline.courseId, reason: 'refunded' },
    });
  });

  it('refuses another learner', () => {
    const outline = anOutline();
    const enrollment = anEnrollmentFromOrder(aLearner(), outline);
    expect(
      refusal(() => enrollment.completeLesson(outline.lessonIds[0]!, outline, aLearner(), clockAt(LATER)))
        .code,
    ).toBe('only-its-learner-may-follow-an-enrollment');
  });

  it('refuses an outline of another course', () => {
    const learner = aLearner();
    const enrollment = anEnrollmentFromOrder(learner, anOutline());
    const other = anOutline();
    expect(
      refusal(() => enrollment.completeLesson(other.lessonIds[0]!, other, learner, clockAt(LATER))).code,
    ).toBe('outline-must-be-of-the-enrolled-course');
  });
});

describe('course completion', () => {
  it('completes the course once, right after the last lesson left', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = withLessonsDone(
      anEnrollmentFromOrder(learner, outline),
      outline,
      outline.lessonIds.slice(0, 2),
    );
    enrollment.completeLesson(outline.lessonIds[2]!, outline, learner, clockAt(LATER));
    expect(typesOf(enrollment)).toEqual(['LessonCompleted', 'CourseCompleted']);
    expect(eventsOf(enrollment)[1]!.payload).toEqual({
      enrollmentId: enrollment.id,
      learnerId: learner.userId,
      courseId: outline.courseId,
      lessonIds: outline.lessonIds,
      completedAt: LATER,
    });
    expect(enrollment.completedAt).toEqual(new Date(LATER));
  });

  it('stays completed when a lesson is added later: the new lesson shows as left, the course as completed', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = withLessonsDone(anEnrollmentFromOrder(learner, outline), outline, outline.lessonIds);
    const added = newId<'Lesson'>();
    const grown = { ...outline, lessonIds: [...outline.lessonIds, added] };
    expect(enrollment.progressIn(grown)).toEqual({
      lessonCount: 4,
      lessonsDone: 3,
      lessonsLeft: [added],
      courseCompleted: true,
    });
    enrollment.completeLesson(added, grown, learner, clockAt(LATER));
    expect(typesOf(enrollment)).toEqual(['LessonCompleted']);
    expect(enrollment.completedAt).toEqual(new Date(LATER));
  });

  it('completes the course when the last lesson left is removed, at the review', () => {
    const learner = aLearner();
    const outline = anOutline();
    const enrollment = withLessonsDone(
      anEnrollmentFromOrder(learner, outline),
      outline,
      outline.lessonIds.slice(0, 2),
    );
    const shrunk = { ...outline, lessonIds: outline.lessonIds.slice(0, 2) };
    enrollment.reviewCompletion(shrunk, clockAt(LATER));
    expect(typesOf(enrollment)).toEqual(['CourseCompleted']);
    enrollment.markSaved();
    enrollment.reviewCompletion(shrunk, clockAt(LATER));
    expect(enrollment.pendingEvents).toEqual([]);
  });

  it('counts neither removed lessons nor reordering against progress', () => {
    const outline = anOutline();
    const enrollment = withLessonsDone(anEnrollmentFromOrder(aLearner(), outline), outline, [
      outline.lessonIds[0]!,
    ]);
    const changed = { ...outline, lessonIds: [outline.lessonIds[2]!, outline.lessonIds[1]!] };
    expect(enrollment.progressIn(changed)).toEqual({
      lessonCount: 2,
      lessonsDone: 0,
      lessonsLeft: [outline.lessonIds[2], outline.lessonIds[1]],
      courseCompleted: false,
    });
    expect(enrollment.completedLessonIds).toEqual([outline.lessonIds[0]]);
  });

  it('is not reviewed while the enrollment is revoked', () => {
    const outline = anOutline();
    const enrollment = aRevokedEnrollment(aLearner(), outline);
    enrollment.reviewCompletion({ ...outline, lessonIds: [] }, clockAt(LATER));
    enrollment.reviewCompletion(outline, clockAt(LATER));
    expect(enrollment.pendingEvents).toEqual([]);
    expect(enrollment.completedAt).toBeNull();
  });
});

describe('opening lessons', () => {
  it('is for the learner of an active enrollment', () => {
    const learner = aLearner();
    const enrollment = anEnrollmentFromOrder(learner);
    expect(() => checkLessonsAreOpen(enrollment, enrollment.courseId, learner)).not.toThrow();
  });

  it('is refused to someone never enrolled, with the reason', () => {
    const courseId = newId<'Course'>();
    expect(refusal(() => checkLessonsAreOpen(null, courseId, aLearner()))).toEqual({
      code: 'lessons-are-open-only-while-enrolled',
      category: 'PERMISSION_DENIED',
      details: { courseId, reason: 'not-enrolled' },
    });
  });

  it('is refused after a refund, with the reason', () => {
    const learner = aLearner();
    const enrollment = aRevokedEnrollment(learner);
    expect(refusal(() => checkLessonsAreOpen(enrollment, enrollment.courseId, learner)).details).toEqual({
      courseId: enrollment.courseId,
      reason: 'refunded',
    });
  });
});

describe('snapshot and restore', () => {
  it('restores an enrollment as it was, recording nothing', () => {
    const outline = anOutline();
    const enrollment = withLessonsDone(aRevokedEnrollment(aLearner(), outline), outline, []);
    const restored = Enrollment.restore(enrollment.toSnapshot());
    expect(restored.toSnapshot()).toEqual(enrollment.toSnapshot());
    expect(restored.pendingEvents).toEqual([]);
    expect(restored.version).toBe(enrollment.version);
  });
});
