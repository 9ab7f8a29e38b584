import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import {
  call,
  newInstructor,
  newLearner,
  price,
  PUBLIC_API_URL,
  publishedCourse,
  startLearnerApi,
  type Harness,
} from './support.ts';

describe('sharing a course or a certificate as a short link (learner-api on real commerce-, learning- and engagement-services)', () => {
  let api: Harness;
  const instructor = newInstructor();
  let course: string;

  const fresh = async () => {
    const learner = newLearner();
    return { learner, token: await api.tokenFor(learner) };
  };
  const visit = async (url: string) => {
    const response = await fetch(url, { redirect: 'manual' });
    await response.text();
    return { status: response.status, location: response.headers.get('location') };
  };
  const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((error) => error.path);

  beforeAll(async () => {
    api = await startLearnerApi();
    course = await publishedCourse(api, instructor, price(0), 'Shared SQL');
  });
  afterAll(() => api?.close());

  it('shares a published course once per learner: 201 with a link to its public page, then 200 with the same link; another learner gets their own', async () => {
    const { learner, token } = await fresh();
    const first = await call(api, 'POST', `/share-links/courses/${course}`, { token });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      ownerId: learner.userId,
      slugKind: 'generated',
      status: 'active',
      targetUrl: `${PUBLIC_API_URL}/api/learner/courses/${course}`,
      shortUrl: `${api.redirect.url}/${first.body.slug}`,
    });
    const again = await call(api, 'POST', `/share-links/courses/${course}`, { token });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await visit(first.body.shortUrl)).toEqual({ status: 302, location: first.body.targetUrl });

    const other = await fresh();
    const theirs = await call(api, 'POST', `/share-links/courses/${course}`, { token: other.token });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('makes one link when the same learner asks twice at once', async () => {
    const { learner, token } = await fresh();
    const answers = await Promise.all(
      [1, 2, 3].map(() => call(api, 'POST', `/share-links/courses/${course}`, { token })),
    );
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    // engagement-service's own table: one link of this learner.
    const owned = await api.engagement.database
      .em()
      .execute<{ n: number | string }[]>('select count(*) as n from short_links where owner_id = ?', [
        learner.userId,
      ]);
    expect(Number(owned[0]?.n)).toBe(1);
  });

  it('refuses an unpublished or unknown course (404) and a malformed id (400) on the path parameter, making no link', async () => {
    const { learner, token } = await fresh();
    const draft = await api.catalog.Course.draft({ title: 'Not yet' }, { caller: instructor });
    for (const courseId of [draft.id, newId()]) {
      const refused = await call(api, 'POST', `/share-links/courses/${courseId}`, { token });
      expect(refused.status).toBe(404);
      expect(refused.body.reason).toBe('shared-course-must-be-published');
      expect(paths(refused.body)).toEqual(['params.courseId']);
    }
    const malformed = await call(api, 'POST', '/share-links/courses/sql-101', { token });
    expect(malformed.status).toBe(400);
    expect(paths(malformed.body)).toEqual(['params.courseId']);
    expect((await call(api, 'POST', `/share-links/courses/${course}`)).status).toBe(401);
    const owned = await api.engagement.database
      .em()
      .execute<{ n: number | string }[]>('select count(*) as n from short_links where owner_id = ?', [
        learner.userId,
      ]);
    expect(Number(owned[0]?.n)).toBe(0);
  });

  it('shares my certificate as a link to its public check, once; refuses another learner’s (403) and an unknown one (404)', async () => {
    const { learner, token } = await fresh();
    const enrolled = await call(api, 'POST', '/enrollments', { token, body: { courseId: course } });
    await api.settled();
    const lessonId = (await api.catalog.Course.get(course, {})).lessons[0]!.id;
    await call(api, 'POST', `/enrollments/${enrolled.body.id}/lessons/${lessonId}/complete`, { token });
    await api.settled();
    const certificateId = (await call(api, 'GET', '/my-certificates', { token })).body.items[0].id as string;

    const shared = await call(api, 'POST', `/share-links/certificates/${certificateId}`, { token });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({
      ownerId: learner.userId,
      targetUrl: `${PUBLIC_API_URL}/api/learner/certificates/${certificateId}`,
    });
    const again = await call(api, 'POST', `/share-links/certificates/${certificateId}`, { token });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(shared.body.id);
    expect(await visit(shared.body.shortUrl)).toEqual({ status: 302, location: shared.body.targetUrl });

    const stranger = await fresh();
    const notTheirs = await call(api, 'POST', `/share-links/certificates/${certificateId}`, {
      token: stranger.token,
    });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.reason).toBe('only-its-learner-may-share-a-certificate');
    expect(paths(notTheirs.body)).toEqual(['params.certificateId']);
    const unknown = await call(api, 'POST', `/share-links/certificates/${newId()}`, { token });
    expect(unknown.status).toBe(404);
    expect(paths(unknown.body)).toEqual(['params.certificateId']);
  });
});
