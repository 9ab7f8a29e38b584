import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { servedOpenApiDiscrepancies } from '@strata/runtime/test-support';
import { StudioController } from '../src/studio.controller.ts';
import { startStudioApi, type Harness } from './support.ts';

describe('studio-api serves an OpenAPI document that matches its routes', () => {
  let api: Harness;

  beforeAll(async () => {
    api = await startStudioApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('declares every path and query parameter the handlers read, and the security they enforce', async () => {
    expect(
      await servedOpenApiDiscrepancies({
        baseUrl: api.url,
        controllers: [StudioController],
        service: 'studio-api',
      }),
    ).toEqual([]);
  });
});
