import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, type Logger } from '@strata/runtime';
import { StudioApiModule, type StudioApiDependencies } from './studio-api.module.ts';

export interface StudioApiOptions extends StudioApiDependencies {
  logger: Logger;
  bodyLimitBytes?: number;
}

/**
 * studio-api as an app not yet listening: `await app.listen({ port, host })` to serve it on its
 * own (main.ts), or host it in the embedded runner's process with an in-process commerce invoke.
 */
export function createStudioApi(options: StudioApiOptions): Promise<NestFastifyApplication> {
  const { logger, bodyLimitBytes, ...dependencies } = options;
  return createHttpApp(StudioApiModule.forRoot(dependencies), { logger, bodyLimitBytes });
}
