import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { call, login, type Answer } from './http.ts';

// The vertical slice as a client lives it, through the gateway only: accounts, authoring in the
// studio, browsing as a learner, the domain's refusals, and a cache invalidated by an event. It is
// one module so the embedded (`npm start`) and the distributed (`npm run start:distributed`) runs
// prove the same journey. Every email and title carries a fresh suffix: the distributed run keeps
// its data between runs, and an exact search result must not see an earlier run's courses.

const PASSWORD = 'Journey-Passw0rd-42';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The cache is invalidated asynchronously (outbox relay, then in-process dispatch or Kafka): a
// bound on a slow machine, not an expected latency: 30 s of time (it was 150 reads 200 ms apart),
// inside the tests that run the journey. A failure names what was awaited and what was last seen,
// so a lost invalidation reads as one rather than as a timeout.
const INVALIDATION = { timeoutMs: 30_000, everyMs: 200 };

interface Account {
  id: string;
  email: string;
  token: string;
}

async function registerAndLogin(
  url: string,
  email: string,
  displayName: string,
  registerAs: 'learner' | 'instructor',
): Promise<Account> {
  const registered = await call(url, 'POST', '/api/account/auth/register', {
    body: { email, password: PASSWORD, displayName, registerAs },
  });
  expect(registered.status).toBe(201);
  expect(registered.body).toMatchObject({
    email,
    displayName,
    roles: registerAs === 'instructor' ? ['learner', 'instructor'] : ['learner'],
    status: 'active',
  });
  expect(registered.body.id).toMatch(UUID);
  const token = await login(url, email, PASSWORD);
  expect(token).toEqual(expect.any(String));
  return { id: registered.body.id as string, email, token };
}

/** A refusal by an application service: problem+json whose `reason` is the domain rule's code. */
function expectRefusal(answer: Answer, status: number, reason: string): void {
  expect({ status: answer.status, contentType: answer.contentType }).toEqual({
    status,
    contentType: 'application/problem+json',
  });
  expect(answer.body).toMatchObject({ status, reason, type: `https://strata.dev/problems/${reason}` });
}

/**
 * Runs the slice journey against a running platform whose gateway answers at `gatewayUrl`
 * (e.g. `http://127.0.0.1:8080`, no trailing slash). It fails with jest's `expect` on the first
 * answer that differs. It leaves its users and (unpublished) courses behind, all uniquely named,
 * and the published catalogue as it was.
 */
