import {
  aggregate,
  command,
  creation,
  defineContract,
  firstVersionEvents,
  finder,
  plainText,
  z,
} from '@strata/shared-kernel';
import { courseEventPayloads } from './course-events.ts';
import { courseDescription, courseTitle, lessonTitle, Price } from './course-fields.ts';
import { MAX_LESSONS_PER_COURSE } from './domain/course-rules.ts';
import { COURSE_STATUSES } from './domain/course-status.ts';

/*
 * The catalog context's published language. Who is acting travels in RPC metadata, never in an
 * input: the course's owner is whoever drafted it, and the domain alone decides who may change it.
 */

/** What a learner searches the catalogue for: one line, like the titles it is matched against. */
const searchText = plainText({ minLength: 1, maxLength: 100, multiline: false });

export { Price };

export const LessonView = z.object({ id: z.uuid(), title: lessonTitle });

export const CourseView = z.object({
  id: z.uuid(),
  instructorId: z.uuid(),
  title: courseTitle,
  description: courseDescription,
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
        draft: creation({
          input: z.object({ title: courseTitle, description: courseDescription.optional() }),
        }),
      },
      commands: {
        editDetails: command({
          input: z.object({ title: courseTitle.optional(), description: courseDescription.optional() }),
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
      // Every event is at its first schema version; a breaking change adds a version beside it.
      events: firstVersionEvents(courseEventPayloads),
    }),
  },
});
