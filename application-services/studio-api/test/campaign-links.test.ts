import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import { waitFor } from '@strata/shared-kernel/test-support/wait-for';
import { call, newInstructor, PUBLIC_API_URL, startStudioApi, type Answer, type Harness } from './support.ts';

// The short domain ships visits every 200 ms at most; a bound on a hung step, not a speed claim.
jest.setTimeout(30_000);

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36';
const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('campaign short links in the studio (studio-api on real commerce- and engagement-services and the short domain)', () => {
  let api: Harness;
  const me = newInstructor();
  let token: string;
  let courseId: string;

  const paths = (answer: Answer) => (answer.body.errors ?? []).map((error: { path: string }) => error.path);
  const visit = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { redirect: 'manual', headers });
    await response.text();
    return { status: response.status, location: response.headers.get('location') };
  };
  const myLinks = async (tokenOf = token) => call(api, 'GET', '/links', { token: tokenOf });

  beforeAll(async () => {
    api = await startStudioApi();
    token = await api.tokenFor(me);
    const drafted = await call(api, 'POST', '/courses', { token, body: { title: 'Campaigns 101' } });
    courseId = drafted.body.id;
  });
  afterAll(() => api?.close());

  it('creates a campaign link to the course page with a custom slug, which redirects with 302 and counts visits in the list', async () => {
    const slug = `Spring-${newId().slice(-8)}`;
    const created = await call(api, 'POST', '/links', {
      token,
      body: { courseId, slug, maxVisits: 50, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: slug.toLowerCase(),
      slugKind: 'custom',
      courseId,
      ownerId: me.userId,
      status: 'active',
      maxVisits: 50,
      targetUrl: `${PUBLIC_API_URL}/api/learner/courses/${courseId}`,
      shortUrl: `${api.redirect!.url}/${slug.toLowerCase()}`,
    });

    const shortUrl = created.body.shortUrl as string;
    const visitors: Record<string, string>[] = [
      { 'user-agent': CHROME, referer: 'https://news.example.com/post?id=1' },
      { 'user-agent': CHROME, referer: 'https://news.example.com/other' },
      { 'user-agent': BOT },
    ];
    for (const headers of visitors) {
      expect(await visit(shortUrl, headers)).toEqual({ status: 302, location: created.body.targetUrl });
    }

    const stats: Answer['body'] = await waitFor(
      'the link list to count two visits and one bot visit',
      async () =>
        (await myLinks()).body.items.find((item: { id: string }) => item.id === created.body.id)?.stats,
      { done: (found) => found?.visits === 2 && found?.botVisits === 1, timeoutMs: 10_000, everyMs: 100 },
    );
    expect(stats).toMatchObject({ visits: 2, botVisits: 1, uniqueVisitors: 1 });
    expect(stats.hours).toEqual([
      {
        hour: expect.stringMatching(/T\d\d:00:00\.000Z$/),
        visits: 2,
        botVisits: 1,
        uniqueVisitors: 1,
        referrerHosts: [{ host: 'news.example.com', visits: 2 }],
        browserFamilies: [{ family: 'chrome', visits: 2 }],
      },
    ]);
  });

  it('disables a link (410 on the short domain) and enables it again (302); another instructor may do neither', async () => {
    const created = await call(api, 'POST', '/links', { token, body: { courseId } });
    expect(created.status).toBe(201);
    expect(created.body.slugKind).toBe('generated');
    const shortUrl = created.body.shortUrl as string;
    expect((await visit(shortUrl)).status).toBe(302);

    const stranger = await api.tokenFor(newInstructor());
    const denied = await call(api, 'POST', `/links/${created.body.id}/disable`, { token: stranger });
    expect(denied.status).toBe(403);
    expect(denied.body.reason).toBe('only-its-owner-or-an-admin-may-change-a-short-link');

    const disabled = await call(api, 'POST', `/links/${created.body.id}/disable`, { token });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ status: 'disabled', disabled: { by: me.userId } });
    await api.settled();
    expect((await visit(shortUrl)).status).toBe(410);

    const enabled = await call(api, 'POST', `/links/${created.body.id}/enable`, { token });
    expect(enabled.status).toBe(200);
    expect(enabled.body.status).toBe('active');
    await api.settled();
    expect((await visit(shortUrl)).status).toBe(302);

    // Nobody else's list shows it.
    const theirs = await myLinks(stranger);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
  });

  it('refuses a taken slug (409), a reserved one, an expiry in the past and visits of zero or less (400), each on its body field, creating nothing', async () => {
    const before = (await myLinks()).body.items.length;
    const slug = `taken-${newId().slice(-8)}`;
    expect((await call(api, 'POST', '/links', { token, body: { courseId, slug } })).status).toBe(201);

    const taken = await call(api, 'POST', '/links', { token, body: { courseId, slug: slug.toUpperCase() } });
    expect(taken.status).toBe(409);
    expect(taken.contentType).toBe('application/problem+json');
    expect(taken.body.reason).toBe('custom-slug-must-not-be-taken');
    expect(paths(taken)).toEqual(['body.slug']);

    const cases: [Record<string, unknown>, string, string][] = [
      [{ slug: 'Admin' }, 'body.slug', 'custom-slug-cannot-be-reserved'],
      [{ slug: 'a' }, 'body.slug', 'custom-slug-length-must-be-within-bounds'],
      [{ slug: 'no spaces' }, 'body.slug', 'custom-slug-may-use-only-letters-digits-and-hyphens'],
      [{ maxVisits: 0 }, 'body.maxVisits', 'max-visits-must-be-at-least-one'],
      [{ maxVisits: 9007199254740939 }, 'body.maxVisits', 'max-visits-must-not-exceed-the-limit'],
      [{ maxVisits: -5 }, 'body.maxVisits', 'max-visits-must-be-at-least-one'],
      [{ expiresAt: 'tomorrow' }, 'body.expiresAt', ''],
    ];
    for (const [fields, path, code] of cases) {
      const refused = await call(api, 'POST', '/links', { token, body: { courseId, ...fields } });
      expect({ fields, status: refused.status, paths: paths(refused) }).toEqual({
        fields,
        status: 400,
        paths: [path],
      });
      expect(JSON.stringify(refused.body.errors)).toContain(code);
    }
    // The past is the domain's to judge (it knows the time): the refusal still names the field.
    const past = await call(api, 'POST', '/links', {
      token,
      body: { courseId, expiresAt: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(past.status).toBe(400);
    expect(past.body.reason).toBe('short-link-expiry-cannot-be-in-the-past');
    expect(paths(past)).toEqual(['body.expiresAt']);

    expect((await myLinks()).body.items).toHaveLength(before + 1);
  });

  it("refuses a link to another instructor's course (403), to no course (404) and a malformed course id (400), on body.courseId", async () => {
    const other = await api.tokenFor(newInstructor());
    const theirCourse = (await call(api, 'POST', '/courses', { token: other, body: { title: 'Theirs' } }))
      .body.id as string;
    const before = (await myLinks()).body.items.length;

    const notMine = await call(api, 'POST', '/links', { token, body: { courseId: theirCourse } });
    expect(notMine.status).toBe(403);
    expect(notMine.body.reason).toBe('campaign-links-are-for-the-instructors-own-courses');
    expect(paths(notMine)).toEqual(['body.courseId']);

    const none = await call(api, 'POST', '/links', { token, body: { courseId: newId() } });
    expect(none.status).toBe(404);
    expect(paths(none)).toEqual(['body.courseId']);

    const malformed = await call(api, 'POST', '/links', { token, body: { courseId: 'course-1' } });
    expect(malformed.status).toBe(400);
    expect(paths(malformed)).toEqual(['body.courseId']);

    expect((await myLinks()).body.items).toHaveLength(before);
    expect((await call(api, 'GET', '/links?limit=0', { token })).status).toBe(400);
    expect((await call(api, 'POST', `/links/not-an-id/disable`, { token })).status).toBe(400);
    expect((await call(api, 'GET', '/links')).status).toBe(401);
  });
});
