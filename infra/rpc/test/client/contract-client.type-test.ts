/*
 * Type tests for the client and the server implementation, checked by `npm run typecheck`:
 * each `@ts-expect-error` line must fail to compile, each `expectTypeOf` must hold.
 */
import { FixedClock, type Page } from '@strata/shared-kernel';
import { expectTypeOf } from 'expect-type';
import { createContractClient, inProcessInvoke } from '../../src/client/index.ts';
import { implementContract } from '../../src/server/index.ts';
import { Course } from '../server/course.ts';
import { courseContract, courseService } from '../server/course-service.ts';
import { InMemoryUnitOfWork } from '../server/in-memory-unit-of-work.ts';

type View = { id: string; title: string; status: 'draft' | 'published'; lessons: string[]; version: number };

export async function rightCalls(): Promise<void> {
  const client = createContractClient(courseContract, {
    service: 'catalog-service',
    invoke: inProcessInvoke(courseService().handler),
  });
  expectTypeOf(await client.Course.draft({ title: 'Types' })).toEqualTypeOf<View>();
  expectTypeOf(await client.Course.draftQuietly({ title: 'Types' })).toEqualTypeOf<{ id: string }>();
  expectTypeOf(await client.Course.publish('id')).toEqualTypeOf<View>();
  expectTypeOf(
    await client.Course.publish('id', {}, { idempotencyKey: 'k', timeoutMs: 100 }),
  ).toEqualTypeOf<View>();
  expectTypeOf(await client.Course.addLesson('id', { title: 'One' })).toEqualTypeOf<{ position: number }>();
  expectTypeOf(await client.Course.get('id')).toEqualTypeOf<View>();
  expectTypeOf(await client.Course.lessonCount('id')).toEqualTypeOf<{ count: number; enough: boolean }>();
  expectTypeOf(await client.Course.findByStatus({ status: 'draft', limit: 10, cursor: 'c' })).toEqualTypeOf<
    Page<View>
  >();
}

export async function wrongCalls(): Promise<void> {
  const client = createContractClient(courseContract, {
    service: 'catalog-service',
    invoke: inProcessInvoke(courseService().handler),
  });
  // @ts-expect-error wrong input type
  await client.Course.draft({ title: 42 });
  // @ts-expect-error missing required input
  await client.Course.addLesson('id');
  // @ts-expect-error unknown method
  await client.Course.delete('id');
  // @ts-expect-error unknown aggregate
  await client.Lesson.get('id');
  // @ts-expect-error a command without the id it addresses
  await client.Course.addLesson({ title: 'One' });
  // @ts-expect-error a value outside the finder's enum
  await client.Course.findByStatus({ status: 'archived' });
  // @ts-expect-error a finder limit is a number
  await client.Course.findByStatus({ status: 'draft', limit: '10' });
  // @ts-expect-error get takes only an id and options
  await client.Course.get('id', { title: 'x' }, {});
}

export function wrongImplementations(): void {
  const options = {
    unitOfWork: new InMemoryUnitOfWork(),
    clock: new FixedClock(),
    logger: { error() {}, warn() {} },
  };
  const toView = (course: Course) => ({
    id: course.id,
    title: course.title,
    status: course.status,
    lessons: course.lessons,
    version: course.version,
  });
  const complete = {
    draft: (input: { title: string }) => Course.draft(input.title, 'i', new FixedClock()),
    draftQuietly: {
      create: (input: { title: string }) => Course.draft(input.title, 'i', new FixedClock()),
      respond: (course: Course) => ({ id: course.id }),
    },
  };
  const commands = {
    publish: () => {},
    addLesson: () => ({ position: 1 }),
    archive: () => {},
    breakView: () => ({ ok: true as const }),
  };
  const queries = {
    lessonCount: () => ({ count: 1, enough: true }),
    findByStatus: () => ({ items: [], nextCursor: null }),
  };

  implementContract(
    courseContract,
    {
      Course: {
        aggregateType: 'Course',
        toView,
        creations: complete,
        // @ts-expect-error a free function that is not a declared method cannot be registered
        commands: { ...commands, wipeAll: () => {} },
        queries,
      },
    },
    options,
  );
  implementContract(
    courseContract,
    {
      Course: {
        aggregateType: 'Course',
        toView,
        creations: complete,
        // @ts-expect-error a handler answering the wrong output type
        commands: { ...commands, addLesson: () => ({ position: 'first' }) },
        queries,
      },
    },
    options,
  );
  implementContract(
    courseContract,
    {
      Course: {
        aggregateType: 'Course',
        // @ts-expect-error a view missing fields of the contract's view
        toView: (course: Course) => ({ id: course.id }),
        creations: complete,
        commands,
        queries,
      },
    },
    options,
  );
  implementContract(
    courseContract,
    {
      Course: {
        aggregateType: 'Course',
        toView,
        creations: complete,
        // @ts-expect-error an implementation missing a declared command
        commands: { publish: () => {} },
        queries,
      },
    },
    options,
  );
}
