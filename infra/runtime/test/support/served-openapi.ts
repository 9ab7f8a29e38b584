import { readFile } from 'node:fs/promises';
import type { Type } from '@nestjs/common';
import { openApiDiscrepancies, type GatewayRouteEntry } from './openapi-conformance.ts';

// The route file the platform ships: whether a path needs a login is decided there as well as by the app.
const SHIPPED_ROUTES = new URL('../../../gateway/routes.json', import.meta.url);

/**
 * What an app's served `/openapi.json` gets wrong against its controllers and the shipped gateway
 * routes; empty when the document is complete. Fails if the document is not served.
 */
export async function servedOpenApiDiscrepancies(options: {
  baseUrl: string;
  controllers: readonly Type[];
  service: string;
}): Promise<string[]> {
  const response = await fetch(`${options.baseUrl}/openapi.json`);
  if (response.status !== 200)
    throw new Error(`GET ${options.baseUrl}/openapi.json answered ${response.status}`);
  const { routes } = JSON.parse(await readFile(SHIPPED_ROUTES, 'utf8')) as { routes: GatewayRouteEntry[] };
  return openApiDiscrepancies({
    document: (await response.json()) as Parameters<typeof openApiDiscrepancies>[0]['document'],
    controllers: options.controllers,
    service: options.service,
    gatewayRoutes: routes,
  });
}
