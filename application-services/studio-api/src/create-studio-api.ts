import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@strata/runtime';
import { StudioApiModule, type StudioApiDependencies } from './studio-api.module.ts';

export interface StudioApiOptions extends StudioApiDependencies {
  bodyLimitBytes?: number;
}

/**
 * studio-api as an app not yet listening: `await app.listen({ port, host })` to serve it on its
 * own (main.ts), or host it in the embedded runner's process with an in-process commerce invoke,
 * a MemorySalesReadModel and the in-process event broker. Ordering's events are consumed from `init`
 * to `close`.
 */
export function createStudioApi(options: StudioApiOptions): Promise<NestFastifyApplication> {
  const { bodyLimitBytes, ...dependencies } = options;
  return createHttpApp(StudioApiModule.forRoot(dependencies), {
    logger: dependencies.logger,
    bodyLimitBytes,
  });
}
