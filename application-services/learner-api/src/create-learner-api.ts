import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@strata/runtime';
import { LearnerApiModule, type LearnerApiDependencies } from './learner-api.module.ts';

export interface LearnerApiOptions extends LearnerApiDependencies {
  bodyLimitBytes?: number;
}

/**
 * learner-api as an app not yet listening: `await app.listen({ port, host })` to serve it on its
 * own (main.ts), or host it in the embedded runner's process with an in-process commerce invoke,
 * a MemoryCache and the in-process event broker. Course events are consumed from `init` to `close`.
 */
export function createLearnerApi(options: LearnerApiOptions): Promise<NestFastifyApplication> {
  const { bodyLimitBytes, ...dependencies } = options;
  return createHttpApp(LearnerApiModule.forRoot(dependencies), {
    logger: dependencies.logger,
    bodyLimitBytes,
  });
}
