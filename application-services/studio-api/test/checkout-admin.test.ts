import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import { call, newAdmin, newInstructor, newLearner, startStudioApi, type Harness } from './support.ts';

/*
 * The operators' checkout view. The refusals are studio-api's own and come before any call, so
 * they hold with no commerce-service at all; the answers are ordering's Checkout finder and get,
 * on the real commerce-service.
 */

describe('GET /admin/checkouts: refused before anything is asked of ordering', () => {
  let api: Harness;

  beforeAll(async () => {
    api = await startStudioApi({ commerce: 'none' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['an instructor', newInstructor],
    ['a learner', newLearner],
  ])('answers %s 403 problem+json on both routes, even for malformed input', async (_who, user) => {
    const token = await api.tokenFor(user());
    for (const path of [
      '/admin/checkouts?stalledForSeconds=60',
      `/admin/checkouts/${newId()}`,
      '/admin/checkouts?stalledForSeconds=soon',
      '/admin/checkouts/not-an-order',
    ]) {
      const refused = await call(api, 'GET', path, { token });
      expect({ path, status: refused.status, reason: refused.body.reason }).toEqual({
        path,
        status: 403,
        reason: 'admin-role-required',
      });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await call(api, 'GET', '/admin/checkouts')).status).toBe(401);
    expect(api.commerceRequests).toEqual([]);
  });

  it('answers an admin 400 naming the field for a bad stalledForSeconds or order id', async () => {
    const token = await api.tokenFor(newAdmin());
    const negative = await call(api, 'GET', '/admin/checkouts?stalledForSeconds=-5', { token });
    expect(negative.status).toBe(400);
    expect(negative.body.detail).toContain('query.stalledForSeconds');
    const words = await call(api, 'GET', '/admin/checkouts?stalledForSeconds=soon', { token });
    expect(words.status).toBe(400);
    const badId = await call(api, 'GET', '/admin/checkouts/not-an-order', { token });
    expect(badId.status).toBe(400);
    expect(badId.body.detail).toContain('params.orderId');
  });
});

// Needs commerce-service to serve ordering's Checkout (findUnfinished, get): on branch `saga`.
describe("GET /admin/checkouts: answered by ordering's Checkout on commerce-service", () => {
  let api: Harness;
  const admin = newAdmin();
  let token: string;

  beforeAll(async () => {
    api = await startStudioApi();
    token = await api.tokenFor(admin);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lists unfinished checkouts for an admin, asking ordering as that admin', async () => {
    const page = await call(api, 'GET', '/admin/checkouts?stalledForSeconds=600&limit=5', { token });
    expect(page.status).toBe(200);
    // A fresh commerce-service has had no order placed, so no checkout is under way.
    expect(page.body).toEqual({ items: [], nextCursor: null });
    const [asked] = api.commerceRequests.filter((request) => request.method === 'Checkout.findUnfinished');
    expect(asked?.payload).toMatchObject({ input: { stalledForSeconds: 600, limit: 5 } });
    expect(asked?.metadata.caller).toEqual({ service: 'studio-api', ...admin });
  });

  it('answers 404 problem+json for an order with no checkout', async () => {
    const missing = await call(api, 'GET', `/admin/checkouts/${newId()}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
