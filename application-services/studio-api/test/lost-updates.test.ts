import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, startStudioApiForInstructor, type Harness } from './support.ts';

// Two tabs of one instructor (or two co-editors) edit the same course: the second save must not
// silently overwrite the first.
describe('studio-api refuses lost updates with ETag and If-Match', () => {
  let api: Harness;
  let token: string;
  beforeAll(async () => ({ api, token } = await startStudioApiForInstructor()));
  afterAll(() => api?.close());

  async function draft(): Promise<{ id: string; etag: string }> {
    const drafted = await call(api, 'POST', '/courses', { token, body: { title: 'Concurrency in Go' } });
    expect(drafted.status).toBe(201);
    return { id: drafted.body.id as string, etag: drafted.headers.get('etag')! };
  }

  it('answers every course with its version as the ETag', async () => {
    const { id, etag } = await draft();
    expect(etag).toBe('"1"');
    const lesson = await call(api, 'POST', `/courses/${id}/lessons`, {
      token,
      body: { title: 'Goroutines' },
    });
    expect(lesson.headers.get('etag')).toBe(`"${lesson.body.version}"`);
    expect(lesson.body.version).toBe(2);
  });

  it('refuses the second of two edits made from the same version with 412, and keeps the first', async () => {
    const { id, etag } = await draft();
    const firstTab = await call(api, 'PATCH', `/courses/${id}`, {
      token,
      body: { title: 'Concurrency in Go, first tab' },
      ifMatch: etag,
    });
    expect(firstTab.status).toBe(200);
    const secondTab = await call(api, 'PATCH', `/courses/${id}`, {
      token,
      body: { title: 'Concurrency in Go, second tab' },
      ifMatch: etag,
    });
    expect(secondTab.status).toBe(412);
    expect(secondTab.headers.get('content-type')).toContain('application/problem+json');
    expect(secondTab.body).toMatchObject({ status: 412, reason: 'aggregate-version-mismatch' });

    // Reading again and reapplying with the new ETag succeeds; the first tab's title was kept until then.
    const mine = await call(api, 'GET', '/courses', { token });
    const current = (mine.body.items as { id: string; title: string; version: number }[]).find(
      (c) => c.id === id,
    )!;
    expect(current.title).toBe('Concurrency in Go, first tab');
    const retried = await call(api, 'PATCH', `/courses/${id}`, {
      token,
      body: { title: 'Concurrency in Go, second tab' },
      ifMatch: `W/"${current.version}"`,
    });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('etag')).toBe(`"${current.version + 1}"`);
  });

  it('refuses a stale If-Match on any other change too, and changes nothing', async () => {
    const { id, etag } = await draft();
    await call(api, 'POST', `/courses/${id}/lessons`, { token, body: { title: 'Channels' } });
    const stale = await call(api, 'PUT', `/courses/${id}/price`, {
      token,
      body: { price: { amount: 1500, currency: 'EUR' } },
      ifMatch: etag,
    });
    expect(stale.status).toBe(412);
    const mine = await call(api, 'GET', '/courses', { token });
    const course = (mine.body.items as { id: string; price: unknown; version: number }[]).find(
      (c) => c.id === id,
    )!;
    expect(course).toMatchObject({ price: null, version: 2 });
  });

  it('requires If-Match to edit the details (428) and refuses one it cannot read (400)', async () => {
    const { id } = await draft();
    const missing = await call(api, 'PATCH', `/courses/${id}`, { token, body: { title: 'No Precondition' } });
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 428, reason: 'if-match-required' });
    const malformed = await call(api, 'PATCH', `/courses/${id}`, {
      token,
      body: { title: 'Odd Precondition' },
      ifMatch: 'version-one',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400, reason: 'if-match-malformed' });
    const mine = await call(api, 'GET', '/courses', { token });
    expect((mine.body.items as { id: string; title: string }[]).find((c) => c.id === id)!.title).toBe(
      'Concurrency in Go',
    );
  });
});
