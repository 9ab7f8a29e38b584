import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { servedOpenApiDiscrepancies } from '@strata/runtime/test-support';
import { LearnerController } from '../src/learner.controller.ts';
import { startLearnerApi, type Harness } from './support.ts';

describe('learner-api serves an OpenAPI document that matches its routes', () => {
  let api: Harness;

  beforeAll(async () => {
    api = await startLearnerApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('declares every path and query parameter the handlers read, and the security they enforce', async () => {
    expect(
      await servedOpenApiDiscrepancies({
        baseUrl: api.url,
        controllers: [LearnerController],
        service: 'learner-api',
      }),
    ).toEqual([]);
  });
});
