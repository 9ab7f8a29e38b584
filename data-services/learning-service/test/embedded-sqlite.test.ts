import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { usePaymentSimulator } from '@strata/payment-simulator/test-support';
import { eur, instructorCaller, learnerCaller, LearningWorld } from './learning-world.ts';

// commerce-service needs a payment provider to be composed; no checkout job runs here.
const simulator = usePaymentSimulator();

describe('learning-service embedded on SQLite, beside commerce-service, as npm start runs them', () => {
  const world = new LearningWorld(simulator);

  beforeAll(() => world.start('SQLite'));
  afterAll(() => world.stop());

  it('takes a learner from a free enrollment to a certificate anyone can verify', async () => {
    const instructor = instructorCaller();
    const learner = learnerCaller();
    const { courseId, lessonIds } = await world.publishedCourse(eur(0), instructor, 1, 'Embedded SQL');

    const enrolled = await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: learner });
    await world.learning.Enrollment.completeLesson(
      enrolled.id,
      { lessonId: lessonIds[0]! },
      { caller: learner },
    );
    await world.settled();

    const [certificate] = (
      await world.learning.Certificate.findByLearner({ learnerId: learner.userId }, { caller: learner })
    ).items;
    await expect(world.learning.Certificate.verify(certificate!.id, {})).resolves.toMatchObject({
      learnerId: learner.userId,
      courseId,
    });
    // commerce-service heard it too: its record of certificates, on its own SQLite file.
    const [row] = await world.commerceService.database
      .em()
      .execute<{ n: number }[]>(
        'select count(*) as n from ordering_certificates where learner_id = ? and course_id = ?',
        [learner.userId, courseId],
      );
    expect(Number(row?.n)).toBe(1);
  });

  it('keeps one enrollment per learner and course in the schema its mapping makes, whoever inserts', async () => {
    const learner = learnerCaller();
    const instructor = instructorCaller();
    const { courseId } = await world.publishedCourse(eur(0), instructor, 1, 'Unique SQL');
    const enrolled = await world.learning.Enrollment.enrollInFreeCourse({ courseId }, { caller: learner });

    await expect(
      world.learningService.database.em().execute(
        `insert into enrollments (id, learner_id, course_id, status, source, completed_lessons,
           refunded_order_ids, paid_order_ids, version)
         values (?, ?, ?, 'active', '{"kind":"free"}', '[]', '[]', '[]', 0)`,
        [crypto.randomUUID(), learner.userId, courseId],
      ),
    ).rejects.toThrow(/UNIQUE/i);
    expect(
      await world.countLearning('select count(*) as n from enrollments where learner_id = ?', [
        learner.userId,
      ]),
    ).toBe(1);
    expect(enrolled.status).toBe('active');
  });
});