export async function runSliceJourney(gatewayUrl: string): Promise<void> {
  const url = gatewayUrl;
  const run = randomBytes(6).toString('hex');
  // One word no other course holds, so a text search for it has exactly one answer.
  const word = `journey${run}`;

  // a. Accounts: two instructors (the second one only to be refused) and a learner.
  const instructor = await registerAndLogin(
    url,
    `instructor-${run}@journey.example.org`,
    'Journey Instructor',
    'instructor',
  );
  const rival = await registerAndLogin(
    url,
    `rival-${run}@journey.example.org`,
    'Rival Instructor',
    'instructor',
  );
  const learner = await registerAndLogin(
    url,
    `learner-${run}@journey.example.org`,
    'Journey Learner',
    'learner',
  );

  // b. The instructor drafts, outlines, prices and publishes a course.
  const title = `Slice journey ${word}`;
  const drafted = await call(url, 'POST', '/api/studio/courses', {
    token: instructor.token,
    body: { title, description: 'A course the end-to-end journey authors.' },
  });
  expect(drafted.status).toBe(201);
  expect(drafted.body).toEqual({
    id: expect.stringMatching(UUID),
    instructorId: instructor.id,
    title,
    description: 'A course the end-to-end journey authors.',
    status: 'draft',
    price: null,
    lessons: [],
    draftedAt: expect.stringMatching(ISO_INSTANT),
    publishedAt: null,
    version: 1,
  });
  const courseId = drafted.body.id as string;
  const coursePath = `/api/studio/courses/${courseId}`;

  const first = await call(url, 'POST', `${coursePath}/lessons`, {
    token: instructor.token,
    body: { title: 'Why a vertical slice' },
  });
  expect(first.status).toBe(201);
  expect(first.body.lessons).toEqual([{ id: expect.stringMatching(UUID), title: 'Why a vertical slice' }]);
  const second = await call(url, 'POST', `${coursePath}/lessons`, {
    token: instructor.token,
    body: { title: 'Through the gateway' },
  });
  expect(second.status).toBe(201);
  expect(second.body.lessons.map((lesson: { title: string }) => lesson.title)).toEqual([
    'Why a vertical slice',
    'Through the gateway',
  ]);
  expect(second.body.lessons[0].id).toBe(first.body.lessons[0].id);
  const lessons = second.body.lessons as { id: string; title: string }[];

  // The instructor prices the course; the answer is the course with its new price.
  const priceAt = async (amount: number, status: string) => {
    const priced = await call(url, 'PUT', `${coursePath}/price`, {
      token: instructor.token,
      body: { price: { amount, currency: 'EUR' } },
    });
    expect(priced.status).toBe(200);
    expect(priced.body).toMatchObject({ id: courseId, status, price: { amount, currency: 'EUR' } });
    return priced;
  };
  await priceAt(1999, 'draft');

  const published = await call(url, 'POST', `${coursePath}/publication`, { token: instructor.token });
  expect(published.status).toBe(200);
  expect(published.body).toMatchObject({
    id: courseId,
    status: 'published',
    price: { amount: 1999, currency: 'EUR' },
    lessons,
    publishedAt: expect.stringMatching(ISO_INSTANT),
  });

  // c. The learner finds it by text search; browsing is public, so no token is needed.
  const found = await call(url, 'GET', `/api/learner/courses?text=${encodeURIComponent(word)}`);
  expect(found.status).toBe(200);
  expect(found.body).toEqual({
    items: [
      {
        id: courseId,
        instructorId: instructor.id,
        title,
        description: 'A course the end-to-end journey authors.',
        status: 'published',
        price: { amount: 1999, currency: 'EUR' },
        lessons,
        draftedAt: drafted.body.draftedAt,
        publishedAt: published.body.publishedAt,
        version: published.body.version,
      },
    ],
    nextCursor: null,
  });

  // d. A course without lessons cannot be published; the lesson rule is checked before the price one.
  const bare = await call(url, 'POST', '/api/studio/courses', {
    token: instructor.token,
    body: { title: `Empty ${word}` },
  });
  expect(bare.status).toBe(201);
  expect(bare.body).toMatchObject({ instructorId: instructor.id, status: 'draft', price: null, lessons: [] });
  const refused = await call(url, 'POST', `/api/studio/courses/${bare.body.id}/publication`, {
    token: instructor.token,
  });
  expectRefusal(refused, 422, 'course-without-lessons-cannot-be-published');

  // e. Another instructor passes the gateway's role check but not the course's ownership rule:
  // the caller's identity reached commerce-service, and the domain refused there.
  const hijacked = await call(url, 'PATCH', coursePath, {
    token: rival.token,
    body: { title: `Hijacked ${word}` },
    ifMatch: '*',
  });
  expectRefusal(hijacked, 403, 'only-the-course-owner-may-change-it');
  const repriced = await call(url, 'PUT', `${coursePath}/price`, {
    token: rival.token,
    body: { price: { amount: 1, currency: 'EUR' } },
  });
  expectRefusal(repriced, 403, 'only-the-course-owner-may-change-it');
  // A learner never reaches studio-api: the gateway's role check answers with its own problem.
  const byLearner = await call(url, 'PUT', `${coursePath}/price`, {
    token: learner.token,
    body: { price: { amount: 1, currency: 'EUR' } },
  });
  expect({ status: byLearner.status, contentType: byLearner.contentType }).toEqual({
    status: 403,
    contentType: 'application/problem+json',
  });
  expect(byLearner.body).toMatchObject({ status: 403, type: 'https://strata.dev/problems/missing-role' });
  // Nothing changed: the owner's studio still lists both courses as they were.
  const mine = await call(url, 'GET', '/api/studio/courses', { token: instructor.token });
  expect(mine.status).toBe(200);
  expect(
    mine.body.items
      .map((course: { id: string; title: string; status: string; price: unknown }) => ({
        id: course.id,
        title: course.title,
        status: course.status,
        price: course.price,
      }))
      .sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)),
  ).toEqual(
    [
      { id: courseId, title, status: 'published', price: { amount: 1999, currency: 'EUR' } },
      { id: bare.body.id, title: `Empty ${word}`, status: 'draft', price: null },
    ].sort((a, b) => a.id.localeCompare(b.id)),
  );

  // f. The learner's course detail is cached; a price change reaches it through CoursePriceChanged.
  const detailPath = `/api/learner/courses/${courseId}`;
  const before = await call(url, 'GET', detailPath, { token: learner.token });
  expect(before.status).toBe(200);
  expect(before.body).toEqual(found.body.items[0]);

  await priceAt(2999, 'published');

  const after = await waitFor(
    `the learner's detail of course ${courseId} showing the new price 2999 EUR`,
    () => call(url, 'GET', detailPath, { token: learner.token }),
    {
      ...INVALIDATION,
      done: (answer) =>
        answer.status === 200 &&
        answer.body?.price?.amount === 2999 &&
        answer.body?.price?.currency === 'EUR',
    },
  );
  // The repricing is one change: the course's version moves on by one.
  const listed = found.body.items[0];
  expect(after.body).toEqual({
    ...listed,
    price: { amount: 2999, currency: 'EUR' },
    version: listed.version + 1,
  });

  // g. The instructor unpublishes it again: the journey leaves the published catalogue as it found
  // it (the embedded test restarts on the same data and expects exactly the demo courses), and
  // CourseUnpublished must evict the cached detail as CoursePriceChanged did.
  const unpublished = await call(url, 'DELETE', `${coursePath}/publication`, { token: instructor.token });
  expect(unpublished.status).toBe(200);
  expect(unpublished.body).toMatchObject({ id: courseId, status: 'draft', publishedAt: null });
  const gone = await call(url, 'GET', `/api/learner/courses?text=${encodeURIComponent(word)}`);
  expect(gone.status).toBe(200);
  expect(gone.body).toEqual({ items: [], nextCursor: null });
  const withdrawn = await waitFor(
    `the learner's detail of unpublished course ${courseId} answering 404`,
    () => call(url, 'GET', detailPath, { token: learner.token }),
    { ...INVALIDATION, done: (answer) => answer.status === 404 },
  );
  expectRefusal(withdrawn, 404, 'course-not-found');
}
