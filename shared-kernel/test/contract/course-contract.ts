import { aggregate, command, creation, defineContract, event, finder, query, z } from '@strata/shared-kernel';

/** A catalog-like contract the DSL tests walk and type-check against. */
export const CourseView = z.object({
  id: z.uuid(),
  title: z.string(),
  status: z.enum(['draft', 'published']),
  lessons: z.array(z.object({ title: z.string() })),
});

export const courseContract = defineContract({
  context: 'catalog',
  aggregates: {
    Course: aggregate({
      id: z.uuid(),
      view: CourseView,
      creations: {
        draft: creation({ input: z.object({ title: z.string().min(3), instructorId: z.uuid() }) }),
        importFrom: creation({ input: z.object({ url: z.url() }), output: z.object({ id: z.uuid() }) }),
      },
      commands: {
        publish: command({ input: z.object({}), idempotent: true }),
        addLesson: command({ input: z.object({ title: z.string() }), idempotent: false }),
        rename: command({
          input: z.object({ title: z.string() }),
          output: z.object({ previousTitle: z.string() }),
          idempotent: true,
        }),
      },
      queries: {
        priceIn: query({
          input: z.object({ currency: z.string().length(3) }),
          output: z.object({ amount: z.number().int() }),
        }),
        findPublished: finder({ input: z.object({ text: z.string().optional() }) }),
        findTitles: finder({ input: z.object({}), item: z.object({ id: z.uuid(), title: z.string() }) }),
      },
      events: {
        CoursePublished: event({ version: 1, payload: z.object({ courseId: z.uuid(), title: z.string() }) }),
        LessonAdded: event({
          version: 2,
          payload: z.object({ courseId: z.uuid(), position: z.number().int() }),
        }),
      },
    }),
    Review: aggregate({
      id: z.uuid(),
      view: z.object({ id: z.uuid(), stars: z.number().int().min(1).max(5) }),
      creations: {
        write: creation({ input: z.object({ courseId: z.uuid(), stars: z.number().int().min(1).max(5) }) }),
      },
      events: {
        ReviewWritten: event({ version: 1, payload: z.object({ reviewId: z.uuid(), stars: z.number() }) }),
      },
    }),
  },
});
