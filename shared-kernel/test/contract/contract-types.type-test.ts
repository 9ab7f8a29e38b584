/*
 * Type tests, checked by `npm run typecheck`: every `@ts-expect-error` line must fail to compile
 * (so a wrong call that compiles fails the typecheck), every `expectTypeOf` must hold.
 */
import {
  aggregate,
  command,
  creation,
  defineContract,
  event,
  z,
  type EventPayload,
  type EventTypes,
  type MethodInput,
  type MethodOutput,
  type Page,
  type ParsedMethodInput,
} from '@strata/shared-kernel';
import { expectTypeOf } from 'expect-type';
import type { courseContract, CourseView } from './course-contract.ts';

type Course = (typeof courseContract)['aggregates']['Course'];
type View = typeof CourseView;

// Inputs callers send and handlers receive.
expectTypeOf<MethodInput<Course['creations']['draft']>>().toEqualTypeOf<{
  title: string;
  instructorId: string;
}>();
expectTypeOf<MethodInput<Course['commands']['addLesson']>>().toEqualTypeOf<{ title: string }>();
expectTypeOf<MethodInput<Course['queries']['findPublished']>>().toEqualTypeOf<
  { text?: string | undefined } & { cursor?: string; limit?: number }
>();
expectTypeOf<ParsedMethodInput<Course['queries']['findPublished']>>().toEqualTypeOf<
  { text?: string | undefined } & { cursor?: string; limit: number }
>();

// Outputs: the view by default, the override where declared, a page for finders.
expectTypeOf<MethodOutput<Course['commands']['publish'], View>>().toEqualTypeOf<z.output<View>>();
expectTypeOf<MethodOutput<Course['commands']['rename'], View>>().toEqualTypeOf<{ previousTitle: string }>();
expectTypeOf<MethodOutput<Course['creations']['importFrom'], View>>().toEqualTypeOf<{ id: string }>();
expectTypeOf<MethodOutput<Course['queries']['findPublished'], View>>().toEqualTypeOf<Page<z.output<View>>>();
expectTypeOf<MethodOutput<Course['queries']['findTitles'], View>>().toEqualTypeOf<
  Page<{ id: string; title: string }>
>();

// Events across the whole contract, by type.
expectTypeOf<EventTypes<typeof courseContract>>().toEqualTypeOf<
  'CoursePublished' | 'LessonAdded' | 'ReviewWritten'
>();
expectTypeOf<EventPayload<typeof courseContract, 'LessonAdded'>>().toEqualTypeOf<{
  courseId: string;
  position: number;
}>();

export function wrongUses(): void {
  // @ts-expect-error a payload field of the wrong type
  const wrongPayload: EventPayload<typeof courseContract, 'CoursePublished'> = { courseId: 'x', title: 42 };
  // @ts-expect-error a payload missing a field
  const missingField: EventPayload<typeof courseContract, 'CoursePublished'> = { courseId: 'x' };
  // @ts-expect-error an event the contract does not declare
  type Unknown = EventPayload<typeof courseContract, 'CourseDeleted'>;
  // @ts-expect-error a draft without its required title
  const noTitle: MethodInput<Course['creations']['draft']> = { instructorId: 'x' };
  // @ts-expect-error a method the aggregate does not declare
  type Missing = Course['commands']['delete'];

  // @ts-expect-error a command named like a creation of the same aggregate
  aggregate({
    id: z.uuid(),
    view: z.object({ id: z.uuid() }),
    creations: { open: creation({ input: z.object({}) }) },
    commands: { open: command({ input: z.object({}), idempotent: true }) },
  });

  // @ts-expect-error `get` is implicit on every aggregate
  aggregate({
    id: z.uuid(),
    view: z.object({ id: z.uuid() }),
    commands: { get: command({ input: z.object({}), idempotent: true }) },
  });

  // @ts-expect-error an event payload must be an object schema, so its fields can be named
  event({ version: 1, payload: z.string() });

  // @ts-expect-error a command must say whether it is idempotent
  command({ input: z.object({}) });

  defineContract({ context: 'x', aggregates: {} });
  void [wrongPayload, missingField, noTitle];
  expectTypeOf<Unknown | Missing>().toBeAny();
}
