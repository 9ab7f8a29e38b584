import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, newInstructor, newLearner, startStudioApi, type Harness } from './support.ts';

describe('studio-api over HTTP on the real commerce-service handler', () => {
  let api: Harness;
  const instructor = newInstructor();
  let token: string;

  beforeAll(async () => {
    api = await startStudioApi();
    token = await api.tokenFor(instructor);
  });

  afterAll(async () => {
    await api?.close();
  });

  async function draft(title: string, as = token) {
    const drafted = await call(api, 'POST', '/courses', {
      token: as,
      body: { title, description: 'a course' },
    });
    expect(drafted.status).toBe(201);
    return drafted.body.id as string;
  }

  it('drafts, edits, manages lessons, prices, publishes and unpublishes a course', async () => {
    const id = await draft('Typed Functional Programming');
    const edited = await call(api, 'PATCH', `/courses/${id}`, {
      token,
      body: { title: 'Typed FP in Practice', description: 'types that help' },
      ifMatch: '"1"',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Typed FP in Practice', description: 'types that help' });

    const first = await call(api, 'POST', `/courses/${id}/lessons`, { token, body: { title: 'Welcome' } });
    expect(first.status).toBe(201);
    const second = await call(api, 'POST', `/courses/${id}/lessons`, { token, body: { title: 'Types' } });
    const third = await call(api, 'POST', `/courses/${id}/lessons`, { token, body: { title: 'Extra' } });
    const [welcome, types, extra] = third.body.lessons as { id: string }[];
    expect(second.body.lessons).toHaveLength(2);

    const renamed = await call(api, 'PATCH', `/courses/${id}/lessons/${types!.id}`, {
      token,
      body: { title: 'Algebraic types' },
    });
    expect(renamed.body.lessons[1]).toEqual({ id: types!.id, title: 'Algebraic types' });
    const removed = await call(api, 'DELETE', `/courses/${id}/lessons/${extra!.id}`, { token });
    expect(removed.body.lessons.map((lesson: { id: string }) => lesson.id)).toEqual([welcome!.id, types!.id]);
    const reordered = await call(api, 'PUT', `/courses/${id}/lessons/order`, {
      token,
      body: { lessonIds: [types!.id, welcome!.id] },
    });
    expect(reordered.body.lessons.map((lesson: { title: string }) => lesson.title)).toEqual([
      'Algebraic types',
      'Welcome',
    ]);

    const priced = await call(api, 'PUT', `/courses/${id}/price`, {
      token,
      body: { price: { amount: 2900, currency: 'EUR' } },
    });
    expect(priced.body.price).toEqual({ amount: 2900, currency: 'EUR' });
    const published = await call(api, 'POST', `/courses/${id}/publication`, { token });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');

    const unpublished = await call(api, 'DELETE', `/courses/${id}/publication`, { token });
    expect(unpublished.status).toBe(200);
    expect(unpublished.body.status).not.toBe('published');
  });

  it('sends the verified caller to commerce-service in the RPC metadata', async () => {
    await draft('Metadata Matters');
    const drafting = api.commerceRequests.filter((request) => request.method === 'Course.draft').at(-1);
    expect(drafting?.metadata.caller).toEqual({ service: 'studio-api', ...instructor });
    expect(drafting?.metadata.correlationId).toEqual(expect.any(String));
  });

  it("lists the caller's own courses, drafts included, and nobody else's", async () => {
    const me = newInstructor();
    const myToken = await api.tokenFor(me);
    const mine = [await draft('Mine One', myToken), await draft('Mine Two', myToken)];
    await draft('Not Mine');
    const listed = await call(api, 'GET', '/courses?limit=1', { token: myToken });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const next = await call(
      api,
      'GET',
      `/courses?limit=1&cursor=${encodeURIComponent(listed.body.nextCursor)}`,
      {
        token: myToken,
      },
    );
    expect([listed.body.items[0].id, next.body.items[0].id].sort()).toEqual([...mine].sort());
  });

  it('refuses to publish a course without lessons with 422 and the rule code', async () => {
    const id = await draft('Nothing Yet');
    await call(api, 'PUT', `/courses/${id}/price`, {
      token,
      body: { price: { amount: 100, currency: 'EUR' } },
    });
    const refused = await call(api, 'POST', `/courses/${id}/publication`, { token });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 422, reason: 'course-without-lessons-cannot-be-published' });
  });

  it("answers 403 when an instructor touches another instructor's course", async () => {
    const id = await draft('Owned Elsewhere');
    const intruder = await api.tokenFor(newInstructor());
    const refused = await call(api, 'PATCH', `/courses/${id}`, {
      token: intruder,
      body: { title: 'Stolen Course' },
      ifMatch: '*',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403, reason: 'only-the-course-owner-may-change-it' });
    const publish = await call(api, 'POST', `/courses/${id}/publication`, { token: intruder });
    expect(publish.status).toBe(403);
  });

  it('answers 403 when a learner drafts a course', async () => {
    const refused = await call(api, 'POST', '/courses', {
      token: await api.tokenFor(newLearner()),
      body: { title: 'Learner Course' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      status: 403,
      reason: 'only-instructors-may-draft-and-edit-courses',
    });
  });

  it('answers 401 without a token and with a token it did not sign', async () => {
    const missing = await call(api, 'POST', '/courses', { body: { title: 'No Token Course' } });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ status: 401, reason: 'access-token-required' });
    const [header, payload] = token.split('.');
    const forged = await call(api, 'GET', '/courses', { token: `${header}.${payload}.AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.body.reason).toBe('invalid-access-token');
  });

  it('answers 400 naming the field for bad input', async () => {
    const badTitle = await call(api, 'POST', '/courses', { token, body: { title: 42 } });
    expect(badTitle.status).toBe(400);
    expect(badTitle.body.errors.map((error: { path: string }) => error.path)).toContain('body.title');

    const id = await draft('Priced Wrong');
    const badPrice = await call(api, 'PUT', `/courses/${id}/price`, {
      token,
      body: { price: { amount: 1.5, currency: 'eur' } },
    });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'body.price.amount',
      'body.price.currency',
    ]);

    const badId = await call(api, 'PATCH', '/courses/not-a-uuid', {
      token,
      body: { title: 'Whatever Title' },
      ifMatch: '"1"',
    });
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].path).toBe('params.courseId');
  });

  it('serves its OpenAPI document', async () => {
    const document = await call(api, 'GET', '/openapi.json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toContain('/courses/{courseId}/publication');
  });
});
