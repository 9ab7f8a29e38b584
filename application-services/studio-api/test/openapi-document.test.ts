import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openApiDiscrepancies, type GatewayRouteEntry } from '@strata/runtime/test-support';
import { StudioController } from '../src/studio.controller.ts';
import { startStudioApi, type Harness } from './support.ts';

// The route file the platform ships: whether a path needs a login is decided there as well as by the app.
const routeFile = new URL('../../../infra/gateway/routes.json', import.meta.url);

describe('studio-api serves an OpenAPI document that matches its routes', () => {
  let api: Harness;

  beforeAll(async () => {
    api = await startStudioApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('declares every path and query parameter the handlers read, and the security they enforce', async () => {
    const response = await fetch(`${api.url}/openapi.json`);
    expect(response.status).toBe(200);
    const { routes } = JSON.parse(await readFile(routeFile, 'utf8')) as { routes: GatewayRouteEntry[] };
    const discrepancies = openApiDiscrepancies({
      document: (await response.json()) as Parameters<typeof openApiDiscrepancies>[0]['document'],
      controllers: [StudioController],
      service: 'studio-api',
      gatewayRoutes: routes,
    });
    expect(discrepancies).toEqual([]);
  });
});
