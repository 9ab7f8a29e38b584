import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@strata/runtime';
import { LearnerApiModule, type LearnerApiDependencies } from './learner-api.module.ts';
import { NotificationPush } from './notification-push.ts';
import { PAYMENT_WEBHOOK_ROUTE } from './payment-webhook.controller.ts';

export interface LearnerApiOptions extends LearnerApiDependencies {
  bodyLimitBytes?: number;
}

/**
 * learner-api as an app not yet listening: `await app.listen({ port, host })` to serve it on its
 * own (main.ts), or host it in the embedded runner's process with an in-process commerce invoke,
 * a MemoryCache and the in-process event broker. Buying needs a verified access token; the
 * payment webhook needs none but the provider's signature. Course and notification events are consumed
 * from `init` to `close`; live notifications are served as SSE (`GET /notifications/stream`) and on the
 * WebSocket at `/notifications/socket`.
 */
export async function createLearnerApi(options: LearnerApiOptions): Promise<NestFastifyApplication> {
  const { bodyLimitBytes, ...dependencies } = options;
  const app = await createHttpApp(LearnerApiModule.forRoot(dependencies), {
    logger: dependencies.logger,
    bodyLimitBytes,
    // The webhook's signature is over the bytes received; its JSON is parsed once they check out.
    rawBodyRoutes: [PAYMENT_WEBHOOK_ROUTE],
  });
  // WebSocket upgrades never reach Fastify's routes: the notification socket answers them on the server.
  app.get(NotificationPush).attach(app.getHttpServer(), dependencies.accessTokens);
  return app;
}
