import {
  aggregate,
  command,
  creation,
  defineContract,
  event,
  finder,
  plainText,
  z,
} from '@strata/shared-kernel';
import { COURSE_DESCRIPTION_MAX_LENGTH } from './domain/course-description.ts';
import { MAX_LESSONS_PER_COURSE, MAX_PRICE_IN_MINOR_UNITS } from './domain/course-rules.ts';
import { COURSE_STATUSES } from './domain/course-status.ts';
import { COURSE_TITLE_MAX_LENGTH, COURSE_TITLE_MIN_LENGTH } from './domain/course-title.ts';
import { LESSON_TITLE_MAX_LENGTH } from './domain/lesson-title.ts';

/*
 * The catalog context's published language. Who is acting travels in RPC metadata, never in an
 * input: the course's owner is whoever drafted it, and the domain alone decides who may change it.
 */

const courseTitle = plainText({
  minLength: COURSE_TITLE_MIN_LENGTH,
  maxLength: COURSE_TITLE_MAX_LENGTH,
  multiline: false,
});
const description = plainText({ minLength: 0, maxLength: COURSE_DESCRIPTION_MAX_LENGTH, multiline: true });
const lessonTitle = plainText({ minLength: 1, maxLength: LESSON_TITLE_MAX_LENGTH, multiline: false });
/** What a learner searches the catalogue for: one line, like the titles it is matched against. */
const searchText = plainText({ minLength: 1, maxLength: 100, multiline: false });

/** An amount in minor units (cents) and an ISO 4217 currency: no floats anywhere near a price. */
export const Price = z.object({
  amount: z.number().int().min(0).max(MAX_PRICE_IN_MINOR_UNITS),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code in capitals, e.g. EUR'),
});

export type Price = z.infer<typeof Price>;

export const LessonView = z.object({ id: z.uuid(), title: lessonTitle });

export const CourseView = z.object({
  id: z.uuid(),
  instructorId: z.uuid(),
  title: courseTitle,
  description,
  status: z.enum(COURSE_STATUSES),
  price: Price.nullable(),
  lessons: z.array(LessonView).max(MAX_LESSONS_PER_COURSE),
  draftedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  version: z.number().int().min(0),
});

export type CourseView = z.infer<typeof CourseView>;

export const catalogContract = defineContract({
  context: 'catalog',
  callPolicy: {
    // One course's edits go to one instance: its optimistic-version conflicts stay rare and local.
    balancing: 'consistent-hash',
    timeoutMs: 5_000,
    // A runaway caller (a retry loop, a bulk import) cannot drown the service its peers share.
    rateLimit: { ratePerSecond: 1_000, burst: 200 },
    hedgeQueries: true,
  },
  aggregates: {
    Course: aggregate({
      id: z.uuid(),
      view: CourseView,
      creations: {
        draft: creation({ input: z.object({ title: courseTitle, description: description.optional() }) }),
      },
      commands: {
        editDetails: command({
          input: z.object({ title: courseTitle.optional(), description: description.optional() }),
          idempotent: true,
        }),
        // Not idempotent: each call appends one more lesson. The new lesson is the view's last.
        addLesson: command({ input: z.object({ title: lessonTitle }), idempotent: false }),
        renameLesson: command({
          input: z.object({ lessonId: z.uuid(), title: lessonTitle }),
          idempotent: true,
        }),
        // Not idempotent: a second removal of the same lesson answers lesson-not-found.
        removeLesson: command({ input: z.object({ lessonId: z.uuid() }), idempotent: false }),
        reorderLessons: command({
          input: z.object({ lessonIds: z.array(z.uuid()).max(MAX_LESSONS_PER_COURSE) }),
          idempotent: true,
        }),
        setPrice: command({ input: z.object({ price: Price }), idempotent: true }),
        publish: command({ input: z.object({}), idempotent: true }),
        unpublish: command({ input: z.object({}), idempotent: true }),
        archive: command({ input: z.object({}), idempotent: true }),
      },
      queries: {
        findPublished: finder({ input: z.object({ text: searchText.optional() }) }),
        findByInstructor: finder({ input: z.object({ instructorId: z.uuid() }) }),
      },
      events: {
        CourseDrafted: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), instructorId: z.uuid(), title: courseTitle, description }),
        }),
        CourseDetailsEdited: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), title: courseTitle, description }),
        }),
        LessonAdded: event({
          version: 1,
          payload: z.object({
            courseId: z.uuid(),
            lessonId: z.uuid(),
            title: lessonTitle,
            position: z
              .number()
              .int()
              .min(0)
              .max(MAX_LESSONS_PER_COURSE - 1),
          }),
        }),
        LessonRenamed: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), lessonId: z.uuid(), title: lessonTitle }),
        }),
        LessonRemoved: event({ version: 1, payload: z.object({ courseId: z.uuid(), lessonId: z.uuid() }) }),
        LessonsReordered: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), lessonIds: z.array(z.uuid()).max(MAX_LESSONS_PER_COURSE) }),
        }),
        CoursePriceChanged: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), price: Price, previousPrice: Price.nullable() }),
        }),
        CoursePublished: event({
          version: 1,
          payload: z.object({
            courseId: z.uuid(),
            instructorId: z.uuid(),
            title: courseTitle,
            description,
            price: Price,
            lessonCount: z.number().int().min(1).max(MAX_LESSONS_PER_COURSE),
          }),
        }),
        CourseUnpublished: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), unpublishedBy: z.uuid() }),
        }),
        CourseArchived: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), archivedBy: z.uuid() }),
        }),
      },
    }),
  },
});
