import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import { servedOpenApiDiscrepancies } from '@strata/runtime/test-support';
import { LearnerController } from '../src/learner.controller.ts';
import { OrdersController } from '../src/orders.controller.ts';
import { PaymentWebhookController } from '../src/payment-webhook.controller.ts';
import { get, startLearnerApi, type Harness } from './support.ts';

const eur = (amount: number) => ({ price: { amount, currency: 'EUR' } });

describe('learner-api embedded (in-memory cache, in-process events) on the real commerce-service', () => {
  let api: Harness;
  const instructor = { caller: { userId: newId(), roles: ['instructor'] } };
  // A word no other course carries, so text search sees only this test's courses.
  const marker = `okapi${newId().slice(-8)}`;

  async function publishCourse(title: string): Promise<string> {
    const course = await api.catalog.Course.draft(
      { title, description: `learn ${marker} today` },
      instructor,
    );
    await api.catalog.Course.addLesson(course.id, { title: 'Welcome' }, instructor);
    await api.catalog.Course.setPrice(course.id, eur(1900), instructor);
    await api.catalog.Course.publish(course.id, {}, instructor);
    await api.commerce.relay.publishBatch();
    return course.id;
  }

  const detailLoads = (courseId: string) =>
    api.commerceRequests.filter(
      (request) => request.method === 'Course.get' && (request.payload as { id: string }).id === courseId,
    ).length;

  beforeAll(async () => (api = await startLearnerApi()));
  afterAll(() => api?.close());

  it('finds a published course by text, without a login, and not a draft', async () => {
    const id = await publishCourse('Searching Without Login');
    await api.catalog.Course.draft({ title: 'Draft Only', description: `${marker} but a draft` }, instructor);
    const found = await get(api, `/courses?text=${marker.toUpperCase()}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((course: { id: string }) => course.id)).toContain(id);
    expect(found.body.items.every((course: { status: string }) => course.status === 'published')).toBe(true);
    expect(found.body.items.map((course: { title: string }) => course.title)).not.toContain('Draft Only');
  });

  it('pages through the results in a stable order with the finder cursor', async () => {
    const text = `tapir${newId().slice(-8)}`;
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const course = await api.catalog.Course.draft(
        { title: `Paged Course ${index}`, description: text },
        instructor,
      );
      await api.catalog.Course.addLesson(course.id, { title: 'One' }, instructor);
      await api.catalog.Course.setPrice(course.id, eur(500), instructor);
      await api.catalog.Course.publish(course.id, {}, instructor);
      ids.push(course.id);
    }
    const walk = async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await get(api, `/courses?text=${text}&limit=2${query}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((course: { id: string }) => course.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      return seen;
    };
    const first = await walk();
    expect([...first].sort()).toEqual([...ids].sort());
    expect(new Set(first).size).toBe(first.length);
    expect(await walk()).toEqual(first);
  });

  it('serves the detail from the cache and reloads it after the price-change event', async () => {
    const id = await publishCourse('Cached Course Detail');
    const first = await get(api, `/courses/${id}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, status: 'published', price: { amount: 1900, currency: 'EUR' } });
    expect(detailLoads(id)).toBe(1);
    expect((await get(api, `/courses/${id}`)).body.price.amount).toBe(1900);
    expect(detailLoads(id)).toBe(1);

    await api.catalog.Course.setPrice(id, eur(2500), instructor);
    // Until the event arrives the cached detail is served: the cache is really in the path.
    expect((await get(api, `/courses/${id}`)).body.price.amount).toBe(1900);
    expect(detailLoads(id)).toBe(1);

    expect(await api.commerce.relay.publishBatch()).toBeGreaterThan(0);
    const after = await get(api, `/courses/${id}`);
    expect(after.body.price).toEqual({ amount: 2500, currency: 'EUR' });
    expect(detailLoads(id)).toBe(2);
  });

  it('stops serving a course once its unpublication event arrives', async () => {
    const id = await publishCourse('Soon Unpublished');
    expect((await get(api, `/courses/${id}`)).status).toBe(200);
    await api.catalog.Course.unpublish(id, {}, instructor);
    await api.commerce.relay.publishBatch();
    const gone = await get(api, `/courses/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 404, reason: 'course-not-found' });
  });

  it('answers 404 problem+json for an unknown course and 400 naming the field for a bad id', async () => {
    const unknown = await get(api, `/courses/${newId()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const bad = await get(api, '/courses/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('params.courseId');
    const badLimit = await get(api, '/courses?limit=1000');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors[0].path).toBe('query.limit');
  });

  it('refuses search text with control characters with 400 problem+json naming the field', async () => {
    // NUL, a line feed, ESC and a right-to-left override: never part of a search a person types.
    for (const text of ['%00', 'a%0Ab', '%1B%5B31m', '%E2%80%AEevil']) {
      const refused = await get(api, `/courses?text=${text}`);
      expect({ text, status: refused.status }).toEqual({ text, status: 400 });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors[0].path).toBe('query.text');
    }
    const quoted = await get(api, `/courses?text=${encodeURIComponent("it's ? 100% _")}`);
    expect(quoted.status).toBe(200);
    expect(quoted.body).toEqual({ items: [], nextCursor: null });
  });

  it("serves the learner's notifications page and its script without a login, same-origin only", async () => {
    const page = await fetch(`${api.url}/learner/notifications`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = page.headers.get('content-security-policy') ?? '';
    for (const directive of ["script-src 'self'", "connect-src 'self'", "default-src 'none'"])
      expect(policy).toContain(directive);
    expect(await page.text()).toContain('<script type="module" src="notifications.js"></script>');
    const script = await fetch(`${api.url}/learner/notifications.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toContain("'last-event-id': state.mark");
    expect((await fetch(`${api.url}/learner/package.json`)).status).toBe(404);
  });

  it('declares in its OpenAPI document every path and query parameter the handlers read, and the security they enforce', async () => {
    const served = {
      baseUrl: api.url,
      controllers: [LearnerController, OrdersController, PaymentWebhookController],
      service: 'learner-api',
    };
    expect(await servedOpenApiDiscrepancies(served)).toEqual([]);
  });
});
