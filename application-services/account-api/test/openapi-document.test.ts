import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { servedOpenApiDiscrepancies } from '@strata/runtime/test-support';
import { AccountController } from '../src/account.controller.ts';
import { startAccountApi, type Harness } from './support.ts';

describe('account-api serves an OpenAPI document that matches its routes', () => {
  let api: Harness;

  beforeAll(async () => {
    api = await startAccountApi('memory');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('declares every path and query parameter the handlers read, and the security they enforce', async () => {
    expect(
      await servedOpenApiDiscrepancies({
        baseUrl: api.url,
        controllers: [AccountController],
        service: 'account-api',
      }),
    ).toEqual([]);
  });
});
