import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { refusal } from '@strata/runtime/test-support';
import { newId } from '@strata/shared-kernel';
import { eur, instructorCaller, learnerCaller, LearningWorld, type Storage } from './learning-world.ts';

// commerce-service needs a payment provider to be composed; no checkout job runs here (fixed clock).
const simulator = usePaymentSimulator();

describe.each<Storage>(['MariaDB', 'SQLite'])('a learner from enrollment to certificate (%s)', (storage) => {
  const world = new LearningWorld(simulator);
  const instructor = instructorCaller();

  beforeAll(() => world.start(storage));
  afterAll(() => world.stop());

  it('enrolls a learner in a free course once, however often they enroll, and refuses a priced one', async () => {
    const learner = learnerCaller();
    const free = await world.publishedCourse(eur(0), instructor, 2, 'Free SQL');
    const priced = await world.publishedCourse(eur(1500), instructor, 1, 'Priced SQL');

    const first = await world.learning.Enrollment.enrollInFreeCourse(
      { courseId: free.courseId },
      { caller: learner },
    );
    const again = await world.learning.Enrollment.enrollInFreeCourse(
      { courseId: free.courseId },
      { caller: learner },
    );

    expect(first).toMatchObject({ status: 'active', source: { kind: 'free' }, learnerId: learner.userId });
    expect(again.id).toBe(first.id);
    expect(await world.learningOutboxOf(first.id)).toEqual(['EnrollmentGranted']);
    expect(
      await refusal(
        world.learning.Enrollment.enrollInFreeCourse({ courseId: priced.courseId }, { caller: learner }),
      ),
    ).toMatchObject({ code: 'RULE_VIOLATION', reason: 'only-a-free-course-can-be-enrolled-in-directly' });
    expect(
      await refusal(world.learning.Enrollment.enrollInFreeCourse({ courseId: newId() }, { caller: learner })),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'unpublished-course-cannot-be-enrolled-in' });
  });

  it('grants a paid course, completes it lesson by lesson, certifies it, and then refuses the refund', async () => {
    const learner = learnerCaller();
    const { courseId, lessonIds } = await world.publishedCourse(eur(2500), instructor, 3, 'Paid SQL');
    const orderId = await world.paidOrder(learner, courseId, eur(2500));

    const [course] = (
      await world.learning.Enrollment.findByLearner({ learnerId: learner.userId }, { caller: learner })
    ).items;
    expect(course).toMatchObject({
      courseId,
      status: 'active',
      lessonCount: 3,
      lessonsDone: 0,
      completedAt: null,
    });
    const enrollmentId = course!.enrollmentId;
    await expect(
      world.learning.Enrollment.checkLessonAccess({ courseId }, { caller: learner }),
    ).resolves.toMatchObject({ items: [{ id: enrollmentId, source: { kind: 'order', orderId } }] });

    expect(
      await refusal(
        world.learning.Enrollment.completeLesson(enrollmentId, { lessonId: newId() }, { caller: learner }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'completed-lesson-must-be-in-the-outline' });
    expect(
      await refusal(
        world.learning.Enrollment.completeLesson(
          enrollmentId,
          { lessonId: lessonIds[0]! },
          { caller: learnerCaller() },
        ),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'only-its-learner-may-follow-an-enrollment' });

    for (const lessonId of lessonIds) {
      await world.learning.Enrollment.completeLesson(enrollmentId, { lessonId }, { caller: learner });
    }
    const repeated = await world.learning.Enrollment.completeLesson(
      enrollmentId,
      { lessonId: lessonIds[0]! },
      { caller: learner },
    );
    await world.settled();

    expect(repeated.completedAt).not.toBeNull();
    expect(await world.learningOutboxOf(enrollmentId)).toEqual([
      'EnrollmentGranted',
      'LessonCompleted',
      'LessonCompleted',
      'LessonCompleted',
      'CourseCompleted',
    ]);
    const certificates = await world.learning.Certificate.findByLearner(
      { learnerId: learner.userId },
      { caller: learner },
    );
    expect(certificates.items).toEqual([
      expect.objectContaining({ learnerId: learner.userId, courseId, enrollmentId }),
    ]);
    const certificate = certificates.items[0]!;
    // Public: no caller at all.
    await expect(world.learning.Certificate.verify(certificate.id, {})).resolves.toEqual({
      certificateId: certificate.id,
      code: certificate.code,
      learnerId: learner.userId,
      courseId,
      issuedAt: certificate.issuedAt,
    });
    expect(await world.learningOutboxOf(certificate.id)).toEqual(['CertificateIssued']);
    expect(await refusal(world.ordering.Order.requestRefund(orderId, {}, { caller: learner }))).toMatchObject(
      { code: 'RULE_VIOLATION', reason: 'order-cannot-be-refunded-once-a-certificate-is-issued' },
    );
    expect(
      await refusal(
        world.learning.Certificate.findByLearner({ learnerId: learner.userId }, { caller: learnerCaller() }),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'learning-is-its-owners-to-see' });
  });

  it('revokes the enrollment when its order is refunded before completion, keeping the progress', async () => {
    const learner = learnerCaller();
    const { courseId, lessonIds } = await world.publishedCourse(eur(900), instructor, 2, 'Refunded SQL');
    const orderId = await world.paidOrder(learner, courseId, eur(900));
    const page = await world.learning.Enrollment.findByLearner(
      { learnerId: learner.userId },
      { caller: learner },
    );
    const enrollmentId = page.items[0]!.enrollmentId;
    await world.learning.Enrollment.completeLesson(
      enrollmentId,
      { lessonId: lessonIds[0]! },
      { caller: learner },
    );

    await world.refunded(learner, orderId);

    const revoked = await world.learning.Enrollment.get(enrollmentId, { caller: learner });
    expect(revoked).toMatchObject({ status: 'revoked', completedLessonIds: [lessonIds[0]] });
    expect(await world.learningOutboxOf(enrollmentId)).toEqual([
      'EnrollmentGranted',
      'LessonCompleted',
      'EnrollmentRevoked',
    ]);
    expect(
      await refusal(world.learning.Enrollment.checkLessonAccess({ courseId }, { caller: learner })),
    ).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'lessons-are-open-only-while-enrolled',
      details: { courseId, reason: 'refunded' },
    });
    expect(
      await refusal(world.learning.Enrollment.checkLessonAccess({ courseId }, { caller: learnerCaller() })),
    ).toMatchObject({ reason: 'lessons-are-open-only-while-enrolled', details: { reason: 'not-enrolled' } });
    expect(
      await refusal(
        world.learning.Enrollment.completeLesson(
          enrollmentId,
          { lessonId: lessonIds[1]! },
          { caller: learner },
        ),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'lessons-are-open-only-while-enrolled' });
    const [course] = (
      await world.learning.Enrollment.findByLearner({ learnerId: learner.userId }, { caller: learner })
    ).items;
    expect(course).toMatchObject({ status: 'revoked', lessonsDone: 1, lessonCount: 2 });
  });

  it('keeps a completed course completed when a lesson is added later, and completes one whose last lesson left is removed', async () => {
    const learner = learnerCaller();
    const other = learnerCaller();
    const { courseId, lessonIds } = await world.publishedCourse(eur(0), instructor, 2, 'Growing SQL');
    const done = await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: learner });
    const halfway = await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: other });
    for (const lessonId of lessonIds) {
      await world.learning.Enrollment.completeLesson(done.id, { lessonId }, { caller: learner });
    }
    await world.learning.Enrollment.completeLesson(
      halfway.id,
      { lessonId: lessonIds[0]! },
      { caller: other },
    );

    await world.catalog.Course.addLesson(courseId, { title: 'Lesson 3' }, { caller: instructor });
    await world.settled();
    const grown = (
      await world.learning.Enrollment.findByLearner({ learnerId: learner.userId }, { caller: learner })
    ).items[0];
    expect(grown).toMatchObject({ lessonCount: 3, lessonsDone: 2, completedAt: expect.any(String) });

    await world.catalog.Course.removeLesson(courseId, { lessonId: lessonIds[1]! }, { caller: instructor });
    const added = (await world.catalog.Course.get(courseId)).lessons.at(-1)!.id;
    await world.catalog.Course.removeLesson(courseId, { lessonId: added }, { caller: instructor });
    await world.settled();

    expect(await world.learningOutboxOf(halfway.id)).toEqual([
      'EnrollmentGranted',
      'LessonCompleted',
      'CourseCompleted',
    ]);
    expect(await world.learningOutboxOf(done.id)).toEqual([
      'EnrollmentGranted',
      'LessonCompleted',
      'LessonCompleted',
      'CourseCompleted',
    ]);
    const certified = await world.countLearning(
      'select count(*) as n from certificates where course_id = ?',
      [courseId],
    );
    expect(certified).toBe(2);
  });

  it("shows an instructor their courses' enrollments, active learners and completion rate, and no one else", async () => {
    const teacher = instructorCaller();
    const { courseId, lessonIds } = await world.publishedCourse(eur(0), teacher, 1, 'Stats SQL');
    const untaken = await world.publishedCourse(eur(0), teacher, 1, 'Untaken SQL');
    const finisher = learnerCaller();
    const enrolled = await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: finisher });
    await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: learnerCaller() });
    await world.learning.Enrollment.completeLesson(
      enrolled.id,
      { lessonId: lessonIds[0]! },
      { caller: finisher },
    );

    const first = await world.learning.Enrollment.findStatsOfInstructor(
      { instructorId: teacher.userId, limit: 1 },
      { caller: teacher },
    );
    const rest = await world.learning.Enrollment.findStatsOfInstructor(
      { instructorId: teacher.userId, limit: 1, cursor: first.nextCursor ?? undefined },
      { caller: teacher },
    );

    expect([...first.items, ...rest.items].sort((a, b) => (a.courseId < b.courseId ? -1 : 1))).toEqual(
      [
        { courseId, enrollments: 2, activeLearners: 2, completions: 1, completionRate: 0.5 },
        {
          courseId: untaken.courseId,
          enrollments: 0,
          activeLearners: 0,
          completions: 0,
          completionRate: 0,
        },
      ].sort((a, b) => (a.courseId < b.courseId ? -1 : 1)),
    );
    expect(rest.nextCursor).toBeNull();
    expect(
      await refusal(
        world.learning.Enrollment.findStatsOfInstructor(
          { instructorId: teacher.userId },
          { caller: instructor },
        ),
      ),
    ).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it("pages a learner's courses newest grant first", async () => {
    const learner = learnerCaller();
    const ids: string[] = [];
    for (const title of ['Paged one', 'Paged two', 'Paged three']) {
      const { courseId } = await world.publishedCourse(eur(0), instructor, 1, title);
      world.clock.advance(1_000);
      ids.push(courseId);
      await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: learner });
    }

    const page = await world.learning.Enrollment.findByLearner(
      { learnerId: learner.userId, limit: 2 },
      { caller: learner },
    );
    const rest = await world.learning.Enrollment.findByLearner(
      { learnerId: learner.userId, limit: 2, cursor: page.nextCursor ?? undefined },
      { caller: learner },
    );

    expect([...page.items, ...rest.items].map((course) => course.courseId)).toEqual([...ids].reverse());
    expect(rest.nextCursor).toBeNull();
  });
});
