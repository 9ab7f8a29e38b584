import { describe, expect, it } from '@jest/globals';
import { aggregate, creation, defineContract, event, FixedClock, z } from '@strata/shared-kernel';
import type { RpcHandler, RpcResponse } from '../../src/protocol.ts';
import { implementContract } from '../../src/server/index.ts';
import { Course } from './course.ts';
import { INSTRUCTOR } from './course-service.ts';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.ts';

// A creation may answer an aggregate that already exists (ordering's `place` answers the order
// still awaiting payment): the runtime answers it without adding it, and says which it was.

const view = z.object({ id: z.uuid(), title: z.string(), version: z.number().int() });
const input = z.object({ title: z.string().min(3), sameAs: z.uuid().optional() });

const contract = defineContract({
  context: 'catalog',
  aggregates: {
    Course: aggregate({
      id: z.uuid(),
      view,
      creations: {
        draftOnce: creation({
          input,
          output: z.object({ id: z.uuid(), version: z.number().int(), outcome: z.string() }),
        }),
        draftOrReuse: creation({ input }),
      },
      commands: {},
      queries: {},
      events: {
        CourseDrafted: event({ version: 1, payload: z.object({ courseId: z.uuid(), title: z.string() }) }),
      },
    }),
  },
});

function service() {
  const unitOfWork = new InMemoryUnitOfWork();
  const logger = { error: () => {}, warn: () => {} };
  const handler = implementContract(
    contract,
    {
      Course: {
        aggregateType: 'Course',
        toView: (course: Course) => ({ id: course.id, title: course.title, version: course.version }),
        creations: {
          draftOnce: {
            create: (request, context, existing) =>
              request.sameAs === undefined
                ? Course.draft(request.title, INSTRUCTOR, context.clock)
                : existing.load(request.sameAs),
            respond: (course, outcome) => ({ id: course.id, version: course.version, outcome }),
          },
          draftOrReuse: (request, context, existing) =>
            request.sameAs === undefined
              ? Course.draft(request.title, INSTRUCTOR, context.clock)
              : existing.load(request.sameAs),
        },
      },
    },
    { unitOfWork, clock: new FixedClock('2026-03-01T10:00:00.000Z'), logger },
  );
  return { handler, unitOfWork };
}

function call(handler: RpcHandler, method: string, payload: unknown): Promise<RpcResponse> {
  return handler(
    {
      service: 'catalog-service',
      method,
      payload,
      metadata: { caller: { userId: INSTRUCTOR, roles: ['instructor'] }, correlationId: 'corr-1' },
    },
    new AbortController().signal,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resultOf(response: RpcResponse): any {
  if (!response.ok) throw new Error(`expected success, got ${JSON.stringify(response.error)}`);
  return response.result;
}

describe('a creation answering an aggregate that already exists', () => {
  it('answers the stored aggregate with outcome "existing", adds nothing and records nothing', async () => {
    const { handler, unitOfWork } = service();
    const first = resultOf(await call(handler, 'Course.draftOnce', { input: { title: 'Type systems' } }));
    expect(first.outcome).toBe('created');

    const again = resultOf(
      await call(handler, 'Course.draftOnce', { input: { title: 'Type systems', sameAs: first.id } }),
    );

    expect(again).toEqual({ id: first.id, version: first.version, outcome: 'existing' });
    expect(first.version).toBe(unitOfWork.stored('Course', first.id)?.version);
    expect(unitOfWork.all('Course')).toHaveLength(1);
    expect(unitOfWork.outbox.map((event) => event.type)).toEqual(['CourseDrafted']);
  });

  it('answers the stored view as committed when the creation answers its view', async () => {
    const { handler, unitOfWork } = service();
    const first = resultOf(await call(handler, 'Course.draftOrReuse', { input: { title: 'Type systems' } }));

    const again = resultOf(
      await call(handler, 'Course.draftOrReuse', { input: { title: 'Other title', sameAs: first.id } }),
    );

    expect(again).toEqual({ id: first.id, title: 'Type systems', version: first.version });
    expect(unitOfWork.all('Course')).toHaveLength(1);
  });

  it('is NOT_FOUND when the aggregate it names does not exist, and stores nothing', async () => {
    const { handler, unitOfWork } = service();
    const missing = '0190a5c4-8f2e-7b3a-9c1d-0000000000ff';

    const response = await call(handler, 'Course.draftOnce', { input: { title: 'Type', sameAs: missing } });

    expect(response.ok).toBe(false);
    expect(!response.ok && response.error.code).toBe('NOT_FOUND');
    expect(unitOfWork.all('Course')).toHaveLength(0);
  });
});
