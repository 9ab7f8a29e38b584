import { z } from '@strata/shared-kernel';
import { courseDescription, courseTitle, lessonTitle, Price } from './course-fields.ts';
import { MAX_LESSONS_PER_COURSE } from './domain/course-rules.ts';

// What a Course announces, written once: the contract publishes these schemas and the aggregate's
// payload types are inferred from them. Payloads carry what a reader of the catalog needs to act
// without calling back (a listing can be built from CoursePublished alone); prices travel as
// plain { amount in minor units, currency } so every consumer reads them the same way.

const lessonPosition = z
  .number()
  .int()
  .min(0)
  .max(MAX_LESSONS_PER_COURSE - 1);

export const courseEventPayloads = {
  CourseDrafted: z.object({
    courseId: z.uuid(),
    instructorId: z.uuid(),
    title: courseTitle,
    description: courseDescription,
  }),
  CourseDetailsEdited: z.object({ courseId: z.uuid(), title: courseTitle, description: courseDescription }),
  /** `position` is the lesson's zero-based place in the course outline. */
  LessonAdded: z.object({
    courseId: z.uuid(),
    lessonId: z.uuid(),
    title: lessonTitle,
    position: lessonPosition,
  }),
  LessonRenamed: z.object({ courseId: z.uuid(), lessonId: z.uuid(), title: lessonTitle }),
  LessonRemoved: z.object({ courseId: z.uuid(), lessonId: z.uuid() }),
  LessonsReordered: z.object({
    courseId: z.uuid(),
    lessonIds: z.array(z.uuid()).max(MAX_LESSONS_PER_COURSE),
  }),
  CoursePriceChanged: z.object({ courseId: z.uuid(), price: Price, previousPrice: Price.nullable() }),
  CoursePublished: z.object({
    courseId: z.uuid(),
    instructorId: z.uuid(),
    title: courseTitle,
    description: courseDescription,
    price: Price,
    lessonCount: z.number().int().min(1).max(MAX_LESSONS_PER_COURSE),
  }),
  CourseUnpublished: z.object({ courseId: z.uuid(), unpublishedBy: z.uuid() }),
  CourseArchived: z.object({ courseId: z.uuid(), archivedBy: z.uuid() }),
};

export type CourseEventPayloads = {
  readonly [TType in keyof typeof courseEventPayloads]: Readonly<
    z.infer<(typeof courseEventPayloads)[TType]>
  >;
};

export type CourseEventType = keyof CourseEventPayloads;
