import { describe, expect, it } from '@jest/globals';
import { RpcError } from '@strata/shared-kernel';
import type { Invoke, InvokeOptions, RpcRequest } from '../../src/protocol.ts';
import { createContractClient, inProcessInvoke } from '../../src/client/index.ts';
import { courseContract, courseService, INSTRUCTOR } from '../server/course-service.ts';

const caller = { service: 'studio-api', userId: INSTRUCTOR, roles: ['instructor'] };

/** A client wired to a served contract, recording what reached the invoke port. */
function wiredClient(validateInput = true) {
  const service = courseService();
  const sent: { request: RpcRequest; options: InvokeOptions }[] = [];
  const direct = inProcessInvoke(service.handler);
  const invoke: Invoke = (request, options) => {
    sent.push({ request, options });
    return direct(request, options);
  };
  const client = createContractClient(courseContract, { service: 'catalog-service', invoke, validateInput });
  return { client, sent, ...service };
}

async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('a client derived from a contract, round trip to the runtime', () => {
  it('drafts, changes, reads and finds courses with the contract’s types end to end', async () => {
    const { client } = wiredClient();
    const course = await client.Course.draft({ title: 'TypeScript in depth' }, { caller });
    expect(course).toMatchObject({ title: 'TypeScript in depth', status: 'draft', lessons: [] });
    expect(await client.Course.addLesson(course.id, { title: 'Types' }, { caller })).toEqual({ position: 1 });
    const published = await client.Course.publish(course.id, {}, { caller });
    expect(published.status).toBe('published');
    expect(await client.Course.get(course.id)).toEqual(published);
    expect(await client.Course.lessonCount(course.id)).toEqual({ count: 1, enough: true });
    const page = await client.Course.findByStatus({ status: 'published' });
    expect(page).toEqual({ items: [published], nextCursor: null });
  });

  it('sends metadata, deadline, retry safety, kind and the aggregate id for routing', async () => {
    const { client, sent } = wiredClient();
    const before = Date.now();
    const course = await client.Course.draft(
      { title: 'Routing' },
      {
        caller,
        correlationId: 'corr-9',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        timeoutMs: 5_000,
      },
    );
    await client.Course.addLesson(
      course.id,
      { title: 'One' },
      { caller, idempotencyKey: 'k-1', deadline: before + 60_000 },
    );
    await client.Course.addLesson(course.id, { title: 'Two' }, { caller });
    await client.Course.get(course.id);
    await client.Course.findByStatus({ status: 'draft' });

    const [draft, keyed, unkeyed, get, find] = sent;
    expect(draft!.request).toMatchObject({
      service: 'catalog-service',
      method: 'Course.draft',
      payload: { input: { title: 'Routing' } },
      metadata: {
        caller,
        correlationId: 'corr-9',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    expect(draft!.request.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(draft!.options).toMatchObject({ kind: 'create', idempotent: false });
    expect(draft!.options.hashKey).toBeUndefined();
    expect(keyed!.request).toMatchObject({
      payload: { id: course.id, input: { title: 'One' } },
      metadata: { idempotencyKey: 'k-1' },
      deadline: before + 60_000,
    });
    expect(keyed!.options).toMatchObject({ kind: 'command', idempotent: true, hashKey: course.id });
    expect(unkeyed!.options).toMatchObject({ kind: 'command', idempotent: false, hashKey: course.id });
    expect(get!.options).toMatchObject({ kind: 'query', idempotent: true, hashKey: course.id });
    expect(find!.options).toMatchObject({ kind: 'query', idempotent: true });
    expect(find!.options.hashKey).toBeUndefined();
  });

  it('throws the server’s typed error intact: rule code, platform code, field paths', async () => {
    const { client } = wiredClient(false);
    const course = await client.Course.draft({ title: 'Empty course' }, { caller });
    const rule = await rejection(client.Course.publish(course.id, {}, { caller }));
    expect(rule.toJSON()).toEqual({
      code: 'RULE_VIOLATION',
      reason: 'course-without-lessons-cannot-be-published',
      message: 'a course needs at least one lesson before it is published',
    });
    const invalid = await rejection(client.Course.draft({ title: 'TS' }));
    expect(invalid.code).toBe('INVALID_ARGUMENT');
    expect(invalid.issues.map((issue) => issue.path)).toEqual([['input', 'title']]);
    expect((await rejection(client.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff'))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses invalid input before sending, in the same shape the server would', async () => {
    const { client, sent } = wiredClient();
    const error = await rejection(client.Course.draft({ title: 'TS' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.issues).toEqual([expect.objectContaining({ path: ['input', 'title'], code: 'too_small' })]);
    expect(sent).toEqual([]);
  });

  it('answers a repeated idempotency key with the first result and one effect', async () => {
    const { client, unitOfWork } = wiredClient();
    const course = await client.Course.draft({ title: 'Once only' }, { caller });
    const first = await client.Course.addLesson(
      course.id,
      { title: 'Intro' },
      { caller, idempotencyKey: 'retry-me' },
    );
    const again = await client.Course.addLesson(
      course.id,
      { title: 'Intro' },
      { caller, idempotencyKey: 'retry-me' },
    );
    expect(again).toEqual(first);
    expect(
      unitOfWork.all('Course').map((stored) => (stored as unknown as { lessons: string[] }).lessons),
    ).toEqual([['Intro']]);
  });

  it('fails with DEADLINE_EXCEEDED when the caller aborts a call the service has not answered', async () => {
    const controller = new AbortController();
    const hanging: Invoke = (_request, { signal }) =>
      new Promise((_resolve, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
    const client = createContractClient(courseContract, { service: 'catalog-service', invoke: hanging });
    const pending = rejection(
      client.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff', { signal: controller.signal }),
    );
    controller.abort();
    expect((await pending).code).toBe('DEADLINE_EXCEEDED');
  });

  it('reports a transport failure as UNAVAILABLE, and passes a typed one through', async () => {
    const broken: Invoke = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7100');
    };
    const client = createContractClient(courseContract, { service: 'catalog-service', invoke: broken });
    const error = await rejection(client.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('catalog-service Course.get could not be reached: connect ECONNREFUSED');
    // An invoke that throws rather than rejects: the call still rejects, never throws at its caller.
    const throwing = createContractClient(courseContract, {
      service: 'catalog-service',
      invoke: () => {
        throw new Error('no route to catalog-service');
      },
    });
    const thrown = await rejection(throwing.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff'));
    expect(thrown.code).toBe('UNAVAILABLE');
    expect(thrown.message).toContain('could not be reached: no route to catalog-service');
    const limited = createContractClient(courseContract, {
      service: 'catalog-service',
      invoke: async () => ({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } }),
    });
    expect((await rejection(limited.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff'))).code).toBe(
      'RATE_LIMITED',
    );
  });

  it('applies the client’s default timeout as the deadline when a call brings none', async () => {
    const seen: RpcRequest[] = [];
    const client = createContractClient(courseContract, {
      service: 'catalog-service',
      defaultTimeoutMs: 2_000,
      invoke: async (request) => {
        seen.push(request);
        return { ok: false, error: { code: 'NOT_FOUND', message: 'none' } };
      },
    });
    const before = Date.now();
    await rejection(client.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff'));
    await rejection(client.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff', { deadline: before + 10_000 }));
    expect(seen[0]!.deadline).toBeGreaterThanOrEqual(before + 2_000);
    expect(seen[0]!.deadline).toBeLessThan(before + 10_000);
    expect(seen[1]!.deadline).toBe(before + 10_000);
  });

  it('takes the default timeout from the contract’s call policy, so both run modes share it', async () => {
    const timeoutMs = 1_234;
    const seen: RpcRequest[] = [];
    const client = createContractClient(
      { ...courseContract, callPolicy: { ...courseContract.callPolicy, timeoutMs } },
      {
        service: 'catalog-service',
        invoke: async (request) => {
          seen.push(request);
          return { ok: false, error: { code: 'NOT_FOUND', message: 'none' } };
        },
      },
    );
    const before = Date.now();
    await rejection(client.Course.get('0190a5c4-8f2e-7b3a-9c1d-ffffffffffff'));
    const after = Date.now();
    expect(seen[0]!.deadline).toBeGreaterThanOrEqual(before + timeoutMs);
    expect(seen[0]!.deadline).toBeLessThanOrEqual(after + timeoutMs);
  });
});
