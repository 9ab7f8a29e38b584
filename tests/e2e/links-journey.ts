import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { call, login } from './http.ts';

// Short links through the gateway and the short domain, the same in both run modes. The short
// domain is its own process (or server, embedded) in front of engagement-service; visits reach the
// statistics only as LinkVisitsRecorded events, and a disable reaches the redirect caches only as
// ShortLinkDisabled: every step below that crosses that line waits, it does not call.

const SETTLE_MS = 30_000;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36';

/** The short-link URLs the start banner prints (`Short links: <url>/<slug>[, <url>/<slug>]`). */
export function shortLinkUrlsOf(output: string): string[] {
  const line = /Short links: (.*)/.exec(output)?.[1] ?? '';
  return [...line.matchAll(/(http:\/\/[^\s,]+)\/<slug>/g)].map((match) => match[1]!);
}

async function visit(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { redirect: 'manual', headers });
  await response.text();
  return { status: response.status, location: response.headers.get('location') };
}

/**
 * The demo instructor makes a campaign link to a course of theirs; it redirects (302) on every
 * instance of the short domain; its visits show in the studio's list once the rollup has them;
 * disabled, it answers 410 on every instance. A new learner shares a course once.
 * `publicApiUrl`: where the platform says its pages are, when the run knows it.
 */
export async function runLinksJourney(
  url: string,
  shortLinkUrls: readonly string[],
  publicApiUrl?: string,
): Promise<void> {
  expect(shortLinkUrls.length).toBeGreaterThan(0);
  const instructor = await login(url, 'instructor@strata.demo', 'Demo-Instructor-42');
  const own = await call(url, 'GET', '/api/studio/courses', { token: instructor });
  const courseId = own.body.items.find((course: { status: string }) => course.status === 'published')
    .id as string;

  const slug = `e2e-${randomUUID().slice(0, 8)}`;
  const created = await call(url, 'POST', '/api/studio/links', {
    token: instructor,
    body: { courseId, slug, maxVisits: 1_000 },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    slug,
    courseId,
    status: 'active',
    shortUrl: `${shortLinkUrls[0]}/${slug}`,
  });
  const target = created.body.targetUrl as string;
  expect(target).toMatch(new RegExp(`/api/learner/courses/${courseId}$`));
  if (publicApiUrl !== undefined) {
    expect(target).toBe(`${publicApiUrl}/api/learner/courses/${courseId}`);
    expect((await call(publicApiUrl, 'GET', `/api/learner/courses/${courseId}`)).status).toBe(200);
  }
  // A taken slug is refused at the edge of the API, on its field.
  const taken = await call(url, 'POST', '/api/studio/links', { token: instructor, body: { courseId, slug } });
  expect(taken.status).toBe(409);
  expect(taken.body.errors.map((error: { path: string }) => error.path)).toEqual(['body.slug']);

  // Two visits by a person on every instance, one by a link preview (a bot).
  for (const base of shortLinkUrls) {
    for (const referer of ['https://news.example.com/post', 'https://mail.example.org/']) {
      expect(await visit(`${base}/${slug}`, { 'user-agent': BROWSER, referer })).toEqual({
        status: 302,
        location: target,
      });
    }
  }
  expect(
    (await visit(`${shortLinkUrls[0]}/${slug}`, { 'user-agent': 'Slackbot-LinkExpanding 1.0' })).status,
  ).toBe(302);
  const people = 2 * shortLinkUrls.length;
  const stats = await waitFor(
    `the studio shows ${people} visits and 1 bot visit of ${slug}`,
    async () => {
      const listed = await call(url, 'GET', '/api/studio/links', { token: instructor });
      const mine = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
      return mine?.stats.visits === people && mine?.stats.botVisits === 1 ? mine.stats : undefined;
    },
    { timeoutMs: SETTLE_MS, everyMs: 200 },
  );
  expect(stats.hours[0].referrerHosts.map((entry: { host: string }) => entry.host).sort()).toEqual([
    'mail.example.org',
    'news.example.com',
  ]);
  expect(stats.hours[0].browserFamilies).toEqual([{ family: 'chrome', visits: people }]);

  const disabled = await call(url, 'POST', `/api/studio/links/${created.body.id}/disable`, {
    token: instructor,
  });
  expect(disabled.status).toBe(200);
  for (const base of shortLinkUrls) {
    await waitFor(
      `410 for the disabled ${slug} on ${base}`,
      async () => ((await visit(`${base}/${slug}`)).status === 410 ? true : undefined),
      { timeoutMs: 5_000, everyMs: 50 },
    );
  }

  // A learner shares a course: one short link, however often asked.
  const email = `sharer-${randomUUID()}@example.org`;
  expect(
    (
      await call(url, 'POST', '/api/account/auth/register', {
        body: { email, password: 'Correct-Horse-42', displayName: 'Sharer' },
      })
    ).status,
  ).toBe(201);
  const learner = await login(url, email, 'Correct-Horse-42');
  const shared = await call(url, 'POST', `/api/learner/share-links/courses/${courseId}`, { token: learner });
  expect(shared.status).toBe(201);
  const again = await call(url, 'POST', `/api/learner/share-links/courses/${courseId}`, { token: learner });
  expect({ status: again.status, id: again.body.id }).toEqual({ status: 200, id: shared.body.id });
  expect(await visit(shared.body.shortUrl as string)).toEqual({ status: 302, location: target });
}
