import { describe, expect, it } from '@jest/globals';
import { aggregate, command, defineContract, FixedClock, z } from '@strata/shared-kernel';
import type { CallMetadata, RpcHandler, RpcResponse } from '../../src/protocol.ts';
import { implementContract } from '../../src/server/index.ts';
import { Course } from './course.ts';
import { courseContract, courseService, INSTRUCTOR } from './course-service.ts';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.ts';

const asInstructor: CallMetadata = {
  caller: { service: 'studio-api', userId: INSTRUCTOR, roles: ['instructor'] },
  correlationId: 'corr-1',
};

function call(
  handler: RpcHandler,
  method: string,
  payload: unknown,
  {
    metadata = asInstructor,
    deadline,
    signal = new AbortController().signal,
  }: { metadata?: CallMetadata; deadline?: number; signal?: AbortSignal } = {},
): Promise<RpcResponse> {
  return handler({ service: 'catalog-service', method, payload, metadata, deadline }, signal);
}

// Wire-level tests check answers by value; the typed view of them is the client's (see ../client).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resultOf(response: RpcResponse): any {
  if (!response.ok) throw new Error(`expected success, got ${JSON.stringify(response.error)}`);
  return response.result;
}

function errorOf(response: RpcResponse) {
  if (response.ok) throw new Error(`expected a failure, got ${JSON.stringify(response.result)}`);
  return response.error;
}

async function draftedCourse(handler: RpcHandler, lessons: string[] = []): Promise<string> {
  const { id } = resultOf(await call(handler, 'Course.draft', { input: { title: 'TypeScript in depth' } }));
  for (const title of lessons) resultOf(await call(handler, 'Course.addLesson', { id, input: { title } }));
  return id;
}

