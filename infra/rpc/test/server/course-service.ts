import {
  aggregate,
  command,
  creation,
  defineContract,
  event,
  finder,
  FixedClock,
  query,
  z,
} from '@strata/shared-kernel';
import { implementContract, type CallContext } from '../../src/server/index.ts';
import { Course } from './course.ts';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.ts';

export const CourseView = z.object({
  id: z.uuid(),
  title: z.string(),
  status: z.enum(['draft', 'published']),
  lessons: z.array(z.string()),
  version: z.number().int(),
});

export const courseContract = defineContract({
  context: 'catalog',
  aggregates: {
    Course: aggregate({
      id: z.uuid(),
      view: CourseView,
      creations: {
        draft: creation({ input: z.object({ title: z.string().min(3) }) }),
        draftQuietly: creation({
          input: z.object({ title: z.string().min(3) }),
          output: z.object({ id: z.uuid() }),
        }),
      },
      commands: {
        publish: command({ input: z.object({}), idempotent: true }),
        addLesson: command({
          input: z.object({ title: z.string().min(1) }),
          output: z.object({ position: z.number().int() }),
          idempotent: false,
        }),
        archive: command({ input: z.object({}), idempotent: true }),
        breakView: command({
          input: z.object({}),
          output: z.object({ ok: z.literal(true) }),
          idempotent: true,
        }),
      },
      queries: {
        lessonCount: query({
          input: z.object({ atLeast: z.number().int().default(0) }),
          output: z.object({ count: z.number(), enough: z.boolean() }),
        }),
        findByStatus: finder({ input: z.object({ status: z.enum(['draft', 'published']) }) }),
      },
      events: {
        CourseDrafted: event({ version: 1, payload: z.object({ courseId: z.uuid(), title: z.string() }) }),
        LessonAdded: event({
          version: 1,
          payload: z.object({ courseId: z.uuid(), position: z.number().int() }),
        }),
        CoursePublished: event({ version: 1, payload: z.object({ courseId: z.uuid(), title: z.string() }) }),
      },
    }),
  },
});

export const INSTRUCTOR = '0190a5c4-8f2e-7b3a-9c1d-000000000001';

/** Hooks a test uses to see or hold the domain mid-call. */
export interface Probe {
  domainCalls: string[];
  beforeChange?: (context: CallContext) => Promise<void>;
}

export function actorOf(context: CallContext): string {
  return context.caller.userId ?? 'anonymous';
}

export function courseService() {
  const unitOfWork = new InMemoryUnitOfWork();
  const clock = new FixedClock('2026-03-01T10:00:00.000Z');
  const logged: { level: 'error' | 'warn'; fields: object; message: string }[] = [];
  const logger = {
    error: (fields: object, message: string) => logged.push({ level: 'error', fields, message }),
    warn: (fields: object, message: string) => logged.push({ level: 'warn', fields, message }),
  };
  const probe: Probe = { domainCalls: [] };
  const toView = (course: Course) => ({
    id: course.id,
    title: course.title,
    status: course.status,
    lessons: course.lessons,
    version: course.version,
  });

  const handler = implementContract(
    courseContract,
    {
      Course: {
        aggregateType: 'Course',
        toView,
        creations: {
          draft: (input, context) => {
            probe.domainCalls.push('draft');
            return Course.draft(input.title, actorOf(context), context.clock);
          },
          draftQuietly: {
            create: (input, context) => Course.draft(input.title, actorOf(context), context.clock),
            respond: (course) => ({ id: course.id }),
          },
        },
        commands: {
          publish: async (course, _input, context) => {
            probe.domainCalls.push('publish');
            await probe.beforeChange?.(context);
            course.publish(actorOf(context), context.clock);
          },
          addLesson: async (course, input, context) => {
            probe.domainCalls.push('addLesson');
            await probe.beforeChange?.(context);
            return { position: course.addLesson(actorOf(context), input.title, context.clock) };
          },
          archive: (course, _input, context) => course.archive(context.clock),
          // An implementation bug on purpose: answers what the contract refuses.
          breakView: () => JSON.parse('{"ok":"yes"}'),
        },
        queries: {
          lessonCount: (course, input) => ({
            count: course.lessons.length,
            enough: course.lessons.length >= input.atLeast,
          }),
          findByStatus: (input, scope) => {
            const store = scope.session as InMemoryUnitOfWork;
            const matching = store
              .all<Course>('Course')
              .filter((course) => course.status === input.status)
              .sort((a, b) => a.id.localeCompare(b.id));
            const after =
              input.cursor === undefined ? matching : matching.filter((course) => course.id > input.cursor!);
            const page = after.slice(0, input.limit);
            return {
              items: page.map(toView),
              nextCursor: after.length > input.limit ? page.at(-1)!.id : null,
            };
          },
        },
      },
    },
    { unitOfWork, clock, logger },
  );
  return { handler, unitOfWork, clock, logged, probe };
}
