import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { servedOpenApiDiscrepancies } from '@strata/runtime/test-support';
import { CheckoutAdminController } from '../src/checkout-admin.controller.ts';
import { SalesController } from '../src/sales.controller.ts';
import { StudioController } from '../src/studio.controller.ts';
import { call, startStudioApiForInstructor, type Harness } from './support.ts';

/** The OpenAPI document describes JSON bodies only; what it does not describe must change nothing. */
describe('studio-api does what its OpenAPI document says, and accepts only the media type it documents', () => {
  let api: Harness;
  let token: string;
  beforeAll(async () => ({ api, token } = await startStudioApiForInstructor()));
  afterAll(() => api?.close());

  async function send(contentType: string, body: string) {
    const response = await fetch(`${api.url}/courses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.json(),
    };
  }

  it.each([
    ['application/x-www-form-urlencoded', 'title=Formed+Course&description=sent+as+a+form'],
    ['text/plain', '{"title":"Plain Course","description":"sent as text"}'],
    [
      'multipart/form-data; boundary=b',
      '--b\r\ncontent-disposition: form-data; name="title"\r\n\r\nMulti\r\n--b--\r\n',
    ],
  ])('refuses a %s body with 415 problem+json and drafts nothing', async (contentType, body) => {
    const sentBefore = api.commerceRequests.length;
    const answer = await send(contentType, body);
    expect(answer.status).toBe(415);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({
      status: 415,
      type: 'https://strata.dev/problems/unsupported-media-type',
    });
    expect(api.commerceRequests.length).toBe(sentBefore);
    const mine = await call(api, 'GET', '/courses', { token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([]);
  });

  it('still drafts from a JSON body', async () => {
    const answer = await send(
      'application/json',
      JSON.stringify({ title: 'JSON Course', description: 'as documented' }),
    );
    expect(answer.status).toBe(201);
  });

  it('declares in its OpenAPI document every path and query parameter the handlers read, and the security they enforce', async () => {
    const served = {
      baseUrl: api.url,
      controllers: [StudioController, SalesController, CheckoutAdminController],
      service: 'studio-api',
    };
    expect(await servedOpenApiDiscrepancies(served)).toEqual([]);
  });
});