describe('a contract served by the runtime', () => {
  it('creates through a declared creation, saves with its events and answers the view', async () => {
    const { handler, unitOfWork } = courseService();
    const view = resultOf(await call(handler, 'Course.draft', { input: { title: 'TypeScript in depth' } }));
    expect(view).toEqual({
      id: expect.any(String),
      title: 'TypeScript in depth',
      status: 'draft',
      lessons: [],
      version: 1,
    });
    expect(unitOfWork.stored<Course>('Course', view.id)?.instructorId).toBe(INSTRUCTOR);
    expect(unitOfWork.outbox.map((event) => event.type)).toEqual(['CourseDrafted']);
  });

  it('runs a command on the loaded aggregate, answers its declared output and keeps the rule in the domain', async () => {
    const { handler, unitOfWork } = courseService();
    const id = await draftedCourse(handler);
    expect(resultOf(await call(handler, 'Course.addLesson', { id, input: { title: 'Types' } }))).toEqual({
      position: 1,
    });
    const published = resultOf(await call(handler, 'Course.publish', { id, input: {} }));
    expect(published).toMatchObject({ id, status: 'published', lessons: ['Types'] });
    expect(unitOfWork.stored<Course>('Course', id)?.version).toBe(3);
    // The answer describes the aggregate as committed, so its version is usable for the next If-Match.
    expect(published.version).toBe(3);
    expect(resultOf(await call(handler, 'Course.get', { id }))).toEqual(published);
  });

  it('answers a creation with its own output when the contract declares one', async () => {
    const { handler } = courseService();
    const answer = resultOf(await call(handler, 'Course.draftQuietly', { input: { title: 'Quiet course' } }));
    expect(Object.keys(answer)).toEqual(['id']);
  });

  it('serves queries by id (with defaults applied to the input) and pages through finders', async () => {
    const { handler } = courseService();
    const id = await draftedCourse(handler, ['One', 'Two']);
    expect(resultOf(await call(handler, 'Course.lessonCount', { id, input: {} }))).toEqual({
      count: 2,
      enough: true,
    });
    expect(resultOf(await call(handler, 'Course.lessonCount', { id, input: { atLeast: 3 } }))).toEqual({
      count: 2,
      enough: false,
    });

    const drafts = [id, await draftedCourse(handler), await draftedCourse(handler)].sort();
    const first = resultOf(
      await call(handler, 'Course.findByStatus', { input: { status: 'draft', limit: 2 } }),
    );
    expect(first.items.map((course: { id: string }) => course.id)).toEqual(drafts.slice(0, 2));
    expect(first.nextCursor).toBe(drafts[1]);
    const second = resultOf(
      await call(handler, 'Course.findByStatus', {
        input: { status: 'draft', limit: 2, cursor: first.nextCursor },
      }),
    );
    expect(second).toEqual({ items: [expect.objectContaining({ id: drafts[2] })], nextCursor: null });
  });

  it('runs a get, a query and a finder as read-only units of work, and a command as one that commits', async () => {
    const { handler, unitOfWork } = courseService();
    const id = await draftedCourse(handler, ['One']);
    const commits = unitOfWork.commits;
    resultOf(await call(handler, 'Course.get', { id }));
    resultOf(await call(handler, 'Course.lessonCount', { id, input: {} }));
    resultOf(await call(handler, 'Course.findByStatus', { input: { status: 'draft', limit: 2 } }));
    expect({ readOnlyRuns: unitOfWork.readOnlyRuns, commits: unitOfWork.commits }).toEqual({
      readOnlyRuns: 3,
      commits,
    });
    resultOf(await call(handler, 'Course.addLesson', { id, input: { title: 'Two' } }));
    expect({ readOnlyRuns: unitOfWork.readOnlyRuns, commits: unitOfWork.commits }).toEqual({
      readOnlyRuns: 3,
      commits: commits + 1,
    });
  });

  it('refuses invalid input with INVALID_ARGUMENT and field paths before the domain runs', async () => {
    const { handler, probe, unitOfWork } = courseService();
    const error = errorOf(await call(handler, 'Course.draft', { input: { title: 'TS' } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.issues).toEqual([expect.objectContaining({ path: ['input', 'title'], code: 'too_small' })]);
    const badId = errorOf(await call(handler, 'Course.publish', { id: 'course-1', input: {} }));
    expect(badId.issues?.map((issue) => issue.path)).toEqual([['id']]);
    expect(
      errorOf(await call(handler, 'Course.findByStatus', { input: { status: 'draft', limit: 1000 } }))
        .issues?.[0]?.path,
    ).toEqual(['input', 'limit']);
    expect(probe.domainCalls).toEqual([]);
    expect(unitOfWork.commits).toBe(0);
  });

  it('answers INTERNAL, logged, when the unit of work throws instead of rejecting', async () => {
    const { handler, unitOfWork, logged } = courseService();
    unitOfWork.run = () => {
      throw new Error('the pool is closed');
    };
    const error = errorOf(await call(handler, 'Course.draft', { input: { title: 'TypeScript in depth' } }));
    expect(error.code).toBe('INTERNAL');
    expect(logged).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringContaining('Course.draft failed') }),
    ]);
  });

  it('answers UNIMPLEMENTED for a method the contract does not declare', async () => {
    const { handler } = courseService();
    for (const method of ['Course.delete', 'Lesson.get', 'publish', 'Course.toView']) {
      const error = errorOf(await call(handler, method, {}));
      expect(error.code).toBe('UNIMPLEMENTED');
      expect(error.message).toContain(method);
    }
  });

  it('answers NOT_FOUND when the addressed aggregate does not exist', async () => {
    const { handler } = courseService();
    const missing = '0190a5c4-8f2e-7b3a-9c1d-ffffffffffff';
    for (const [method, payload] of [
      ['Course.get', { id: missing }],
      ['Course.publish', { id: missing, input: {} }],
      ['Course.lessonCount', { id: missing, input: {} }],
    ] as const) {
      const error = errorOf(await call(handler, method, payload));
      expect(error).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'aggregate-not-found',
        details: { aggregate: 'Course', id: missing },
      });
    }
  });

  it('answers a broken domain rule with RULE_VIOLATION and the rule code as reason, saving nothing', async () => {
    const { handler, unitOfWork } = courseService();
    const id = await draftedCourse(handler);
    const commits = unitOfWork.commits;
    const error = errorOf(await call(handler, 'Course.publish', { id, input: {} }));
    expect(error).toEqual({
      code: 'RULE_VIOLATION',
      reason: 'course-without-lessons-cannot-be-published',
      message: 'a course needs at least one lesson before it is published',
    });
    expect(unitOfWork.commits).toBe(commits);
    const stranger = { caller: { service: 'studio-api', userId: '0190a5c4-8f2e-7b3a-9c1d-000000000002' } };
    expect(
      errorOf(await call(handler, 'Course.addLesson', { id, input: { title: 'x' } }, { metadata: stranger })),
    ).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'only-the-instructor-changes-a-course',
    });
  });

  it('answers CONFLICT to the second of two concurrent changes to one aggregate', async () => {
    const { handler, probe, unitOfWork } = courseService();
    const id = await draftedCourse(handler);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let waiting = 0;
    let bothWaiting!: () => void;
    const bothLoaded = new Promise<void>((resolve) => (bothWaiting = resolve));
    probe.beforeChange = async () => {
      waiting += 1;
      if (waiting === 2) bothWaiting();
      await gate;
    };
    const first = call(handler, 'Course.addLesson', { id, input: { title: 'A' } });
    const second = call(handler, 'Course.addLesson', { id, input: { title: 'B' } });
    await bothLoaded;
    release();
    const answers = await Promise.all([first, second]);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(errorOf(answers.find((answer) => !answer.ok)!)).toMatchObject({
      code: 'CONFLICT',
      reason: 'aggregate-version-conflict',
    });
    expect(unitOfWork.stored<Course>('Course', id)?.lessons).toHaveLength(1);
  });

  it('gives a non-idempotent command with an idempotency key one effect and the same answer on repeat', async () => {
    const { handler, unitOfWork, probe } = courseService();
    const id = await draftedCourse(handler);
    const metadata = { ...asInstructor, idempotencyKey: 'add-lesson-7f3a' };
    const first = await call(handler, 'Course.addLesson', { id, input: { title: 'Types' } }, { metadata });
    const repeat = await call(handler, 'Course.addLesson', { id, input: { title: 'Types' } }, { metadata });
    expect(repeat).toEqual(first);
    expect(unitOfWork.stored<Course>('Course', id)?.lessons).toEqual(['Types']);
    expect(probe.domainCalls.filter((name) => name === 'addLesson')).toHaveLength(1);

    const fresh = await call(
      handler,
      'Course.addLesson',
      { id, input: { title: 'Types' } },
      { metadata: { ...asInstructor, idempotencyKey: 'other' } },
    );
    expect(resultOf(fresh)).toEqual({ position: 2 });
    const reused = errorOf(
      await call(handler, 'Course.draft', { input: { title: 'Another course' } }, { metadata }),
    );
    expect(reused).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'idempotency-key-reused-for-another-method',
    });
  });

  it('refuses an answer that breaks the contract with INTERNAL, logs why and saves nothing', async () => {
    const { handler, logged, unitOfWork } = courseService();
    const id = await draftedCourse(handler);
    const commits = unitOfWork.commits;
    const error = errorOf(await call(handler, 'Course.breakView', { id, input: {} }));
    expect(error).toEqual({ code: 'INTERNAL', message: 'internal error; the server logged the cause' });
    expect(
      logged.some(({ message }) =>
        message.includes('Course.breakView produced an answer that breaks the catalog contract'),
      ),
    ).toBe(true);
    expect(unitOfWork.commits).toBe(commits);
  });

  it('refuses an event the contract does not declare with INTERNAL before it reaches the outbox', async () => {
    const { handler, logged, unitOfWork } = courseService();
    const id = await draftedCourse(handler);
    const error = errorOf(await call(handler, 'Course.archive', { id, input: {} }));
    expect(error.code).toBe('INTERNAL');
    expect(logged.map(({ fields }) => fields)).toContainEqual(
      expect.objectContaining({ eventType: 'CourseArchived', reason: 'event-not-in-contract' }),
    );
    expect(unitOfWork.outbox.map((event) => event.type)).not.toContain('CourseArchived');
  });

  it('answers DEADLINE_EXCEEDED for a call whose deadline passed, without running the domain', async () => {
    const { handler, probe } = courseService();
    const error = errorOf(
      await call(handler, 'Course.draft', { input: { title: 'Too late' } }, { deadline: Date.now() - 1 }),
    );
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(probe.domainCalls).toEqual([]);
  });

  it('answers DEADLINE_EXCEEDED when the deadline passes mid-call, and the change is not saved', async () => {
    const { handler, probe, unitOfWork } = courseService();
    const id = await draftedCourse(handler);
    let resume!: () => void;
    probe.beforeChange = (context) =>
      new Promise<void>((resolve) => {
        resume = resolve;
        context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    const answer = await call(
      handler,
      'Course.addLesson',
      { id, input: { title: 'Slow' } },
      { deadline: Date.now() + 30 },
    );
    expect(errorOf(answer).code).toBe('DEADLINE_EXCEEDED');
    resume();
    await unitOfWork.idle();
    expect(unitOfWork.stored<Course>('Course', id)?.lessons).toEqual([]);
  });

  it('answers DEADLINE_EXCEEDED when the transport aborts the call (caller gone)', async () => {
    const { handler, probe } = courseService();
    const id = await draftedCourse(handler);
    const controller = new AbortController();
    probe.beforeChange = async () => controller.abort();
    const error = errorOf(
      await call(
        handler,
        'Course.addLesson',
        { id, input: { title: 'Gone' } },
        { signal: controller.signal },
      ),
    );
    expect(error.code).toBe('DEADLINE_EXCEEDED');
  });

  it('hides an unexpected failure behind INTERNAL and logs the cause', async () => {
    const unitOfWork = new InMemoryUnitOfWork();
    const logged: object[] = [];
    const contract = defineContract({
      context: 'catalog',
      aggregates: {
        Course: aggregate({
          id: z.uuid(),
          view: z.object({ id: z.uuid() }),
          commands: { crash: command({ input: z.object({}), idempotent: true }) },
        }),
      },
    });
    const handler = implementContract(
      contract,
      {
        Course: {
          aggregateType: 'Course',
          toView: (course: Course) => ({ id: course.id }),
          commands: {
            crash: () => {
              throw new Error('connection to db-7.internal:3306 refused');
            },
          },
        },
      },
      {
        unitOfWork,
        clock: new FixedClock(),
        logger: { error: (fields) => logged.push(fields), warn: () => {} },
      },
    );
    const seeded = Course.draft('Seeded course', INSTRUCTOR, new FixedClock());
    await unitOfWork.run(async (scope) => scope.repository('Course').add(seeded));
    const error = errorOf(await call(handler, 'Course.crash', { id: seeded.id, input: {} }));
    expect(error.code).toBe('INTERNAL');
    expect(JSON.stringify(error)).not.toContain('db-7');
    expect(logged).toContainEqual(
      expect.objectContaining({
        method: 'Course.crash',
        err: expect.objectContaining({ message: 'connection to db-7.internal:3306 refused' }),
      }),
    );
  });

  it('refuses at start-up an implementation that misses a method or adds one the contract does not declare', () => {
    const options = {
      unitOfWork: new InMemoryUnitOfWork(),
      clock: new FixedClock(),
      logger: { error() {}, warn() {} },
    };
    const contract = defineContract({
      context: 'catalog',
      aggregates: {
        Course: aggregate({
          id: z.uuid(),
          view: z.object({ id: z.uuid() }),
          commands: { publish: command({ input: z.object({}), idempotent: true }) },
        }),
      },
    });
    const incomplete = {
      Course: { aggregateType: 'Course', toView: (course: Course) => ({ id: course.id }), commands: {} },
    };
    expect(() => implementContract(contract, incomplete as never, options)).toThrow(
      'Course.publish has no handler',
    );
    const extra = {
      Course: {
        aggregateType: 'Course',
        toView: (course: Course) => ({ id: course.id }),
        commands: { publish() {}, wipeAll() {} },
      },
    };
    expect(() => implementContract(contract, extra as never, options)).toThrow(
      'Course.wipeAll is not declared in commands of the contract',
    );
    expect(() => implementContract(courseContract, {} as never, options)).toThrow(
      'aggregate Course has no implementation',
    );
  });
});
