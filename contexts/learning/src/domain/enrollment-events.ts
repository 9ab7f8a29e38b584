import { z } from '@strata/shared-kernel';

/*
 * What an Enrollment announces, written once: the contract publishes these schemas and the
 * aggregate's payload types are inferred from them. Every payload names the learner and the
 * course, so a reader (my courses, notifications, the instructors' statistics) acts on the event
 * alone without calling back.
 */

/** What gave the learner the course: a paid order (ordering's id for it) or the course being free. */
export const EnrollmentSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('order'), orderId: z.uuid() }),
  z.object({ kind: z.literal('free') }),
]);

/** How many lessons an outline may hold: the catalog's own limit, kept here as a bound on input. */
export const MAX_LESSONS_PER_OUTLINE = 200;

const lessonCount = z.number().int().min(0).max(MAX_LESSONS_PER_OUTLINE);

const EnrollmentFactsSchema = z.object({
  enrollmentId: z.uuid(),
  learnerId: z.uuid(),
  courseId: z.uuid(),
});

export const ENROLLMENT_EVENT_PAYLOADS = {
  /** The learner has the course: first granted, or granted again after a refund. */
  EnrollmentGranted: EnrollmentFactsSchema.extend({ source: EnrollmentSourceSchema }),
  /** The order that gave the course was refunded: access ends, progress is kept. */
  EnrollmentRevoked: EnrollmentFactsSchema.extend({ orderId: z.uuid() }),
  LessonCompleted: EnrollmentFactsSchema.extend({
    lessonId: z.uuid(),
    lessonsDone: lessonCount,
    lessonCount,
  }),
  /** Every lesson of the outline, as it was then (`lessonIds`), is done. Announced once. */
  CourseCompleted: EnrollmentFactsSchema.extend({
    lessonIds: z.array(z.uuid()).min(1).max(MAX_LESSONS_PER_OUTLINE),
    completedAt: z.iso.datetime(),
  }),
};

export type EnrollmentEventPayloads = {
  readonly [T in keyof typeof ENROLLMENT_EVENT_PAYLOADS]: z.output<(typeof ENROLLMENT_EVENT_PAYLOADS)[T]>;
};

export type EnrollmentEventType = keyof EnrollmentEventPayloads;

export type EnrollmentSource = z.output<typeof EnrollmentSourceSchema>;
export type EnrollmentGranted = EnrollmentEventPayloads['EnrollmentGranted'];
export type EnrollmentRevoked = EnrollmentEventPayloads['EnrollmentRevoked'];
export type LessonCompleted = EnrollmentEventPayloads['LessonCompleted'];
export type CourseCompleted = EnrollmentEventPayloads['CourseCompleted'];
